/**
 * Offline chain validation with a PKI openssl makes at test time (RSA root, ECDSA intermediate,
 * ECDSA leaf), plus node:crypto-built chains for depth and odd algorithms.
 */
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaBundle } from '../../../src/cli/analyze-command.js';
import { InputError } from '../../../src/errors.js';
import { parseCertificate, subjectName, type ParsedCertificate } from '../../../src/x509/certificate.js';
import { CertificateAnalyzer } from '../../../src/x509/certificate-record.js';
import { bundledRootDers, bundledRoots, ChainValidator } from '../../../src/x509/chain.js';
import { parseCaBundle } from '../../../src/x509/pem.js';
import { chainFacts } from '../../../src/x509/traits.js';
import { SignatureVerifier } from '../../../src/x509/verify.js';
import { buildCert, ecKeys, ext, name, OID } from './der-builder.js';
import { OpensslPki } from './openssl-pki.js';

let pki: OpensslPki;
const der: Record<string, Uint8Array> = {};
const p = (n: string): ParsedCertificate => {
  const r = parseCertificate(der[n]!);
  if (!r.ok) throw new Error(r.error);
  return r.cert;
};
/** A capture time inside every test certificate's validity: one day after the leaf's notBefore. */
let atUs = 0;

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'];

beforeAll(() => {
  pki = new OpensslPki();
  der.root = pki.selfSigned('root', 'rsa:2048', '/C=ZZ/O=Internal/CN=Internal Root CA', { days: 3650 });
  der.int = pki.issue('int', 'root', 'ec:P-384', '/C=ZZ/O=Internal/CN=Internal Issuing CA', { ext: [...CA.slice(0, 1).map((e) => e + ',pathlen:0'), ...CA.slice(1)], days: 1825 });
  der.leaf = pki.issue('leaf', 'int', 'ec:P-256', '/CN=app.internal.test', {
    ext: ['basicConstraints=critical,CA:FALSE', 'subjectAltName=DNS:app.internal.test', 'authorityKeyIdentifier=keyid'],
  });
  der.other = pki.selfSigned('other', 'ec:P-256', '/CN=Someone Else Root');
  der.stray = pki.issue('stray', 'other', 'ec:P-256', '/CN=stray.test');
  der.self = pki.selfSigned('self', 'ed25519', '/CN=self.test', { ext: ['basicConstraints=critical,CA:FALSE', 'subjectAltName=DNS:self.test'] });
  der.child = pki.issue('child', 'leaf', 'ec:P-256', '/CN=child.test');
  der.int2 = pki.issue('int2', 'int', 'ec:P-256', '/CN=Too Deep CA', { ext: CA });
  der.leaf3 = pki.issue('leaf3', 'int2', 'ec:P-256', '/CN=leaf3.test');
  atUs = (p('leaf').notBefore!.epoch + 86400) * 1e6;
});

afterAll(() => pki?.cleanup());

const validator = (anchors: string[], bundled = false) => new ChainValidator(new SignatureVerifier(), anchors.map(p), bundled);

describe('ChainValidator', () => {
  it('leaf <- intermediate <- trusted root (root sent or not)', () => {
    const v = validator(['root']);
    const r = v.validate([p('leaf'), p('int')], atUs);
    expect(r).toMatchObject({ valid: true, error: null });
    expect(r.path).toEqual([p('leaf').sha256, p('int').sha256, p('root').sha256]);
    expect(v.validate([p('leaf'), p('int'), p('root')], atUs).valid).toBe(true);
  });

  it('builds the path whatever the order sent, and traits note the order', () => {
    const chain = [p('leaf'), p('root'), p('int')];
    expect(validator(['root']).validate(chain, atUs).valid).toBe(true);
    const facts = chainFacts(chain.map((c) => ({ cert: c, selfSigned: null })), atUs);
    expect(facts.filter((f) => f.name === 'chain_order')).toHaveLength(2);
  });

  it('unknown_issuer when the intermediate is missing or the root is not trusted', () => {
    expect(validator(['root']).validate([p('leaf')], atUs)).toMatchObject({ valid: false, error: 'unknown_issuer', errorDepth: 0 });
    expect(validator([]).validate([p('leaf'), p('int')], atUs)).toMatchObject({ valid: false, error: 'unknown_issuer', errorDepth: 1 });
    expect(validator(['root']).validate([p('stray')], atUs).error).toBe('unknown_issuer');
  });

  it('untrusted_root when the chain ends in a self-signed certificate nobody trusts', () => {
    expect(validator([]).validate([p('leaf'), p('int'), p('root')], atUs)).toMatchObject({ valid: false, error: 'untrusted_root', errorDepth: 2 });
  });

  it('self_signed leaf, unless it is itself trusted (pinned via --ca-bundle)', () => {
    expect(validator(['root']).validate([p('self')], atUs)).toMatchObject({ valid: false, error: 'self_signed' });
    expect(validator(['self']).validate([p('self')], atUs)).toMatchObject({ valid: true });
  });

  it('expired and not_yet_valid at capture time, on the leaf or an intermediate', () => {
    const v = validator(['root']);
    const leafEnd = p('leaf').notAfter!.epoch;
    expect(v.validate([p('leaf'), p('int')], (leafEnd + 1) * 1e6)).toMatchObject({ valid: false, error: 'expired', errorDepth: 0 });
    expect(v.validate([p('leaf'), p('int')], (p('leaf').notBefore!.epoch - 1) * 1e6)).toMatchObject({ valid: false, error: 'not_yet_valid', errorDepth: 0 });
    // After the intermediate expires but the leaf is still... (never here: the leaf ends first) so test the intermediate alone
    const intEnd = p('int').notAfter!.epoch;
    expect(v.validate([p('int')], (intEnd + 1) * 1e6)).toMatchObject({ error: 'expired', errorDepth: 0 });
  });

  it('bad_signature when a certificate was altered', () => {
    const bent = Uint8Array.from(der.leaf!);
    bent[bent.length - 10]! ^= 0x01;
    const r = parseCertificate(bent);
    expect(r.ok).toBe(true);
    if (r.ok) expect(validator(['root']).validate([r.cert, p('int')], atUs)).toMatchObject({ valid: false, error: 'bad_signature', errorDepth: 0 });
  });

  it('issuer_not_ca when a leaf certificate issued another one', () => {
    expect(validator(['root']).validate([p('child'), p('leaf'), p('int')], atUs)).toMatchObject({ valid: false, error: 'issuer_not_ca', errorDepth: 1 });
  });

  it("path_length_exceeded below an intermediate with pathlen:0", () => {
    expect(validator(['root']).validate([p('leaf3'), p('int2'), p('int')], atUs)).toMatchObject({ valid: false, error: 'path_length_exceeded', errorDepth: 2 });
  });

  it('too_deep past the chain depth cap', () => {
    const keys = Array.from({ length: 13 }, () => ecKeys());
    const nb = new Date('2024-01-01T00:00:00Z');
    const na = new Date('2030-01-01T00:00:00Z');
    const certs = keys.map((k, i) =>
      buildCert({
        subject: name([OID.CN, i === 12 ? 'leaf' : `CA ${i}`]),
        issuer: name([OID.CN, `CA ${i === 0 ? 0 : i - 1}`]),
        notBefore: nb,
        notAfter: na,
        key: k.publicKey,
        signKey: (i === 0 ? k : keys[i - 1]!).privateKey,
        sigAlg: 'ecdsaSha256',
        extensions: i === 12 ? [] : [ext.basicConstraints(true)],
      }),
    );
    const parsed = certs.map((d) => (parseCertificate(d) as { ok: true; cert: ParsedCertificate }).cert);
    const v = new ChainValidator(new SignatureVerifier(), [parsed[0]!], false);
    const at = Date.parse('2025-01-01T00:00:00Z') * 1000;
    expect(v.validate([parsed[12]!, ...parsed.slice(1, 12).reverse()], at)).toMatchObject({ valid: false, error: 'too_deep' });
    expect(v.validate([parsed[5]!, ...parsed.slice(1, 5).reverse()], at)).toMatchObject({ valid: true });
  });

  it('unsupported_algorithm for a signature this Node cannot check', () => {
    // Relabel an RSA signature as ML-DSA-44 (both OIDs are 9 octets long).
    const hexDer = Buffer.from(der.int!).toString('hex').replaceAll('2a864886f70d01010b', '608648016503040311');
    const r = parseCertificate(Uint8Array.from(Buffer.from(hexDer, 'hex')));
    expect(r.ok && r.cert.signatureAlgorithm).toBe('ML-DSA-44');
    if (r.ok) expect(validator(['root']).validate([r.cert], atUs).error).toBe('unsupported_algorithm');
    // A self-issued certificate whose own signature cannot be checked (the corpus ML-DSA-44 case).
    const rootHex = Buffer.from(der.root!).toString('hex').replaceAll('2a864886f70d01010b', '608648016503040311');
    const selfIssued = parseCertificate(Uint8Array.from(Buffer.from(rootHex, 'hex')));
    if (selfIssued.ok) expect(validator([]).validate([selfIssued.cert], atUs).error).toBe('unsupported_algorithm');
    expect(selfIssued.ok).toBe(true);
  });

  it('no_certificates and parse_error', () => {
    expect(validator([]).validate([], atUs)).toMatchObject({ valid: null, error: 'no_certificates' });
    expect(validator([]).validate([null, p('int')], atUs)).toMatchObject({ valid: false, error: 'parse_error' });
  });
});

describe('bundled Mozilla roots', () => {
  it('are all parsed, and each is self-issued with a signature that does not fail', () => {
    const roots = bundledRoots();
    expect(roots.length).toBe(rootCertificates.length);
    const v = new SignatureVerifier();
    for (const r of roots) expect(v.verify(r, r)).not.toBe(false);
  });

  it('are indexed by their subject read alone, the same name the full parse gives', () => {
    for (const d of [...bundledRootDers(), der.leaf!, der.int!, der.root!]) {
      const full = parseCertificate(d);
      expect(full.ok).toBe(true);
      if (full.ok) expect(subjectName(d)).toEqual(full.cert.subject);
    }
    expect(subjectName(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toBeNull();
  });

  it('do not include our test root: the internal chain is untrusted without --ca-bundle', () => {
    const a = new CertificateAnalyzer();
    expect(a.describeChain([der.leaf!, der.int!, der.root!], 'app.internal.test', atUs)).toMatchObject({ chain_valid: false, chain_error: 'untrusted_root' });
    expect(a.describeChain([der.leaf!, der.int!], 'app.internal.test', atUs)).toMatchObject({ chain_valid: false, chain_error: 'unknown_issuer' });
  });
});

describe('--ca-bundle: a site\'s internal CA', () => {
  it('parseCaBundle reads several PEM certificates with text around them', () => {
    const r = parseCaBundle(`# site CAs\n${pki.pem('other')}\nsome text\n${pki.pem('root')}`);
    expect(r.ok && r.certificates.map((c) => c.subject.text)).toEqual(['CN=Someone Else Root', 'CN=Internal Root CA,O=Internal,C=ZZ']);
  });

  it('makes the internal chain valid, beside the bundled roots', () => {
    const bundle = parseCaBundle(pki.pem('root') + pki.pem('other'));
    if (!bundle.ok) throw new Error(bundle.error);
    const a = new CertificateAnalyzer({ caCertificates: bundle.certificates });
    const r = a.describeChain([der.leaf!, der.int!], 'app.internal.test', atUs);
    expect(r).toMatchObject({ chain_valid: true, chain_error: null, sni_matches_cert: true, anomalies: [] });
    expect(a.describeChain([der.stray!], 'stray.test', atUs).chain_valid).toBe(true);
  });

  it('loadCaBundle: a missing, empty or broken file is a one-line InputError (exit 2)', () => {
    const cases = [pki.path('absent.pem'), pki.write('empty.pem', 'no certificates here\n'), pki.write('broken.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')];
    for (const file of cases) {
      let err: unknown;
      try {
        loadCaBundle(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).exitCode).toBe(2);
      expect((err as InputError).message).not.toContain('\n');
    }
    expect(loadCaBundle(pki.write('ok.pem', pki.pem('root')))).toHaveLength(1);
  });
});

describe('CertificateAnalyzer.describeChain', () => {
  it('reports records, validation, SNI match, facts and parse anomalies for one session', () => {
    const a = new CertificateAnalyzer({ caCertificates: [p('root')], useBundledRoots: false });
    const late = (p('leaf').notAfter!.epoch + 10) * 1e6;
    const r = a.describeChain([der.leaf!, der.int!, Uint8Array.of(1, 2, 3)], 'other.test', late);
    expect(r.certificates.map((c) => c.subject)).toEqual(['CN=app.internal.test', 'CN=Internal Issuing CA,O=Internal,C=ZZ', null]);
    expect(r.certificates[0]!.facts).toEqual(['expired']);
    expect(r.certificates[2]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r).toMatchObject({ chain_valid: false, chain_error: 'expired', sni_matches_cert: false, anomalies: ['certificate_parse_error'] });
    expect(r.facts).toEqual(['expired']);
    expect(a.describeChain([], 'x', late)).toMatchObject({ chain_valid: null, chain_error: null, sni_matches_cert: null, certificates: [] });
    expect(a.describeChain([der.leaf!], null, late).sni_matches_cert).toBeNull();
  });
});
