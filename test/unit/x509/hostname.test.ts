/** RFC 6125 SNI ↔ certificate matching, with the choices documented in src/x509/hostname.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, type ParsedCertificate } from '../../../src/x509/certificate.js';
import { ipLiteralBytes, matchPresented, referenceName, sniMatchesCertificate } from '../../../src/x509/hostname.js';
import { buildCert, ecKeys, ext, name, OID } from './der-builder.js';
import { OpensslPki } from './openssl-pki.js';

let pki: OpensslPki;
let wildcard: ParsedCertificate;
let ipOnly: ParsedCertificate;
const parse = (der: Uint8Array) => {
  const r = parseCertificate(der);
  if (!r.ok) throw new Error(r.error);
  return r.cert;
};

beforeAll(() => {
  pki = new OpensslPki();
  pki.selfSigned('ca', 'ec:P-256', '/CN=Hostname CA');
  wildcard = parse(
    pki.issue('wild', 'ca', 'ec:P-256', '/CN=ignored.example.test', {
      ext: ['subjectAltName=DNS:*.example.test,DNS:Exact.Example.Org,DNS:xn--bcher-kva.example,IP:192.0.2.7,IP:2001:db8::7'],
    }),
  );
  ipOnly = parse(pki.issue('iponly', 'ca', 'ec:P-256', '/CN=cn-fallback.example.test', { ext: ['subjectAltName=IP:10.1.2.3'] }));
});

afterAll(() => pki?.cleanup());

/** A certificate with these CNs and no subjectAltName at all. */
function cnOnly(...cns: string[]): ParsedCertificate {
  const k = ecKeys();
  return parse(
    buildCert({
      subject: name(...cns.map((cn) => [OID.CN, cn] as [string, string])),
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2025-01-01T00:00:00Z'),
      key: k.publicKey,
      signKey: k.privateKey,
      sigAlg: 'ecdsaSha256',
      extensions: [],
    }),
  );
}

describe('sniMatchesCertificate (openssl certificates)', () => {
  it('wildcard matches one left-most label only', () => {
    expect(sniMatchesCertificate('www.example.test', wildcard)).toBe(true);
    expect(sniMatchesCertificate('WWW.EXAMPLE.TEST.', wildcard)).toBe(true);
    expect(sniMatchesCertificate('example.test', wildcard)).toBe(false);
    expect(sniMatchesCertificate('a.b.example.test', wildcard)).toBe(false);
  });

  it('is case-insensitive and compares IDNA names as A-labels', () => {
    expect(sniMatchesCertificate('exact.example.org', wildcard)).toBe(true);
    expect(sniMatchesCertificate('bücher.example', wildcard)).toBe(true);
    expect(sniMatchesCertificate('BÜCHER.example', wildcard)).toBe(true);
    expect(sniMatchesCertificate('xn--bcher-kva.example', wildcard)).toBe(true);
    expect(sniMatchesCertificate('bucher.example', wildcard)).toBe(false);
  });

  it('uses SANs, not the CN, when DNS SANs exist', () => {
    expect(sniMatchesCertificate('ignored.example.test', wildcard)).toBe(true); // via *.example.test
    expect(sniMatchesCertificate('other.test', wildcard)).toBe(false);
  });

  it('IP literals match IP SANs only, in any textual form', () => {
    expect(sniMatchesCertificate('192.0.2.7', wildcard)).toBe(true);
    expect(sniMatchesCertificate('2001:DB8:0:0:0:0:0:7', wildcard)).toBe(true);
    expect(sniMatchesCertificate('[2001:db8::7]', wildcard)).toBe(true);
    expect(sniMatchesCertificate('192.0.2.8', wildcard)).toBe(false);
    expect(sniMatchesCertificate('10.1.2.3', ipOnly)).toBe(true);
  });

  it('falls back to the CN when there is no DNS SAN (an IP-only SAN list included)', () => {
    expect(sniMatchesCertificate('cn-fallback.example.test', ipOnly)).toBe(true);
    const c = cnOnly('first.test', '*.second.test');
    expect(sniMatchesCertificate('first.test', c)).toBe(true);
    expect(sniMatchesCertificate('x.second.test', c)).toBe(true);
    expect(sniMatchesCertificate('10.0.0.1', cnOnly('10.0.0.1'))).toBe(false); // never IP against CN
    expect(sniMatchesCertificate('bücher.example', cnOnly('bücher.example'))).toBe(true); // U-label CN
  });

  it('null without SNI or certificate', () => {
    expect(sniMatchesCertificate(null, wildcard)).toBeNull();
    expect(sniMatchesCertificate('', wildcard)).toBeNull();
    expect(sniMatchesCertificate('x.test', null)).toBeNull();
  });

  it('a NUL inside a presented name never matches', () => {
    expect(sniMatchesCertificate('www.bank.test', cnOnly('www.bank.test\u0000.evil.test'))).toBe(false);
    const k = ecKeys();
    const c = parse(
      buildCert({
        subject: name([OID.CN, 'x']),
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2025-01-01T00:00:00Z'),
        key: k.publicKey,
        signKey: k.privateKey,
        sigAlg: 'ecdsaSha256',
        extensions: [ext.san(['dns', 'www.bank.test\u0000.evil.test'])],
      }),
    );
    expect(sniMatchesCertificate('www.bank.test', c)).toBe(false);
    expect(sniMatchesCertificate('www.bank.test\u0000.evil.test', c)).toBe(false);
  });
});

describe('matchPresented rules', () => {
  const m = (ref: string, presented: string) => {
    const r = referenceName(ref);
    return r !== null && matchPresented(r, presented);
  };
  it.each([
    ['foo.example.com', '*.example.com', true],
    ['foo.example.com', 'f*.example.com', false], // partial wildcards: RFC 6125 §6.4.3 SHOULD NOT, taken as MUST NOT
    ['foo.example.com', '*o.example.com', false],
    ['xn--bcher-kva.example.com', 'xn--*.example.com', false],
    ['foo.bar.example.com', 'foo.*.example.com', false],
    ['foo.com', '*.com', false], // at least two labels after the wildcard
    ['com', '*', false],
    ['foo.example.com', '**.example.com', false],
    ['foo.example.com', 'foo.example.com.', true],
    ['.example.com', '*.example.com', false],
    ['*.example.com', '*.example.com', false], // a wildcard SNI is not a host name
    ['a_b.example.com', 'A_B.example.com', true],
  ])('%s vs %s -> %s', (ref, presented, want) => {
    expect(m(ref, presented)).toBe(want);
  });

  it('parses IP literals, including embedded IPv4', () => {
    expect(Buffer.from(ipLiteralBytes('::ffff:192.0.2.1')!).toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(Buffer.from(ipLiteralBytes('2001:db8::')!).toString('hex')).toBe('20010db8000000000000000000000000');
    expect(ipLiteralBytes('1.2.3')).toBeNull();
    expect(ipLiteralBytes('fe80::1%eth0')).toBeNull();
  });
});
