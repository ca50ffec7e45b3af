/**
 * Facts at capture time, on certificates node:crypto signs at test time with chosen dates,
 * keys, digests and names.
 */
import type { KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, type ParsedCertificate } from '../../../src/x509/certificate.js';
import { CertificateAnalyzer } from '../../../src/x509/certificate-record.js';
import { certificateFacts, chainFacts, maxLeafValidity, validityDays, type FactName } from '../../../src/x509/traits.js';
import { buildCert, ecKeys, ext, name, OID, rsaKeys, us, type Extension, type SigAlg, type Spec } from './der-builder.js';

let rsa: { publicKey: KeyObject; privateKey: KeyObject };
let ca: { publicKey: KeyObject; privateKey: KeyObject };
const caName = name([OID.CN, 'Facts CA']);

beforeAll(() => {
  rsa = rsaKeys(2048);
  ca = ecKeys('P-256');
});

interface Opts {
  from?: string;
  to?: string;
  key?: KeyObject;
  sigAlg?: SigAlg;
  subject?: Uint8Array;
  selfSigned?: boolean;
  extensions?: Extension[];
  timeForm?: Spec['timeForm'];
}

function cert(o: Opts = {}): ParsedCertificate {
  const self = o.selfSigned === true;
  const der = buildCert({
    subject: o.subject ?? name([OID.CN, 'leaf.example.test']),
    issuer: self ? undefined : caName,
    notBefore: new Date(o.from ?? '2024-01-01T00:00:00Z'),
    notAfter: new Date(o.to ?? '2024-03-31T23:59:59Z'),
    timeForm: o.timeForm,
    key: o.key ?? rsa.publicKey,
    signKey: self ? rsa.privateKey : ca.privateKey,
    sigAlg: o.sigAlg ?? (self ? 'sha256WithRSA' : 'ecdsaSha256'),
    extensions: o.extensions ?? [ext.san(['dns', 'leaf.example.test'])],
  });
  const r = parseCertificate(der);
  if (!r.ok) throw new Error(r.error);
  return r.cert;
}

const names = (c: ParsedCertificate, at = us('2024-02-01T00:00:00Z'), index = 0, selfSigned: boolean | null = false): FactName[] =>
  certificateFacts(c, index, selfSigned, at).map((f) => f.name);

describe('time facts are judged at the capture time given, never the wall clock', () => {
  it('expired / not_yet_valid / neither', () => {
    const c = cert();
    expect(names(c, us('2024-02-01T00:00:00Z'))).toEqual([]);
    expect(names(c, us('2024-04-01T00:00:00Z'))).toEqual(['expired']);
    expect(names(c, us('2023-12-31T23:59:59Z'))).toEqual(['not_yet_valid']);
    // notAfter itself is still valid (RFC 5280: inclusive)
    expect(names(c, us('2024-03-31T23:59:59Z'))).toEqual([]);
  });

  it('reads GeneralizedTime and pre-1970 validity', () => {
    const c = cert({ from: '1965-06-01T00:00:00Z', to: '2065-06-01T00:00:00Z', timeForm: 'gen' });
    expect([c.notBefore!.iso, c.notAfter!.iso]).toEqual(['1965-06-01T00:00:00Z', '2065-06-01T00:00:00Z']);
    expect(validityDays(c)).toBe(36525);
    expect(names(c, us('1960-01-01T00:00:00Z'))).toEqual(['not_yet_valid']);
    expect(names(c, 0)).toEqual([]); // capture time 1970-01-01 (a zeroed clock)
  });

  it('validity_inverted', () => {
    expect(names(cert({ from: '2024-03-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }), us('2024-02-01T00:00:00Z'))).toContain('validity_inverted');
  });
});

describe('validity_too_long follows the CA/B Forum limit in force at issuance', () => {
  const longCase = (from: string, days: number) => {
    const to = new Date(Date.parse(from) + days * 86400e3 - 1000).toISOString();
    return names(cert({ from, to }), Date.parse(from) * 1000 + 1e6);
  };

  it('398 days from 2020-09-01', () => {
    expect(longCase('2021-01-01T00:00:00Z', 398)).toEqual([]);
    expect(longCase('2021-01-01T00:00:00Z', 399)).toEqual(['validity_too_long']);
  });

  it('825 days from 2018-03-01, 39 months from 2015-04-01, none before 2012-07-01', () => {
    expect(longCase('2019-01-01T00:00:00Z', 800)).toEqual([]);
    expect(longCase('2019-01-01T00:00:00Z', 826)).toEqual(['validity_too_long']);
    expect(longCase('2016-01-01T00:00:00Z', 1095)).toEqual([]);
    expect(longCase('2016-01-01T00:00:00Z', 1300)).toEqual(['validity_too_long']);
    expect(longCase('2010-01-01T00:00:00Z', 3650)).toEqual([]);
    expect(maxLeafValidity(Date.UTC(2020, 8, 1) / 1000)?.text).toBe('398 days');
  });

  it('is not applied to CA certificates or beyond the leaf', () => {
    const c = cert({ from: '2021-01-01T00:00:00Z', to: '2031-01-01T00:00:00Z', extensions: [ext.basicConstraints(true)] });
    expect(names(c, us('2022-01-01T00:00:00Z'), 1)).toEqual([]);
  });
});

describe('key and signature strength', () => {
  it('weak_key: RSA under 2048, EC under 224', () => {
    expect(names(cert({ key: rsaKeys(1024).publicKey }))).toEqual(['weak_key']);
    expect(names(cert({ key: ecKeys('prime192v1').publicKey }))).toEqual(['weak_key']);
    expect(names(cert({ key: ecKeys('P-256').publicKey }))).toEqual([]);
    expect(certificateFacts(cert({ key: rsaKeys(1024).publicKey }), 0, false, 0).find((f) => f.name === 'weak_key')?.detail).toBe('rsa 1024 bits');
  });

  it('weak_signature for SHA-1 and MD5, except on a self-signed certificate', () => {
    const sha1 = cert({ selfSigned: false, sigAlg: 'sha1WithRSA' });
    expect(sha1.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    // signed with the CA's EC key under an RSA algorithm: fine for a trait, which does not verify
    expect(names(sha1)).toEqual(['weak_signature']);
    expect(names(cert({ sigAlg: 'md5WithRSA' }))).toEqual(['weak_signature']);
    const selfSha1 = cert({ selfSigned: true, sigAlg: 'sha1WithRSA' });
    expect(names(selfSha1, undefined, 0, true)).toEqual(['self_signed']);
  });
});

describe('leaf-shape facts', () => {
  it('missing_san, but not for a CA', () => {
    expect(names(cert({ extensions: [] }))).toEqual(['missing_san']);
    expect(names(cert({ extensions: [ext.san(['email', 'a@b.test'])] }))).toEqual(['missing_san']);
    expect(names(cert({ extensions: [ext.basicConstraints(true)] }))).toEqual(['leaf_is_ca']);
  });

  it('no_server_auth, unknown_critical_extension, precertificate', () => {
    const eku = (oids: string) => ext.raw('2.5.29.37', Buffer.from(oids, 'hex'));
    const clientOnly = eku('300a06082b06010505070302');
    expect(names(cert({ extensions: [ext.san(['dns', 'x.test']), clientOnly] }))).toEqual(['no_server_auth']);
    const odd = ext.raw('1.2.3.4', Uint8Array.of(0x05, 0x00), true);
    expect(names(cert({ extensions: [ext.san(['dns', 'x.test']), odd] }))).toEqual(['unknown_critical_extension']);
    const poison = ext.raw('1.3.6.1.4.1.11129.2.4.3', Uint8Array.of(0x05, 0x00), true);
    expect(names(cert({ extensions: [ext.san(['dns', 'x.test']), poison] }))).toEqual(['precertificate']);
  });

  it('embedded_nul in a name or a SAN, and malformed_extensions', () => {
    expect(names(cert({ subject: name([OID.CN, 'www.bank.test\u0000.evil.test']) }))).toEqual(['embedded_nul']);
    expect(names(cert({ extensions: [ext.san(['dns', 'www.bank.test\u0000.evil.test'])] }))).toEqual(['embedded_nul']);
    const badBc = ext.raw('2.5.29.19', Uint8Array.of(0x04, 0x00));
    expect(names(cert({ extensions: [ext.san(['dns', 'x.test']), badBc] }))).toEqual(['malformed_extensions']);
  });
});

describe('chain facts and session records', () => {
  it('chain_duplicate and chain_order', () => {
    const leaf = cert();
    const caCert = cert({ subject: caName, selfSigned: false, extensions: [ext.basicConstraints(true)] });
    const f = chainFacts([{ cert: leaf, selfSigned: false }, { cert: leaf, selfSigned: false }], 0).map((x) => x.name);
    expect(f).toContain('chain_duplicate');
    expect(f).toContain('chain_order');
    expect(chainFacts([{ cert: leaf, selfSigned: false }, { cert: caCert, selfSigned: false }], us('2024-02-01T00:00:00Z'))).toEqual([]);
  });

  it('session records carry per-certificate facts for that session only', () => {
    const a = new CertificateAnalyzer({ useBundledRoots: false });
    const der = Uint8Array.from(cert().der);
    const early = a.describeChain([der], 'leaf.example.test', us('2024-02-01T00:00:00Z'));
    const late = a.describeChain([der], 'leaf.example.test', us('2025-01-01T00:00:00Z'));
    expect(early.certificates[0]!.facts).toEqual([]);
    expect(late.certificates[0]!.facts).toEqual(['expired']);
    expect(late.facts).toEqual(['expired']);
    expect(a.cache.parsed).toBe(1);
  });
});
