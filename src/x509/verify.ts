/**
 * "Was `child` signed with `issuer`'s key?" — node:crypto `verify()` over the TBS bytes with the
 * issuer's SubjectPublicKeyInfo, for RSA (PKCS#1 v1.5 and PSS), ECDSA, DSA and EdDSA. Any other
 * signature algorithm falls back to Node's X509Certificate.verify() (OpenSSL), built lazily.
 *
 * The answer is true, false (the signature does not verify, or key and algorithm do not fit),
 * or null: cannot tell (the key or algorithm is unknown to this Node/OpenSSL, e.g. ML-DSA on
 * Node 20, MD2). Results are remembered per (child, issuer) pair. Never throws.
 */
import { constants, createPublicKey, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import type { ParsedCertificate } from './certificate.js';
import { LIMITS } from '../config/limits.js';
import { SIGNATURE_ALGORITHMS } from './oids.js';

export type VerifyResult = boolean | null;

export class SignatureVerifier {
  private readonly results = new Map<string, VerifyResult>();
  private readonly keys = new WeakMap<ParsedCertificate, KeyObject | null>();
  /** Signature operations actually run (cache misses). */
  operations = 0;

  constructor(private readonly max: number = LIMITS.maxCachedVerifications) {}

  verify(child: ParsedCertificate, issuer: ParsedCertificate): VerifyResult {
    const k = child.sha256 + issuer.sha256;
    const hit = this.results.get(k);
    if (hit !== undefined) return hit;
    this.operations++;
    const r = verifySignature(child, this.publicKey(issuer));
    if (this.results.size >= this.max) {
      const oldest = this.results.keys().next();
      if (!oldest.done) this.results.delete(oldest.value);
    }
    this.results.set(k, r);
    return r;
  }

  /** The certificate's public key as a KeyObject, or null when Node cannot read it. */
  publicKey(cert: ParsedCertificate): KeyObject | null {
    let key = this.keys.get(cert);
    if (key === undefined) {
      key = importKey(cert.spki);
      this.keys.set(cert, key);
    }
    return key;
  }
}

export function importKey(spki: Uint8Array): KeyObject | null {
  try {
    return createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.length), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** One signature check (no cache). */
export function verifySignature(child: ParsedCertificate, key: KeyObject | null): VerifyResult {
  if (key === null) return null;
  const info = SIGNATURE_ALGORITHMS.get(child.signatureAlgorithmOid);
  const keyType = key.asymmetricKeyType;
  const tbs = child.tbs;
  const sig = child.signature;
  try {
    switch (info?.scheme) {
      case 'rsa':
        if (keyType !== 'rsa') return false;
        return cryptoVerify(info.hash, tbs, key, sig);
      case 'rsa-pss': {
        const p = child.pss;
        if (keyType !== 'rsa' && keyType !== 'rsa-pss') return false;
        if (p === null || p.hash === null) return null;
        // node:crypto uses the signature digest for MGF1 too; other combinations go to OpenSSL.
        if (p.mgfHash !== p.hash) return viaOpenSsl(child, key, true);
        return cryptoVerify(p.hash, tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength }, sig);
      }
      case 'ecdsa':
        if (keyType !== 'ec') return false;
        return cryptoVerify(info.hash, tbs, { key, dsaEncoding: 'der' }, sig);
      case 'dsa':
        if (keyType !== 'dsa') return false;
        return cryptoVerify(info.hash, tbs, { key, dsaEncoding: 'der' }, sig);
      case 'eddsa': {
        const want = child.signatureAlgorithmOid === '1.3.101.112' ? 'ed25519' : 'ed448';
        if (keyType !== want) return false;
        return cryptoVerify(null, tbs, key, sig);
      }
      default:
        // OpenSSL may not know the algorithm at all, in which case its `false` means "cannot tell".
        return viaOpenSsl(child, key, false);
    }
  } catch {
    // Digest or key unsupported by this OpenSSL build (MD2, MD4...): cannot tell.
    return null;
  }
}

function viaOpenSsl(child: ParsedCertificate, key: KeyObject, knownAlgorithm: boolean): VerifyResult {
  try {
    const ok = new X509Certificate(child.der).verify(key);
    return ok || knownAlgorithm ? ok : null;
  } catch {
    return null;
  }
}
