/**
 * Facts about a server's certificates, judged at capture time. Facts are not findings: they
 * say what is true ("the leaf expired 3 days before this session"), and classify/rules/* decide
 * what that means (principle 11). Time is always an explicit argument (`atUs`, the session's
 * first packet, µs since the epoch), never the wall clock, so output is deterministic.
 *
 * Fact names are stable (they are stored and matched by rules); see FACT_NAMES.
 */
import type { ParsedCertificate } from './certificate.js';
import { EKU } from './oids.js';
import { WEAK_HASHES } from './oids.js';
import { sameName } from './name.js';

/** Every fact name, with what it means. Per-certificate unless marked "chain". */
export const FACT_NAMES = {
  expired: 'capture time is after notAfter',
  not_yet_valid: 'capture time is before notBefore',
  validity_inverted: 'notAfter is before notBefore',
  validity_too_long: 'leaf validity exceeds the CA/B Forum maximum in force when it was issued (398 days from 2020-09-01, 825 from 2018-03-01, 39 months from 2015-04-01, 60 months from 2012-07-01)',
  weak_key: 'RSA, DSA or DH key under 2048 bits, or EC key under 224 bits',
  weak_signature: 'signed with MD2, MD4, MD5 or SHA-1 (not raised for self-signed certificates, whose signature nobody relies on)',
  missing_san: 'leaf without a subjectAltName DNS or IP entry (clients that ignore CN reject it)',
  self_signed: 'leaf whose issuer is its subject and whose signature verifies with its own key',
  leaf_is_ca: 'leaf with basicConstraints cA=TRUE',
  no_server_auth: 'leaf whose extendedKeyUsage does not allow TLS server authentication',
  unknown_critical_extension: 'a critical extension a TLS client does not process (it must reject the certificate)',
  precertificate: 'carries the CT poison extension: a precertificate, never meant to be served',
  explicit_ec_parameters: 'EC key with inline curve parameters (forbidden by RFC 5480; the CurveBall vector)',
  malformed_public_key: 'the subjectPublicKey does not fit its algorithm (e.g. an RSA key that is not an RSAPublicKey)',
  embedded_nul: 'a NUL character inside a subject, issuer or DNS name',
  malformed_extensions: 'an extension that does not fit its grammar, or appears twice',
  signature_algorithm_mismatch: 'the TBS signature algorithm differs from the outer one (RFC 5280 §4.1.1.2)',
  chain_order: 'chain: a certificate is not issued by the one that follows it',
  chain_duplicate: 'chain: the same certificate is sent more than once',
} as const;

export type FactName = keyof typeof FACT_NAMES;

export interface Fact {
  name: FactName;
  /** Position in the chain (0 = leaf), or null for a chain-level fact. */
  cert: number | null;
  /** Human-readable specifics, e.g. "rsa 1024 bits" or "notAfter 2020-01-01T00:00:00Z". */
  detail: string;
}

/** One certificate of the chain as traits see it; `cert` is null when it did not parse. */
export interface ChainMember {
  cert: ParsedCertificate | null;
  /** Issuer = subject and the signature verifies with its own key (null: could not check). */
  selfSigned: boolean | null;
}

const DAY = 86400;

/** Critical extensions a TLS client processes (RFC 5280 §4.2 "MUST recognize" list + common ones). */
const PROCESSED = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.36', // policyConstraints
  '2.5.29.37', // extendedKeyUsage
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.1.24', // tlsfeature (OCSP must-staple)
]);
const CT_POISON = '1.3.6.1.4.1.11129.2.4.3';

/** Facts of the whole chain (leaf first): each certificate's, then the chain-level ones. */
export function chainFacts(chain: readonly ChainMember[], atUs: number): Fact[] {
  const facts: Fact[] = [];
  chain.forEach((m, i) => {
    if (m.cert !== null) facts.push(...certificateFacts(m.cert, i, m.selfSigned, atUs));
  });
  const seen = new Set<string>();
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i]!.cert;
    if (c === null) continue;
    if (seen.has(c.sha256)) facts.push({ name: 'chain_duplicate', cert: null, detail: `certificate ${i} repeats an earlier one` });
    seen.add(c.sha256);
    const next = chain[i + 1]?.cert;
    if (next != null && !sameName(c.issuerDer, c.issuer, next.subjectDer, next.subject)) {
      facts.push({ name: 'chain_order', cert: null, detail: `certificate ${i + 1} is not the issuer of certificate ${i}` });
    }
  }
  return facts;
}

/**
 * Facts about one certificate at `index` in its chain (0 = leaf), at capture time `atUs`
 * (µs since the epoch). `selfSigned` comes from a signature check (verify.ts).
 */
export function certificateFacts(c: ParsedCertificate, index: number, selfSigned: boolean | null, atUs: number): Fact[] {
  const out: Fact[] = [];
  const add = (name: FactName, detail: string) => out.push({ name, cert: index, detail });
  const at = Math.floor(atUs / 1e6);
  const leaf = index === 0;
  const isCa = c.ext.basicConstraints?.ca === true;

  if (c.notAfter !== null && at > c.notAfter.epoch) add('expired', `notAfter ${c.notAfter.iso}`);
  if (c.notBefore !== null && at < c.notBefore.epoch) add('not_yet_valid', `notBefore ${c.notBefore.iso}`);
  if (c.notBefore !== null && c.notAfter !== null) {
    if (c.notAfter.epoch < c.notBefore.epoch) add('validity_inverted', `${c.notBefore.iso} > ${c.notAfter.iso}`);
    else if (leaf && !isCa) {
      const limit = maxLeafValidity(c.notBefore.epoch);
      const seconds = c.notAfter.epoch - c.notBefore.epoch + 1; // RFC 5280 §4.1.2.5: both ends inclusive
      if (limit !== null && seconds > limit.seconds) add('validity_too_long', `${Math.round(seconds / DAY)} days > ${limit.text}`);
    }
  }

  const weakBits = weakKeyThreshold(c.keyType);
  if (weakBits !== null && c.keyBits !== null && c.keyBits < weakBits) add('weak_key', `${c.keyType} ${c.keyBits} bits`);
  if (c.signatureHash !== null && WEAK_HASHES.has(c.signatureHash) && selfSigned !== true) add('weak_signature', c.signatureAlgorithm);

  if (leaf && !isCa) {
    const usable = (c.ext.san ?? []).some((g) => g.kind === 'dns' || g.kind === 'ip');
    if (!usable) add('missing_san', c.ext.san === null ? 'no subjectAltName extension' : 'subjectAltName has no DNS or IP entry');
  }
  if (leaf && selfSigned === true) add('self_signed', c.subject.text);
  if (leaf && isCa) add('leaf_is_ca', 'basicConstraints cA=TRUE');
  if (leaf && c.ext.extKeyUsage !== null) {
    const e = c.ext.extKeyUsage;
    if (!e.includes(EKU.serverAuth) && !e.includes(EKU.any) && !e.includes(EKU.nsSgc) && !e.includes(EKU.msSgc)) {
      add('no_server_auth', `extendedKeyUsage ${e.join(' ')}`);
    }
  }

  for (const e of c.ext.list) {
    if (e.oid === CT_POISON) add('precertificate', 'ct_precert_poison');
    else if (e.critical && !PROCESSED.has(e.oid)) add('unknown_critical_extension', e.name ?? e.oid);
  }
  if (c.problems.includes('explicit_ec_parameters')) add('explicit_ec_parameters', c.keyCurve ?? 'explicit');
  if (c.problems.includes('bad_public_key')) add('malformed_public_key', c.keyType);
  const nulIn = [
    c.subject.hasNul ? 'subject' : '',
    c.issuer.hasNul ? 'issuer' : '',
    (c.ext.san ?? []).some((g) => g.value.includes('\0')) ? 'subjectAltName' : '',
  ].filter(Boolean);
  if (nulIn.length > 0) add('embedded_nul', nulIn.join(' '));
  const bad = c.problems.filter((p) => p.startsWith('bad_extension') || p === 'duplicate_extension');
  if (bad.length > 0) add('malformed_extensions', [...new Set(bad)].join(' '));
  if (c.problems.includes('signature_algorithm_mismatch')) add('signature_algorithm_mismatch', c.signatureAlgorithm);
  return out;
}

/** Minimum acceptable key size by key type (NIST SP 800-131A, CA/B Forum BR §6.1.5), or null when not judged. */
function weakKeyThreshold(keyType: string): number | null {
  if (keyType === 'rsa' || keyType === 'rsa-pss' || keyType === 'dsa' || keyType === 'dh') return 2048;
  if (keyType === 'ec' || keyType === 'sm2') return 224;
  return null;
}

/**
 * The CA/B Forum Baseline Requirements maximum validity for a subscriber certificate issued at
 * `notBefore` (epoch seconds): 398 days from 2020-09-01 (BR 6.3.2, ballot SC31), 825 days from
 * 2018-03-01 (ballot 193), 39 months from 2015-04-01 (BR 1.0 §9.4.1), 60 months from 2012-07-01
 * (BR 1.0 effective date). Null before that: no industry limit existed.
 */
export function maxLeafValidity(notBefore: number): { seconds: number; text: string } | null {
  if (notBefore >= Date.UTC(2020, 8, 1) / 1000) return { seconds: 398 * DAY, text: '398 days' };
  if (notBefore >= Date.UTC(2018, 2, 1) / 1000) return { seconds: 825 * DAY, text: '825 days' };
  if (notBefore >= Date.UTC(2015, 3, 1) / 1000) return { seconds: monthsLater(notBefore, 39) - notBefore + 1, text: '39 months' };
  if (notBefore >= Date.UTC(2012, 6, 1) / 1000) return { seconds: monthsLater(notBefore, 60) - notBefore + 1, text: '60 months' };
  return null;
}

function monthsLater(epoch: number, months: number): number {
  const d = new Date(epoch * 1000);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime() / 1000;
}

/** Validity period in days, both ends inclusive (RFC 5280 §4.1.2.5), rounded to a whole day. */
export function validityDays(c: ParsedCertificate): number | null {
  if (c.notBefore === null || c.notAfter === null) return null;
  return Math.round((c.notAfter.epoch - c.notBefore.epoch + 1) / DAY);
}
