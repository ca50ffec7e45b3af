/**
 * The x509 stage's public functions never throw, whatever the bytes: random input, and real
 * certificates (made at test time by openssl and node:crypto) with bytes overwritten, inserted
 * or cut, which reaches every field of the grammar, the signature checks and chain building.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/x509/certificate.js';
import { CertificateAnalyzer } from '../../src/x509/certificate-record.js';
import { derWellFormed, oidString, readTime, readTlv } from '../../src/x509/der.js';
import { sniMatchesCertificate } from '../../src/x509/hostname.js';
import { readName } from '../../src/x509/name.js';
import { parseCaBundle } from '../../src/x509/pem.js';
import { buildCert, ecKeys, ext, name, OID } from '../unit/x509/der-builder.js';
import { OpensslPki } from '../unit/x509/openssl-pki.js';

let pki: OpensslPki;
const seeds: Uint8Array[] = [];
let analyzer: CertificateAnalyzer;

beforeAll(() => {
  pki = new OpensslPki();
  const root = pki.selfSigned('root', 'rsa:2048', '/C=ZZ/O=Prop/CN=Prop Root');
  const int = pki.issue('int', 'root', 'ec:P-384', '/CN=Prop Int', {
    ext: ['basicConstraints=critical,CA:TRUE,pathlen:1', 'keyUsage=critical,keyCertSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'],
  });
  const leaf = pki.issue('leaf', 'int', 'ec:P-256', '/CN=prop.test/O=A, B\\+C', {
    ext: [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:prop.test,DNS:*.prop.test,IP:10.0.0.1,IP:::1,email:a@prop.test,URI:https://prop.test/,RID:1.2.3.4,dirName:dir_sect',
      'authorityKeyIdentifier=keyid,issuer',
      'certificatePolicies=2.23.140.1.2.1',
      '[dir_sect]',
      'CN=dir name',
    ],
  });
  const ed = pki.selfSigned('ed', 'ed25519', '/CN=ed.prop.test');
  const k = ecKeys();
  const built = buildCert({
    subject: name([OID.CN, 'nul\u0000.prop.test']),
    notBefore: new Date('1960-01-01T00:00:00Z'),
    notAfter: new Date('2060-01-01T00:00:00Z'),
    key: k.publicKey,
    signKey: k.privateKey,
    sigAlg: 'ecdsaSha256',
    extensions: [ext.basicConstraints(false), ext.san(['dns', 'x.prop.test'], ['ip', Uint8Array.of(1, 2, 3)])],
  });
  seeds.push(leaf, int, root, ed, built);
  analyzer = new CertificateAnalyzer({ caCertificates: [], useBundledRoots: true });
});

afterAll(() => pki?.cleanup());

/** A seed certificate with some bytes overwritten, some inserted, possibly cut short. */
const mutated = () =>
  fc
    .tuple(
      fc.nat({ max: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { maxLength: 2 }),
      fc.option(fc.nat(), { nil: undefined }),
    )
    .map(([which, edits, inserts, cut]) => {
      let b = Uint8Array.from(seeds[which % seeds.length]!);
      for (const [at, v] of edits) b[at % b.length] = v;
      for (const [at, bytes] of inserts) {
        const i = at % b.length;
        b = Uint8Array.from([...b.subarray(0, i), ...bytes, ...b.subarray(i)]);
      }
      return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
    });

const sni = fc.oneof(
  fc.constant(null),
  fc.constantFrom('prop.test', 'x.prop.test', '10.0.0.1', '::1', '', '*.prop.test', 'bücher.test', 'a..b', '[::1]'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const captureTime = fc.oneof(fc.integer({ min: -2e15, max: 4e15 }), fc.constantFrom(0, NaN, Infinity, -1));

function exercise(ders: Uint8Array[], name: string | null, at: number): void {
  for (const d of ders) {
    const r = parseCertificate(d);
    if (r.ok) {
      expect(typeof r.cert.subject.text).toBe('string');
      sniMatchesCertificate(name, r.cert);
    } else {
      expect(typeof r.error).toBe('string');
    }
  }
  const report = analyzer.describeChain(ders, name, at);
  expect(report.certificates).toHaveLength(ders.length);
  JSON.stringify(report.certificates);
}

describe('x509 never throws', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), sni, captureTime, (b, name, at) => {
        exercise([b], name, at);
        readTlv(b, 0, b.length);
        derWellFormed(b, 0, b.length);
        oidString(b, 0, b.length);
        const t = readTlv(b, 0, b.length);
        readName(b, t);
        readTime(b, t);
      }),
      { numRuns: 3000 },
    );
  });

  it('on DER-shaped random input (SEQUENCE wrappers around random content)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 4 }), (inner, depth) => {
        let b = inner;
        for (let i = 0; i < depth; i++) b = Uint8Array.from([0x30, 0x82, b.length >> 8, b.length & 0xff, ...b]);
        exercise([b], 'x', 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated real certificates, alone and in chains', () => {
    fc.assert(
      fc.property(fc.array(mutated(), { minLength: 1, maxLength: 4 }), sni, captureTime, (ders, name, at) => {
        exercise(ders, name, at);
        exercise([...ders, ...seeds.slice(1, 3)], name, at);
      }),
      { numRuns: 1500 },
    );
  });

  it('on random and mangled PEM bundles', () => {
    const pem = (b: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE-----\n`;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated().map(pem), fc.uint8Array({ maxLength: 200 }).map(pem)), (text) => {
        const r = parseCaBundle(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
