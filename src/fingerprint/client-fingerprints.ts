/**
 * JA3 and JA4 of a ClientHello, remembered by the values they read.
 *
 * A capture holds thousands of hellos from a handful of client stacks: the hellos differ in
 * random, session id, SNI value and key shares, which no fingerprint reads, so most sessions
 * repeat a fingerprint already computed. Building the strings (four JA4 renderings, hex lists,
 * SHA-256, MD5) was the costliest step of a session record; a lookup replaces it.
 */
import { LIMITS } from '../config/limits.js';
import { Memo } from '../memo.js';
import type { ClientHelloModel } from '../model/handshake.js';
import { isGrease } from '../tls/grease.js';
import type { HashedFingerprint } from './common.js';
import { ja3 } from './ja3.js';
import { ja4, type Ja4Fingerprint } from './ja4.js';

export interface ClientFingerprints {
  /** Null for an SSLv2-compatible hello (ja3.py emits none). */
  ja3: HashedFingerprint | null;
  /** Null for an SSLv2-compatible hello (JA4 reads TLS extensions it cannot have). */
  ja4: Ja4Fingerprint | null;
}

/** Keys longer than this (a hello offering thousands of values) are computed, not remembered. */
const MAX_KEY_UNITS = 2048;

const memo = new Memo<ClientFingerprints>(LIMITS.maxMemoEntries);

/** JA3 and JA4 of `ch`: the same objects for every hello with the same fingerprinted values. */
export function clientFingerprints(ch: ClientHelloModel): ClientFingerprints {
  const compute = (): ClientFingerprints => ({ ja3: ja3(ch), ja4: ch.sslv2 ? null : ja4(ch) });
  const key = fingerprintKey(ch);
  return key !== null ? memo.get(key, compute) : compute();
}

/**
 * Every value JA3 or JA4 reads, as one string of 16-bit units: SSLv2 flag, transport, version,
 * then each list as its length and its values (supported_versions, ciphers, extension types,
 * groups, point formats, signature algorithms), then the first ALPN value's bytes. GREASE values
 * are left out, as both fingerprints leave them out ("JA3 ignores these values completely"; JA4:
 * "Remember, ignore GREASE values"), so a client's random GREASE choices do not split its key.
 * Values are 16-bit, so equal keys mean equal fingerprints. Null when the key would be too long.
 */
export function fingerprintKey(ch: ClientHelloModel): string | null {
  const alpn = ch.alpn[0];
  const units =
    10 + ch.supportedVersions.length + ch.ciphers.length + ch.extensions.length + ch.supportedGroups.length +
    ch.ecPointFormats.length + ch.signatureAlgorithms.length + (alpn?.length ?? 0);
  if (units > MAX_KEY_UNITS) return null;
  const u: number[] = [ch.sslv2 ? 1 : 0, ch.transport.charCodeAt(0), ch.version];
  const list = (values: readonly number[]): void => {
    const at = u.length;
    u.push(0);
    for (const v of values) if (!isGrease(v)) u.push(v);
    u[at] = u.length - at - 1;
  };
  list(ch.supportedVersions);
  list(ch.ciphers);
  list(ch.extensions.map((e) => e.type));
  list(ch.supportedGroups);
  list(ch.ecPointFormats);
  list(ch.signatureAlgorithms);
  // JA4 reads the first ALPN value only, byte for byte; an absent and an empty one both give "00".
  u.push(alpn?.length ?? 0);
  if (alpn !== undefined) for (const b of alpn) u.push(b);
  return String.fromCharCode.apply(null, u);
}
