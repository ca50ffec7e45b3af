/**
 * Certificate fields, read from certificates openssl makes at test time, checked against what
 * openssl itself and node:crypto's X509Certificate say about the same DER.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateCache, parseCertificate, type ParsedCertificate } from '../../../src/x509/certificate.js';
import { CertificateAnalyzer } from '../../../src/x509/certificate-record.js';
import { KEY_USAGE } from '../../../src/x509/extensions.js';
import { SignatureVerifier } from '../../../src/x509/verify.js';
import { OpensslPki } from './openssl-pki.js';

let pki: OpensslPki;
const der: Record<string, Uint8Array> = {};

function parsed(name: string): ParsedCertificate {
  const r = parseCertificate(der[name]!);
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.cert;
}

/** `openssl x509 -ext <name>` value as lowercase hex without colons. */
function opensslKeyId(name: string, ext: string): string {
  const out = pki.run(['x509', '-in', `${name}.pem`, '-noout', '-ext', ext]);
  return out.split('\n')[1]!.trim().replace(/^keyid:/, '').replace(/:/g, '').toLowerCase();
}

beforeAll(() => {
  pki = new OpensslPki();
  der.root = pki.selfSigned('root', 'rsa:2048', '/C=ZZ/O=Test PKI/CN=Test Root', { serial: '0x00c0ffee' });
  der.int = pki.issue('int', 'root', 'ec:P-384', '/C=ZZ/O=Test PKI/CN=Test ECC Intermediate', {
    ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'],
    days: 365,
  });
  der.leaf = pki.issue('leaf', 'int', 'ec:P-256', '/CN=www.example.test/O=Example, Inc./C=ZZ', {
    ext: [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:www.example.test,DNS:*.example.test,IP:10.0.0.1,IP:2001:db8::1,email:ops@example.test,URI:https://example.test/',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '1.2.3.4.5=critical,ASN1:UTF8String:private',
    ],
    serial: '0x00ab',
  });
  der.ed = pki.selfSigned('ed', 'ed25519', '/CN=ed.example.test', { ext: ['basicConstraints=critical,CA:FALSE', 'subjectAltName=DNS:ed.example.test'] });
  der.pss = pki.issue('pss', 'root', 'rsa:2048', '/CN=pss.example.test', {
    signArgs: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
  });
  der.rsa1024 = pki.issue('rsa1024', 'root', 'rsa:1024', '/CN=small.example.test', { signArgs: ['-sha1'] });
});

afterAll(() => pki?.cleanup());

describe('parseCertificate on openssl certificates', () => {
  it('RSA root: names, serial, key, signature, CA, SKI', () => {
    const c = parsed('root');
    expect(c.subject.text).toBe('CN=Test Root,O=Test PKI,C=ZZ');
    expect(c.issuer.text).toBe(c.subject.text);
    expect(c.serial).toBe('c0ffee');
    expect(c.version).toBe(3);
    expect([c.keyType, c.keyBits, c.keyCurve]).toEqual(['rsa', 2048, null]);
    expect(c.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.ext.basicConstraints).toEqual({ ca: true, pathLen: null });
    expect(c.ext.keyUsage).toBe(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign);
    expect(c.ext.ski).toBe(opensslKeyId('root', 'subjectKeyIdentifier'));
    expect(c.problems).toEqual([]);
  });

  it('ECDSA P-384 intermediate signed by RSA: curve, bits, pathLen, AKI = issuer SKI', () => {
    const c = parsed('int');
    expect([c.keyType, c.keyBits, c.keyCurve]).toEqual(['ec', 384, 'secp384r1']);
    expect(c.ext.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    expect(c.ext.aki).toBe(parsed('root').ext.ski);
    expect(c.ext.aki).toBe(opensslKeyId('int', 'authorityKeyIdentifier'));
  });

  it('ECDSA P-256 leaf: SAN of every kind, key usage, EKU, critical unknown extension', () => {
    const c = parsed('leaf');
    expect(c.subject.text).toBe('C=ZZ,O=Example\\, Inc.,CN=www.example.test');
    expect(c.serial).toBe('ab');
    expect([c.keyType, c.keyBits, c.keyCurve, c.signatureAlgorithm]).toEqual(['ec', 256, 'prime256v1', 'ecdsa-with-SHA256']);
    expect(c.ext.san!.map((g) => g.text)).toEqual([
      'DNS:www.example.test',
      'DNS:*.example.test',
      'IP:10.0.0.1',
      'IP:2001:db8::1',
      'email:ops@example.test',
      'URI:https://example.test/',
    ]);
    expect(c.ext.keyUsage).toBe(KEY_USAGE.digitalSignature | KEY_USAGE.keyEncipherment);
    expect(c.ext.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(c.ext.list.map((e) => [e.name ?? e.oid, e.critical])).toEqual([
      ['basicConstraints', true],
      ['keyUsage', true],
      ['extendedKeyUsage', false],
      ['subjectAltName', false],
      ['subjectKeyIdentifier', false],
      ['authorityKeyIdentifier', false],
      ['1.2.3.4.5', true],
    ]);
  });

  it('Ed25519 self-signed: key type and size, signature name', () => {
    const c = parsed('ed');
    expect([c.keyType, c.keyBits, c.signatureAlgorithm, c.signatureHash]).toEqual(['ed25519', 256, 'ED25519', null]);
  });

  it('RSASSA-PSS: the digest comes from the parameters', () => {
    const c = parsed('pss');
    expect(c.signatureAlgorithm).toBe('rsassaPss');
    expect(c.pss).toEqual({ hash: 'sha256', mgfHash: 'sha256', saltLength: 32 });
  });

  it('agrees with X509Certificate on serial, dates, fingerprints and key details', () => {
    for (const name of ['root', 'int', 'leaf', 'ed', 'pss', 'rsa1024']) {
      const c = parsed(name);
      const x = new X509Certificate(der[name]!);
      expect(c.serial).toBe(x.serialNumber.toLowerCase().replace(/^(00)+(?=.)/, '')); // octet-wise hex, like Node
      expect(c.notBefore!.epoch * 1000).toBe(Date.parse(x.validFrom));
      expect(c.notAfter!.epoch * 1000).toBe(Date.parse(x.validTo));
      expect(c.sha1).toBe(x.fingerprint.replace(/:/g, '').toLowerCase());
      expect(c.sha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
      expect(c.keyType).toBe(x.publicKey.asymmetricKeyType);
      const bits = x.publicKey.asymmetricKeyDetails?.modulusLength;
      if (bits !== undefined) expect(c.keyBits).toBe(bits);
      expect(c.ext.basicConstraints?.ca ?? false).toBe(x.ca);
    }
  });
});

describe('signatures', () => {
  it('verifies RSA, ECDSA (RSA- and ECDSA-signed), PSS and Ed25519 signatures, and rejects the wrong issuer', () => {
    const v = new SignatureVerifier();
    expect(v.verify(parsed('root'), parsed('root'))).toBe(true);
    expect(v.verify(parsed('int'), parsed('root'))).toBe(true);
    expect(v.verify(parsed('leaf'), parsed('int'))).toBe(true);
    expect(v.verify(parsed('pss'), parsed('root'))).toBe(true);
    expect(v.verify(parsed('ed'), parsed('ed'))).toBe(true);
    expect(v.verify(parsed('rsa1024'), parsed('root'))).toBe(true);
    expect(v.verify(parsed('leaf'), parsed('root'))).toBe(false);
    expect(v.verify(parsed('int'), parsed('int'))).toBe(false);
  });
});

describe('CertificateAnalyzer.describe (record fields)', () => {
  it('fills the design.md names', () => {
    const a = new CertificateAnalyzer({ useBundledRoots: false });
    const r = a.describe(der.leaf!);
    expect(r).toMatchObject({
      subject: 'C=ZZ,O=Example\\, Inc.,CN=www.example.test',
      issuer: 'CN=Test ECC Intermediate,O=Test PKI,C=ZZ',
      serial: 'ab',
      key_type: 'ec',
      key_bits: 256,
      key_curve: 'prime256v1',
      signature_algorithm: 'ecdsa-with-SHA256',
      self_signed: false,
      is_ca: false,
      validity_days: 90,
    });
    expect(r.not_before).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.describe(der.root!).self_signed).toBe(true);
    expect(a.describe(der.ed!).self_signed).toBe(true);
  });
});

describe('CertificateCache', () => {
  it('parses each distinct DER once and remembers failures', () => {
    const cache = new CertificateCache(2);
    cache.parse(der.root!);
    cache.parse(der.root!);
    expect(cache.parsed).toBe(1);
    const bad = cache.parse(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
    expect(bad.ok).toBe(false);
    cache.parse(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
    expect([cache.parsed, cache.failures]).toEqual([2, 1]);
    cache.parse(der.leaf!); // evicts the oldest
    expect(cache.size).toBe(2);
  });

  it('never confuses two DERs that share its lookup key (length and last 32 bytes): a forged twin is parsed as itself', () => {
    const cache = new CertificateCache();
    const real = cache.parse(der.leaf!);
    const twin = der.leaf!.slice();
    twin[40] = twin[40]! ^ 0xff; // inside the TBSCertificate: same length, same signature bytes
    const forged = cache.parse(twin);
    const sha256 = (r: ReturnType<CertificateCache['parse']>): string => (r.ok ? r.cert.sha256 : r.sha256);
    expect(sha256(forged)).not.toBe(sha256(real));
    expect(cache.parse(der.leaf!)).toBe(real);
    expect(cache.parsed).toBe(2);
  });

  it('names what is wrong with a broken certificate', () => {
    expect(parseCertificate(new Uint8Array(0))).toMatchObject({ ok: false, error: 'bad_certificate' });
    const cut = der.leaf!.slice(0, 100);
    expect(parseCertificate(cut)).toMatchObject({ ok: false, error: 'bad_certificate' });
    expect(parseCertificate(new Uint8Array(300 * 1024))).toMatchObject({ ok: false, error: 'certificate_too_large' });
  });
});
