/**
 * OBJECT IDENTIFIER names used by the certificate stage. Wire values stay dotted strings; these
 * tables only name them (an unknown OID is shown as itself, never an error).
 * Names follow OpenSSL's short/long names where one exists, so they read like `openssl x509 -text`.
 */

/** How a signature algorithm hashes and signs (for weak-signature facts and verification). */
export interface SignatureAlgorithmInfo {
  name: string;
  /** Digest as node:crypto names it; null when the scheme hashes internally (EdDSA, ML-DSA) or is PSS (in the parameters). */
  hash: string | null;
  /** The key family the signature needs. */
  scheme: 'rsa' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'eddsa' | 'ml-dsa' | 'sm2' | 'other';
}

const sig = (name: string, hash: string | null, scheme: SignatureAlgorithmInfo['scheme']): SignatureAlgorithmInfo => ({ name, hash, scheme });

/** RFC 3279, RFC 4055, RFC 5758, RFC 8410, FIPS 204 (ML-DSA, draft-ietf-lamps-dilithium-certificates). */
export const SIGNATURE_ALGORITHMS: ReadonlyMap<string, SignatureAlgorithmInfo> = new Map([
  ['1.2.840.113549.1.1.2', sig('md2WithRSAEncryption', 'md2', 'rsa')],
  ['1.2.840.113549.1.1.3', sig('md4WithRSAEncryption', 'md4', 'rsa')],
  ['1.2.840.113549.1.1.4', sig('md5WithRSAEncryption', 'md5', 'rsa')],
  ['1.2.840.113549.1.1.5', sig('sha1WithRSAEncryption', 'sha1', 'rsa')],
  ['1.2.840.113549.1.1.10', sig('rsassaPss', null, 'rsa-pss')],
  ['1.2.840.113549.1.1.11', sig('sha256WithRSAEncryption', 'sha256', 'rsa')],
  ['1.2.840.113549.1.1.12', sig('sha384WithRSAEncryption', 'sha384', 'rsa')],
  ['1.2.840.113549.1.1.13', sig('sha512WithRSAEncryption', 'sha512', 'rsa')],
  ['1.2.840.113549.1.1.14', sig('sha224WithRSAEncryption', 'sha224', 'rsa')],
  ['1.2.840.113549.1.1.15', sig('sha512-224WithRSAEncryption', 'sha512-224', 'rsa')],
  ['1.2.840.113549.1.1.16', sig('sha512-256WithRSAEncryption', 'sha512-256', 'rsa')],
  ['1.3.14.3.2.3', sig('md5WithRSA', 'md5', 'rsa')],
  ['1.3.14.3.2.29', sig('sha1WithRSA', 'sha1', 'rsa')],
  ['2.16.840.1.101.3.4.3.13', sig('RSA-SHA3-224', 'sha3-224', 'rsa')],
  ['2.16.840.1.101.3.4.3.14', sig('RSA-SHA3-256', 'sha3-256', 'rsa')],
  ['2.16.840.1.101.3.4.3.15', sig('RSA-SHA3-384', 'sha3-384', 'rsa')],
  ['2.16.840.1.101.3.4.3.16', sig('RSA-SHA3-512', 'sha3-512', 'rsa')],
  ['1.2.840.10045.4.1', sig('ecdsa-with-SHA1', 'sha1', 'ecdsa')],
  ['1.2.840.10045.4.3.1', sig('ecdsa-with-SHA224', 'sha224', 'ecdsa')],
  ['1.2.840.10045.4.3.2', sig('ecdsa-with-SHA256', 'sha256', 'ecdsa')],
  ['1.2.840.10045.4.3.3', sig('ecdsa-with-SHA384', 'sha384', 'ecdsa')],
  ['1.2.840.10045.4.3.4', sig('ecdsa-with-SHA512', 'sha512', 'ecdsa')],
  ['2.16.840.1.101.3.4.3.9', sig('ecdsa_with_SHA3-224', 'sha3-224', 'ecdsa')],
  ['2.16.840.1.101.3.4.3.10', sig('ecdsa_with_SHA3-256', 'sha3-256', 'ecdsa')],
  ['2.16.840.1.101.3.4.3.11', sig('ecdsa_with_SHA3-384', 'sha3-384', 'ecdsa')],
  ['2.16.840.1.101.3.4.3.12', sig('ecdsa_with_SHA3-512', 'sha3-512', 'ecdsa')],
  ['1.2.840.10040.4.3', sig('dsaWithSHA1', 'sha1', 'dsa')],
  ['1.3.14.3.2.27', sig('dsaWithSHA1-old', 'sha1', 'dsa')],
  ['2.16.840.1.101.3.4.3.1', sig('dsa_with_SHA224', 'sha224', 'dsa')],
  ['2.16.840.1.101.3.4.3.2', sig('dsa_with_SHA256', 'sha256', 'dsa')],
  ['1.3.101.112', sig('ED25519', null, 'eddsa')],
  ['1.3.101.113', sig('ED448', null, 'eddsa')],
  ['2.16.840.1.101.3.4.3.17', sig('ML-DSA-44', null, 'ml-dsa')],
  ['2.16.840.1.101.3.4.3.18', sig('ML-DSA-65', null, 'ml-dsa')],
  ['2.16.840.1.101.3.4.3.19', sig('ML-DSA-87', null, 'ml-dsa')],
  ['1.2.156.10197.1.501', sig('SM2-with-SM3', 'sm3', 'sm2')],
  ['1.2.643.7.1.1.3.2', sig('GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)', null, 'other')],
  ['1.2.643.7.1.1.3.3', sig('GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)', null, 'other')],
  ['1.2.643.2.2.3', sig('GOST R 34.11-94 with GOST R 34.10-2001', null, 'other')],
]);

/** Digest OIDs (in RSASSA-PSS parameters, RFC 4055 §2.1). */
export const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.2.2', 'md2'],
  ['1.2.840.113549.2.5', 'md5'],
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
  ['2.16.840.1.101.3.4.2.5', 'sha512-224'],
  ['2.16.840.1.101.3.4.2.6', 'sha512-256'],
  ['2.16.840.1.101.3.4.2.7', 'sha3-224'],
  ['2.16.840.1.101.3.4.2.8', 'sha3-256'],
  ['2.16.840.1.101.3.4.2.9', 'sha3-384'],
  ['2.16.840.1.101.3.4.2.10', 'sha3-512'],
]);

export const OID_MGF1 = '1.2.840.113549.1.1.8';

/** Digests no longer accepted for certificate signatures (CA/B Forum BR §7.1.3; SHA-1 sunset 2016). */
export const WEAK_HASHES: ReadonlySet<string> = new Set(['md2', 'md4', 'md5', 'sha1']);

/**
 * SubjectPublicKeyInfo algorithm → key type, spelled like node:crypto's `asymmetricKeyType`
 * ('rsa', 'ec', 'ed25519' ...) so records agree with what Node reports.
 */
export const KEY_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'rsa'],
  ['1.2.840.113549.1.1.10', 'rsa-pss'],
  ['2.5.8.1.1', 'rsa'],
  ['1.2.840.10045.2.1', 'ec'],
  ['1.2.840.10040.4.1', 'dsa'],
  ['1.2.840.10046.2.1', 'dh'],
  ['1.3.101.110', 'x25519'],
  ['1.3.101.111', 'x448'],
  ['1.3.101.112', 'ed25519'],
  ['1.3.101.113', 'ed448'],
  ['2.16.840.1.101.3.4.3.17', 'ml-dsa-44'],
  ['2.16.840.1.101.3.4.3.18', 'ml-dsa-65'],
  ['2.16.840.1.101.3.4.3.19', 'ml-dsa-87'],
  ['1.2.156.10197.1.301', 'sm2'],
  ['1.2.643.7.1.1.1.1', 'gost2012_256'],
  ['1.2.643.7.1.1.1.2', 'gost2012_512'],
  ['1.2.643.2.2.19', 'gost2001'],
]);

/**
 * Key sizes of the algorithms whose size is fixed by the algorithm (bits as OpenSSL's
 * EVP_PKEY_get_bits reports them: ED25519_BITS 256, ED448_BITS 456, X25519_BITS 253, X448_BITS 448).
 */
export const FIXED_KEY_BITS: ReadonlyMap<string, number> = new Map([
  ['ed25519', 256],
  ['ed448', 456],
  ['x25519', 253],
  ['x448', 448],
]);

/** Named curves (RFC 5480 §2.1.1.1, SEC 2, RFC 5639 brainpool) → OpenSSL name and size in bits. */
export const CURVES: ReadonlyMap<string, { name: string; bits: number }> = new Map([
  ['1.2.840.10045.3.1.1', { name: 'prime192v1', bits: 192 }],
  ['1.3.132.0.33', { name: 'secp224r1', bits: 224 }],
  ['1.2.840.10045.3.1.7', { name: 'prime256v1', bits: 256 }],
  ['1.3.132.0.34', { name: 'secp384r1', bits: 384 }],
  ['1.3.132.0.35', { name: 'secp521r1', bits: 521 }],
  ['1.3.132.0.10', { name: 'secp256k1', bits: 256 }],
  ['1.3.132.0.6', { name: 'secp112r1', bits: 112 }],
  ['1.3.132.0.8', { name: 'secp160r1', bits: 160 }],
  ['1.3.132.0.30', { name: 'secp160r2', bits: 160 }],
  ['1.3.132.0.31', { name: 'secp192k1', bits: 192 }],
  ['1.3.132.0.32', { name: 'secp224k1', bits: 225 }],
  ['1.3.36.3.3.2.8.1.1.1', { name: 'brainpoolP160r1', bits: 160 }],
  ['1.3.36.3.3.2.8.1.1.3', { name: 'brainpoolP192r1', bits: 192 }],
  ['1.3.36.3.3.2.8.1.1.5', { name: 'brainpoolP224r1', bits: 224 }],
  ['1.3.36.3.3.2.8.1.1.7', { name: 'brainpoolP256r1', bits: 256 }],
  ['1.3.36.3.3.2.8.1.1.9', { name: 'brainpoolP320r1', bits: 320 }],
  ['1.3.36.3.3.2.8.1.1.11', { name: 'brainpoolP384r1', bits: 384 }],
  ['1.3.36.3.3.2.8.1.1.13', { name: 'brainpoolP512r1', bits: 512 }],
  ['1.2.156.10197.1.301', { name: 'SM2', bits: 256 }],
]);

/** Extension OIDs (RFC 5280 §4.2 and common private ones) → OpenSSL short name. */
export const EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['2.5.29.14', 'subjectKeyIdentifier'],
  ['2.5.29.15', 'keyUsage'],
  ['2.5.29.16', 'privateKeyUsagePeriod'],
  ['2.5.29.17', 'subjectAltName'],
  ['2.5.29.18', 'issuerAltName'],
  ['2.5.29.19', 'basicConstraints'],
  ['2.5.29.30', 'nameConstraints'],
  ['2.5.29.31', 'crlDistributionPoints'],
  ['2.5.29.32', 'certificatePolicies'],
  ['2.5.29.33', 'policyMappings'],
  ['2.5.29.35', 'authorityKeyIdentifier'],
  ['2.5.29.36', 'policyConstraints'],
  ['2.5.29.37', 'extendedKeyUsage'],
  ['2.5.29.46', 'freshestCRL'],
  ['2.5.29.54', 'inhibitAnyPolicy'],
  ['1.3.6.1.5.5.7.1.1', 'authorityInfoAccess'],
  ['1.3.6.1.5.5.7.1.11', 'subjectInfoAccess'],
  ['1.3.6.1.5.5.7.1.24', 'tlsfeature'],
  ['1.3.6.1.5.5.7.1.3', 'qcStatements'],
  ['1.3.6.1.4.1.11129.2.4.2', 'ct_precert_scts'],
  ['1.3.6.1.4.1.11129.2.4.3', 'ct_precert_poison'],
  ['2.16.840.1.113730.1.1', 'nsCertType'],
  ['2.16.840.1.113730.1.13', 'nsComment'],
  ['1.3.6.1.4.1.311.20.2', 'msCertificateTemplateName'],
  ['1.3.6.1.4.1.311.21.7', 'msCertificateTemplate'],
  ['1.3.6.1.4.1.311.21.10', 'msApplicationPolicies'],
  ['1.3.6.1.4.1.311.21.1', 'msCaVersion'],
]);

/** Extended key usage purposes (RFC 5280 §4.2.1.12). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  any: '2.5.29.37.0',
  /** Netscape / Microsoft Server Gated Crypto, accepted by old clients as server auth. */
  nsSgc: '2.16.840.1.113730.4.1',
  msSgc: '1.3.6.1.4.1.311.10.3.3',
} as const;

/**
 * Attribute types with a registered LDAP descriptor (RFC 4514 §3 table, RFC 4519, RFC 2985 for
 * emailAddress). Any other type is written as a dotted OID, with its value as `#` + hex of the
 * BER encoding (RFC 4514 §2.4).
 */
export const ATTRIBUTE_TYPES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.18', 'postOfficeBox'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'givenName'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
]);

export const OID_COMMON_NAME = '2.5.4.3';
