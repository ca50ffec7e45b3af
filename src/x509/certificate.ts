/**
 * DER certificate → ParsedCertificate: the grammar only, no judgement (facts are traits.ts,
 * trust is chain.ts). Our own DER reader (der.ts) reads every field, for every key algorithm:
 * Node's X509Certificate throws for keys OpenSSL does not know (ML-DSA on Node 20) and does not
 * expose the signature algorithm, key usage, SKI/AKI or the extension list. X509Certificate is
 * still used, lazily, as the fallback verifier for signature algorithms verify.ts does not map.
 *
 * RFC 5280 §4.1:
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
 *                              signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
 *       signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name,
 *       subjectPublicKeyInfo SubjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL,
 *       subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT Extensions OPTIONAL }
 *   Validity ::= SEQUENCE { notBefore Time, notAfter Time }
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
 *
 * Parsing never throws. A certificate whose mandatory fields do not fit the grammar is
 * `{ ok: false, error }` with a stable name; odd-but-readable things are listed in `problems`.
 */
import { hash } from 'node:crypto';
import {
  bitString,
  encoded,
  integerBits,
  integerHex,
  isContext,
  isUniversal,
  readChildren,
  readOid,
  readTime,
  readTlv,
  smallInteger,
  TAG,
  type DerTime,
  type Tlv,
} from './der.js';
import { emptyExtensions, isExtensionsField, readExtensions, type DecodedExtensions } from './extensions.js';
import { LIMITS } from '../config/limits.js';
import { readName, type ParsedName } from './name.js';
import { CURVES, FIXED_KEY_BITS, HASH_ALGORITHMS, KEY_ALGORITHMS, OID_MGF1, SIGNATURE_ALGORITHMS } from './oids.js';
import { sameBytes } from '../bytes/equal.js';
import { sha256Hex } from '../fingerprint/hash.js';

/** RSASSA-PSS-params (RFC 4055 §3.1), defaults applied. */
export interface PssParams {
  hash: string | null;
  mgfHash: string | null;
  saltLength: number;
}

export interface ParsedCertificate {
  /** The DER as received (shared, not copied). */
  der: Uint8Array;
  sha1: string;
  sha256: string;
  /** 1, 2 or 3 (X.509 version number, not the encoded 0..2). */
  version: number;
  /** Lowercase hex, no leading zero octets. */
  serial: string;
  /** The signed bytes: the encoded TBSCertificate. */
  tbs: Uint8Array;
  signatureAlgorithmOid: string;
  /** OpenSSL name ("sha256WithRSAEncryption", "ecdsa-with-SHA256"...), or the OID when unnamed. */
  signatureAlgorithm: string;
  /** Digest the signature uses (from the PSS parameters for rsassaPss); null for EdDSA/ML-DSA or unknown. */
  signatureHash: string | null;
  pss: PssParams | null;
  /** signatureValue octets. */
  signature: Uint8Array;
  issuer: ParsedName;
  subject: ParsedName;
  /** Encoded issuer and subject Names (for exact issuer/subject comparison). */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  notBefore: DerTime | null;
  notAfter: DerTime | null;
  /** Encoded SubjectPublicKeyInfo. */
  spki: Uint8Array;
  keyAlgorithmOid: string;
  /** Like node:crypto's asymmetricKeyType ('rsa', 'ec', 'ed25519', 'ml-dsa-44'...), or the OID. */
  keyType: string;
  /** Modulus bits (RSA), prime bits (DSA/DH), curve size (EC, EdDSA); null when unknown. */
  keyBits: number | null;
  /** EC curve name (OpenSSL spelling), 'explicit' for inline parameters, or the curve OID. */
  keyCurve: string | null;
  ext: DecodedExtensions;
  /**
   * Odd-but-readable things, stable names: signature_algorithm_mismatch, bad_validity_time,
   * explicit_ec_parameters, bad_public_key, unknown_version, trailing_bytes, plus the
   * extension problems (duplicate_extension, bad_extension_<name>, bad_extensions).
   */
  problems: string[];
}

export type CertificateParse =
  | { ok: true; cert: ParsedCertificate }
  | {
      ok: false;
      /** certificate_too_large | bad_certificate | bad_tbs | bad_serial | bad_signature_algorithm | bad_issuer | bad_validity | bad_subject | bad_spki | bad_signature_value */
      error: string;
      sha1: string;
      sha256: string;
    };

/**
 * The subject name alone (trust anchors are indexed by it before anyone needs the rest):
 * TBSCertificate's sixth field, or fifth without the [0] version. Null when it cannot be read.
 */
export function subjectName(der: Uint8Array): ParsedName | null {
  const outer = readTlv(der, 0, der.length);
  if (!isUniversal(outer, TAG.SEQUENCE)) return null;
  const tbs = readTlv(der, outer.valueStart, outer.end);
  if (!isUniversal(tbs, TAG.SEQUENCE)) return null;
  const f = readChildren(der, tbs, 10);
  const subject = f?.[isContext(f[0], 0) ? 5 : 4];
  return isUniversal(subject, TAG.SEQUENCE) ? readName(der, subject) : null;
}

/** Parses one DER certificate. Never throws. */
export function parseCertificate(der: Uint8Array): CertificateParse {
  const sha1 = hash('sha1', der, 'hex');
  const sha256 = sha256Hex(der);
  const fail = (error: string): CertificateParse => ({ ok: false, error, sha1, sha256 });
  if (der.length > LIMITS.maxCertificateBytes) return fail('certificate_too_large');
  try {
    return parse(der, sha1, sha256, fail);
  } catch {
    // The grammar code above returns values; this is the x509 boundary's single safety net
    // (principle 4): an unforeseen exception is a malformed certificate, never a crash.
    return fail('bad_certificate');
  }
}

function parse(der: Uint8Array, sha1: string, sha256: string, fail: (e: string) => CertificateParse): CertificateParse {
  const problems: string[] = [];
  const outer = readTlv(der, 0, der.length);
  if (!isUniversal(outer, TAG.SEQUENCE)) return fail('bad_certificate');
  if (outer.end !== der.length) problems.push('trailing_bytes');
  const top = readChildren(der, outer, 3);
  if (top === null || top.length !== 3) return fail('bad_certificate');
  const [tbsT, sigAlgT, sigT] = top as [Tlv, Tlv, Tlv];
  if (!isUniversal(tbsT, TAG.SEQUENCE)) return fail('bad_tbs');

  const f = readChildren(der, tbsT, 10);
  if (f === null) return fail('bad_tbs');
  let i = 0;
  let version = 1;
  if (isContext(f[0], 0)) {
    const v = readTlv(der, f[0].valueStart, f[0].end);
    const n = v !== null && v.end === f[0].end ? smallInteger(der, v) : null;
    if (n === null) return fail('bad_tbs');
    version = n + 1;
    if (n > 2) problems.push('unknown_version');
    i = 1;
  }
  const serialT = f[i++];
  if (!isUniversal(serialT, TAG.INTEGER) || serialT.end === serialT.valueStart) return fail('bad_serial');
  const serial = integerHex(der, serialT);

  const innerAlg = readAlgorithm(der, f[i++]);
  if (innerAlg === null) return fail('bad_signature_algorithm');

  const issuerT = f[i++];
  const issuer = readName(der, issuerT);
  if (issuer === null || issuerT === undefined) return fail('bad_issuer');

  const validityT = f[i++];
  const validity = isUniversal(validityT, TAG.SEQUENCE) ? readChildren(der, validityT, 2) : null;
  if (validity === null || validity.length !== 2) return fail('bad_validity');
  const notBefore = readTime(der, validity[0]);
  const notAfter = readTime(der, validity[1]);
  if (notBefore === null || notAfter === null) problems.push('bad_validity_time');

  const subjectT = f[i++];
  const subject = readName(der, subjectT);
  if (subject === null || subjectT === undefined) return fail('bad_subject');

  const spkiT = f[i++];
  const spkiKids = isUniversal(spkiT, TAG.SEQUENCE) ? readChildren(der, spkiT, 2) : null;
  const keyAlg = spkiKids !== null && spkiKids.length === 2 ? readAlgorithm(der, spkiKids[0]) : null;
  const keyBitsT = spkiKids?.[1];
  const keyBitString = bitString(der, keyBitsT);
  if (spkiT === undefined || keyAlg === null || keyBitString === null) return fail('bad_spki');

  let ext: DecodedExtensions = emptyExtensions();
  for (; i < f.length; i++) {
    const t = f[i]!;
    if (isContext(t, 1) || isContext(t, 2)) continue; // issuer/subject unique IDs (v2), not used
    if (isExtensionsField(t)) {
      ext = readExtensions(der, t);
      problems.push(...ext.problems);
    } else {
      return fail('bad_tbs');
    }
  }

  const sigAlg = readAlgorithm(der, sigAlgT);
  if (sigAlg === null) return fail('bad_signature_algorithm');
  const sig = bitString(der, sigT);
  if (sig === null) return fail('bad_signature_value');
  if (!sameBytes(encoded(der, sigAlgT), innerAlg.encoded)) problems.push('signature_algorithm_mismatch');

  const info = SIGNATURE_ALGORITHMS.get(sigAlg.oid);
  const pss = info?.scheme === 'rsa-pss' ? readPssParams(der, sigAlg.params) : null;
  const key = describeKey(der, keyAlg, keyBitString.bytes, problems);

  return {
    ok: true,
    cert: {
      der,
      sha1,
      sha256,
      version,
      serial,
      tbs: encoded(der, tbsT),
      signatureAlgorithmOid: sigAlg.oid,
      signatureAlgorithm: info?.name ?? sigAlg.oid,
      signatureHash: pss !== null ? pss.hash : (info?.hash ?? null),
      pss,
      signature: sig.bytes,
      issuer,
      subject,
      issuerDer: encoded(der, issuerT),
      subjectDer: encoded(der, subjectT),
      notBefore,
      notAfter,
      spki: encoded(der, spkiT),
      keyAlgorithmOid: keyAlg.oid,
      keyType: key.type,
      keyBits: key.bits,
      keyCurve: key.curve,
      ext,
      problems,
    },
  };
}

interface Algorithm {
  oid: string;
  /** The parameters TLV, when present. */
  params: Tlv | null;
  encoded: Uint8Array;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } */
function readAlgorithm(der: Uint8Array, t: Tlv | undefined): Algorithm | null {
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(der, t, 2) : null;
  if (kids === null || kids.length === 0) return null;
  const oid = readOid(der, kids[0]);
  if (oid === null) return null;
  return { oid, params: kids[1] ?? null, encoded: encoded(der, t!) };
}

/**
 * RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
 *   maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20,
 *   trailerField [3] TrailerField DEFAULT trailerFieldBC }
 */
function readPssParams(der: Uint8Array, t: Tlv | null): PssParams | null {
  const out: PssParams = { hash: 'sha1', mgfHash: 'sha1', saltLength: 20 };
  if (t === null || isUniversal(t, TAG.NULL)) return out;
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(der, t, 4) : null;
  if (kids === null) return null;
  for (const k of kids) {
    const inner = k.constructed ? readTlv(der, k.valueStart, k.end) : null;
    if (inner === null || !isContext(k, k.tag)) return null;
    if (k.tag === 0) {
      const alg = readAlgorithm(der, inner);
      out.hash = alg !== null ? (HASH_ALGORITHMS.get(alg.oid) ?? null) : null;
    } else if (k.tag === 1) {
      const alg = readAlgorithm(der, inner);
      const h = alg !== null && alg.oid === OID_MGF1 && alg.params !== null ? readAlgorithm(der, alg.params) : null;
      out.mgfHash = h !== null ? (HASH_ALGORITHMS.get(h.oid) ?? null) : null;
    } else if (k.tag === 2) {
      const n = smallInteger(der, inner);
      if (n === null) return null;
      out.saltLength = n;
    }
  }
  return out;
}

/** Key type, size and curve from the SubjectPublicKeyInfo (no crypto library needed). */
function describeKey(der: Uint8Array, alg: Algorithm, key: Uint8Array, problems: string[]): { type: string; bits: number | null; curve: string | null } {
  const type = KEY_ALGORITHMS.get(alg.oid) ?? alg.oid;
  const fixed = FIXED_KEY_BITS.get(type);
  if (fixed !== undefined) return { type, bits: fixed, curve: null };
  if (type === 'rsa' || type === 'rsa-pss') {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    const seq = readTlv(key, 0, key.length);
    const kids = isUniversal(seq, TAG.SEQUENCE) ? readChildren(key, seq, 2) : null;
    const n = kids?.[0];
    if (!isUniversal(n, TAG.INTEGER)) {
      problems.push('bad_public_key');
      return { type, bits: null, curve: null };
    }
    return { type, bits: integerBits(key, n), curve: null };
  }
  if (type === 'ec' || type === 'sm2') {
    let curve: string | null = null;
    let bits: number | null = null;
    const oid = readOid(der, alg.params);
    if (oid !== null) {
      const named = CURVES.get(oid);
      curve = named?.name ?? oid;
      bits = named?.bits ?? null;
    } else if (isUniversal(alg.params, TAG.SEQUENCE)) {
      // SpecifiedECDomain inline (RFC 3279 §2.3.5): forbidden by RFC 5480, the CurveBall (CVE-2020-0601) vector.
      curve = 'explicit';
      problems.push('explicit_ec_parameters');
    }
    if (bits === null) bits = ecPointBits(key);
    return { type, bits, curve };
  }
  if (type === 'dsa' || type === 'dh') {
    // Dss-Parms / DomainParameters ::= SEQUENCE { p INTEGER, ... }
    const kids = isUniversal(alg.params, TAG.SEQUENCE) ? readChildren(der, alg.params, 5) : null;
    const p = kids?.[0];
    return { type, bits: isUniversal(p, TAG.INTEGER) ? integerBits(der, p) : null, curve: null };
  }
  return { type, bits: null, curve: null };
}

/** Field size from an EC point: 04||X||Y (uncompressed) or 02/03||X (compressed), SEC 1 §2.3.3. */
function ecPointBits(point: Uint8Array): number | null {
  if (point.length < 2) return null;
  if (point[0] === 4 && point.length % 2 === 1) return ((point.length - 1) / 2) * 8;
  if (point[0] === 2 || point[0] === 3) return (point.length - 1) * 8;
  return null;
}

/**
 * Each distinct DER parsed once: results (failures included) are kept at most `max` of them,
 * the oldest dropped first. A session's certificates are looked up by their length and last 32
 * bytes (inside the signature value) and then compared byte for byte: hashing every DER of every
 * session to find it again cost more than the rest of the chain's description. Two different
 * DERs with the same key (only a forger would make them) are parsed, never confused.
 */
export class CertificateCache {
  private readonly byKey = new Map<string, { der: Uint8Array; result: CertificateParse }>();
  /** Distinct certificates that did not parse. */
  failures = 0;
  /** Distinct certificates parsed (cache misses). */
  parsed = 0;

  constructor(private readonly max: number = LIMITS.maxCachedCertificates) {}

  get size(): number {
    return this.byKey.size;
  }

  parse(der: Uint8Array): CertificateParse {
    const key = `${der.length}:${Buffer.from(der.buffer, der.byteOffset + Math.max(0, der.length - 32), Math.min(32, der.length)).toString('latin1')}`;
    const hit = this.byKey.get(key);
    if (hit !== undefined && sameBytes(hit.der, der)) return hit.result;
    const result = parseCertificate(der);
    this.parsed++;
    if (!result.ok) this.failures++;
    if (hit === undefined) {
      if (this.byKey.size >= this.max) {
        const oldest = this.byKey.keys().next();
        if (!oldest.done) this.byKey.delete(oldest.value);
      }
      // Kept as given: certificates come out of the handshake as copies (HandshakeSummary), as the parse keeps them.
      this.byKey.set(key, { der, result });
    }
    return result;
  }
}
