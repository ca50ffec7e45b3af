/**
 * The NSS key log format (SSLKEYLOGFILE, as browsers, curl, OpenSSL, GnuTLS and node write it;
 * described in draft-ietf-tls-keylogfile): one secret per line,
 *
 *   <label> <client_random as 64 hex digits> <secret in hex>
 *
 * "Lines that start with '#' are comments"; empty lines are ignored. Labels kept here (TLS 1.3,
 * RFC 8446 §7.1 names in brackets):
 *   CLIENT_HANDSHAKE_TRAFFIC_SECRET  [client_handshake_traffic_secret]
 *   SERVER_HANDSHAKE_TRAFFIC_SECRET  [server_handshake_traffic_secret]
 *   CLIENT_TRAFFIC_SECRET_0 / SERVER_TRAFFIC_SECRET_0 / CLIENT_EARLY_TRAFFIC_SECRET / EXPORTER_SECRET
 *   CLIENT_RANDOM                    (TLS <= 1.2: the 48-byte master secret; kept, not used yet)
 * Other labels (EARLY_EXPORTER_SECRET, RSA ...) are skipped. A pcapng Decryption Secrets Block
 * of type 0x544c534b ("TLSK") carries the same text (pcapng §4.7), so `add()` takes bytes too.
 *
 * Entries are keyed by client random; the secrets of one connection are found with the
 * ClientHello's random. At most LIMITS.maxKeyLogEntries connections are kept (then
 * `limitReached`); malformed lines are counted in `badLines`, never thrown.
 */
import { LIMITS } from '../config/limits.js';

/** pcapng Decryption Secrets Block type for a TLS key log ("TLSK"). */
export const SECRETS_TYPE_TLS_KEY_LOG = 0x544c534b;

/** Where TLS secrets come from (a KeyLog), looked up by the ClientHello's random. */
export interface SecretsLookup {
  lookup(clientRandom: Uint8Array): KeyLogSecrets | undefined;
  /** Connections known; 0 means "no key log in use". */
  readonly size: number;
}

/** The secrets known for one connection (by client random). */
export interface KeyLogSecrets {
  clientHandshakeTrafficSecret?: Uint8Array;
  serverHandshakeTrafficSecret?: Uint8Array;
  clientTrafficSecret0?: Uint8Array;
  serverTrafficSecret0?: Uint8Array;
  clientEarlyTrafficSecret?: Uint8Array;
  exporterSecret?: Uint8Array;
  /** TLS <= 1.2 master secret (label CLIENT_RANDOM). */
  masterSecret?: Uint8Array;
}

const LABEL_FIELD: Readonly<Record<string, keyof KeyLogSecrets>> = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshakeTrafficSecret',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshakeTrafficSecret',
  CLIENT_TRAFFIC_SECRET_0: 'clientTrafficSecret0',
  SERVER_TRAFFIC_SECRET_0: 'serverTrafficSecret0',
  CLIENT_EARLY_TRAFFIC_SECRET: 'clientEarlyTrafficSecret',
  EXPORTER_SECRET: 'exporterSecret',
  CLIENT_RANDOM: 'masterSecret',
};

/** Longest secret accepted: SHA-384 secrets are 48 bytes; 64 leaves room. */
const MAX_SECRET_BYTES = 64;
const HEX = /^[0-9a-fA-F]*$/;

export class KeyLog implements SecretsLookup {
  /** Lines that were neither a known entry, a comment, an empty line nor a skipped label. */
  badLines = 0;
  /** True once LIMITS.maxKeyLogEntries connections are held: later new client randoms are dropped. */
  limitReached = false;
  private readonly byRandom = new Map<string, KeyLogSecrets>();

  /** @param maxEntries connections kept (tests lower it to trip the cap). */
  constructor(private readonly maxEntries: number = LIMITS.maxKeyLogEntries) {}

  /** Parses NSS key log text (or its UTF-8/ASCII bytes) and adds its entries. */
  add(text: string | Uint8Array): void {
    const s = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.length).toString('latin1');
    let start = 0;
    while (start < s.length) {
      let end = s.indexOf('\n', start);
      if (end < 0) end = s.length;
      this.line(s.slice(start, end));
      start = end + 1;
    }
  }

  /** Connections with at least one secret. */
  get size(): number {
    return this.byRandom.size;
  }

  /** The secrets of the connection whose ClientHello carried `clientRandom` (32 bytes). */
  lookup(clientRandom: Uint8Array): KeyLogSecrets | undefined {
    if (clientRandom.length !== 32 || this.byRandom.size === 0) return undefined;
    return this.byRandom.get(Buffer.from(clientRandom.buffer, clientRandom.byteOffset, 32).toString('hex'));
  }

  private line(raw: string): void {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      this.badLines++;
      return;
    }
    const [label, random, secret] = parts as [string, string, string];
    const field = LABEL_FIELD[label];
    if (field === undefined) {
      // Labels we do not use (EARLY_EXPORTER_SECRET, RSA ...) are fine; lower-case junk is not.
      if (!/^[A-Z0-9_]+$/.test(label)) this.badLines++;
      return;
    }
    if (random.length !== 64 || !HEX.test(random) || secret.length % 2 !== 0 || secret.length === 0 || secret.length > 2 * MAX_SECRET_BYTES || !HEX.test(secret)) {
      this.badLines++;
      return;
    }
    const key = random.toLowerCase();
    let entry = this.byRandom.get(key);
    if (entry === undefined) {
      if (this.byRandom.size >= this.maxEntries) {
        this.limitReached = true;
        return;
      }
      entry = {};
      this.byRandom.set(key, entry);
    }
    entry[field] = new Uint8Array(Buffer.from(secret, 'hex'));
  }
}
