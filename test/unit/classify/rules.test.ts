import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../src/model/session.js';
import { buildContext, type ClassifyOptions } from '../../../src/classify/classifier.js';
import type { Rule } from '../../../src/classify/rule.js';
import { parseC2Traits } from '../../../src/classify/c2-traits.js';
import { notTlsOnTlsPort } from '../../../src/classify/rules/protocol-not-tls.js';
import { certSelfSigned } from '../../../src/classify/rules/cert-self-signed.js';
import { certUnknownIssuer } from '../../../src/classify/rules/cert-unknown-issuer.js';
import { certExpired } from '../../../src/classify/rules/cert-expired.js';
import { certNotYetValid } from '../../../src/classify/rules/cert-not-yet-valid.js';
import { certValidityTooLong } from '../../../src/classify/rules/cert-validity-too-long.js';
import { certWeakKey } from '../../../src/classify/rules/cert-weak-key.js';
import { certWeakSignature } from '../../../src/classify/rules/cert-weak-signature.js';
import { certEmptySubject } from '../../../src/classify/rules/cert-empty-subject.js';
import { certOpensslDefault } from '../../../src/classify/rules/cert-openssl-default.js';
import { certC2Default } from '../../../src/classify/rules/cert-c2-default.js';
import { fingerprintC2Default } from '../../../src/classify/rules/fingerprint-c2-default.js';
import { certSniMismatch } from '../../../src/classify/rules/cert-sni-mismatch.js';
import { sniMissing } from '../../../src/classify/rules/sni-missing.js';
import { sniIpLiteral } from '../../../src/classify/rules/sni-ip-literal.js';
import { dgaFeatures, sniDgaLike } from '../../../src/classify/rules/sni-dga-like.js';
import { tlsLegacyVersion } from '../../../src/classify/rules/tls-legacy-version.js';
import { offeredCiphers, tlsWeakCipher, weakness } from '../../../src/classify/rules/tls-weak-cipher.js';
import { tlsHandshakeFailure } from '../../../src/classify/rules/tls-handshake-failure.js';
import { fingerprintRare } from '../../../src/classify/rules/fingerprint-rare.js';
import { intelClientFingerprint } from '../../../src/classify/rules/intel-client-fingerprint.js';
import { intelServerFingerprint } from '../../../src/classify/rules/intel-server-fingerprint.js';
import { intelCertificate } from '../../../src/classify/rules/intel-certificate.js';
import { RULES } from '../../../src/classify/rules/index.js';
import { cert, session, tls, withChain } from './builder.js';

function run(rule: Rule, s: SessionRecord, all: SessionRecord[] = [s], options: ClassifyOptions = {}) {
  return rule.evaluate(s, buildContext(all, options));
}

describe('rule registry', () => {
  it('has unique stable ids with descriptions', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.description).not.toContain('\n');
    }
  });
});

describe('protocol.not-tls-on-tls-port', () => {
  it('flags each kind with its severity', () => {
    const cases = [['ssh', 'high'], ['socks', 'high'], ['unknown', 'high'], ['openvpn', 'medium'], ['http', 'medium']] as const;
    for (const [protocol, severity] of cases) {
      const f = run(notTlsOnTlsPort, session({ protocol, tls: null }));
      expect(f).toHaveLength(1);
      expect(f[0]!.severity).toBe(severity);
      expect(f[0]!.evidence.protocol).toBe(protocol);
    }
  });
  it('does not flag no payload, TLS, TLS mid-stream, QUIC, or other ports', () => {
    expect(run(notTlsOnTlsPort, session({ protocol: 'none', tls: null }))).toEqual([]);
    expect(run(notTlsOnTlsPort, session())).toEqual([]);
    expect(run(notTlsOnTlsPort, session({ anomalies: ['tls_midstream'], tls: tls({ ja3: null, ja4: null }) }))).toEqual([]);
    expect(run(notTlsOnTlsPort, session({ protocol: 'quic', transport: 'udp' }))).toEqual([]);
    expect(run(notTlsOnTlsPort, session({ protocol: 'ssh', server_port: 22, tls: null }))).toEqual([]);
  });
  it('treats TLS inside OpenVPN as OpenVPN, and honours the given ports', () => {
    const f = run(notTlsOnTlsPort, session({ anomalies: ['tls_inside_openvpn'] }));
    expect(f[0]?.evidence.protocol).toBe('openvpn');
    const s = session({ protocol: 'http', server_port: 8080, tls: null });
    expect(run(notTlsOnTlsPort, s, [s], { tlsPorts: new Set([8080]) })).toHaveLength(1);
  });
});

describe('certificate rules', () => {
  const selfSigned = cert({ subject: 'CN=localhost', issuer: 'CN=localhost', self_signed: true, facts: ['self_signed'] });
  it('cert.self-signed', () => {
    const s = withChain([selfSigned], { chain_valid: false, chain_error: 'self_signed', sni: 'localhost' });
    const f = run(certSelfSigned, s);
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.subject).toBe('CN=localhost');
    expect(run(certSelfSigned, withChain([cert()]))).toEqual([]);
    // a self-signed certificate that is a trust anchor (--ca-bundle) is fine
    expect(run(certSelfSigned, withChain([selfSigned], { chain_valid: true }))).toEqual([]);
  });
  it('cert.unknown-issuer: medium for a public-looking name, low for internal', () => {
    const pub = run(certUnknownIssuer, withChain([cert()], { chain_valid: false, chain_error: 'unknown_issuer', sni: 'login.bank-example.com' }));
    expect(pub[0]?.severity).toBe('medium');
    expect(pub[0]?.evidence.chain_error).toBe('unknown_issuer');
    const internal = run(certUnknownIssuer, withChain([cert()], { chain_valid: false, chain_error: 'untrusted_root', sni: 'rsa.tls443.test' }));
    expect(internal[0]?.severity).toBe('low');
    expect(run(certUnknownIssuer, withChain([cert()], { chain_valid: false, chain_error: 'self_signed' }))).toEqual([]);
    expect(run(certUnknownIssuer, withChain([cert()]))).toEqual([]);
  });
  it('cert.expired / cert.not-yet-valid / cert.validity-too-long / weak key / weak signature', () => {
    const s = withChain([
      cert({ facts: ['expired', 'validity_too_long'], not_after: '2020-01-01T00:00:00Z', validity_days: 3650 }),
      cert({ subject: 'CN=Intermediate', facts: ['not_yet_valid', 'weak_key', 'weak_signature'], key_bits: 1024, signature_algorithm: 'sha1WithRSAEncryption' }),
    ]);
    expect(run(certExpired, s)[0]?.evidence).toMatchObject({ position: 'leaf', not_after: '2020-01-01T00:00:00Z' });
    expect(run(certNotYetValid, s)[0]?.evidence).toMatchObject({ position: 1, subject: 'CN=Intermediate' });
    expect(run(certValidityTooLong, s)[0]?.evidence.validity_days).toBe(3650);
    expect(run(certWeakKey, s)[0]?.evidence.key_bits).toBe(1024);
    expect(run(certWeakSignature, s)[0]?.evidence.signature_algorithm).toBe('sha1WithRSAEncryption');
    const clean = withChain([cert()]);
    for (const r of [certExpired, certNotYetValid, certValidityTooLong, certWeakKey, certWeakSignature]) expect(run(r, clean)).toEqual([]);
  });
  it('cert.empty-subject', () => {
    expect(run(certEmptySubject, withChain([cert({ subject: null })]))).toHaveLength(1);
    expect(run(certEmptySubject, withChain([cert({ subject: 'C=,ST=,L=,O=,OU=,CN=' })]))).toHaveLength(1);
    expect(run(certEmptySubject, withChain([cert()]))).toEqual([]);
  });
  it('cert.openssl-default', () => {
    const f = run(certOpensslDefault, withChain([cert({ subject: 'CN=localhost,O=Internet Widgits Pty Ltd,ST=Some-State,C=AU' })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.defaults).toEqual(['O=Internet Widgits Pty Ltd', 'ST=Some-State']);
    expect(run(certOpensslDefault, withChain([cert()]))).toEqual([]);
  });
  it('cert.c2-default: built-in Cobalt Strike serial and CN', () => {
    const bySerial = run(certC2Default, withChain([cert({ serial: '08bb00ee' })]));
    expect(bySerial[0]?.severity).toBe('critical');
    expect(bySerial[0]?.evidence.matches).toEqual([{ framework: 'Cobalt Strike', field: 'serial', value: '08bb00ee', source: 'built-in' }]);
    expect(run(certC2Default, withChain([cert({ subject: 'CN=Major Cobalt Strike,O=cobaltstrike' })]))).toHaveLength(1);
    expect(run(certC2Default, withChain([cert()]))).toEqual([]);
  });
  it('cert.c2-default: traits from a CSV, DN compared RDN by RDN', () => {
    const csv = [
      'framework,category,verdict,field,value,match,confidence,notes,source',
      'PoshC2,c2_framework,malicious,subject_dn,"C=US, ST=Minnesota, L=Minnetonka, O=Pajfds, OU=Jethpro, CN=P18055077",exact,high,n,s',
      'Metasploit,c2_framework,malicious,issuer_cn,MetasploitSelfSignedCA,exact,high,n,s',
      'Nessus,pentest_tool,unknown,issuer_ou,Nessus Certification Authority,contains,medium,n,s',
      'Sliver,c2_framework,malicious,subject_o,(ACME|Tech)? ?(co|llc)?,regex,low,n,s',
    ].join('\n');
    const c2Traits = parseC2Traits(csv);
    expect(c2Traits).toHaveLength(4);
    const posh = withChain([cert({ subject: 'CN=P18055077,OU=Jethpro,O=Pajfds,L=Minnetonka,ST=Minnesota,C=US' })]);
    expect(run(certC2Default, posh, [posh], { c2Traits })[0]).toMatchObject({ severity: 'critical', evidence: { matches: [{ framework: 'PoshC2' }] } });
    const nessus = withChain([cert({ issuer: 'CN=Nessus CA,OU=Nessus Certification Authority for host,O=Tenable' })]);
    expect(run(certC2Default, nessus, [nessus], { c2Traits })[0]?.severity).toBe('medium');
    const sliver = withChain([cert({ subject: 'CN=x,O=Tech llc' })]);
    expect(run(certC2Default, sliver, [sliver], { c2Traits })[0]?.severity).toBe('low');
    // the Sliver regex matches the empty string: a certificate without O is not a match
    expect(run(certC2Default, withChain([cert()]), undefined, { c2Traits })).toEqual([]);
  });
  it('cert.sni-mismatch', () => {
    const f = run(certSniMismatch, withChain([cert()], { sni: 'mail.other.org', sni_matches_cert: false }));
    expect(f[0]?.evidence).toMatchObject({ sni: 'mail.other.org', san: ['www.example.net'] });
    expect(run(certSniMismatch, withChain([cert()]))).toEqual([]);
    expect(run(certSniMismatch, withChain([cert()], { sni_matches_cert: null }))).toEqual([]);
  });
});

describe('fingerprint.c2-default', () => {
  it('matches a JA4 of the traits file, low', () => {
    const c2Traits = parseC2Traits('framework,category,verdict,field,value,match,confidence,notes,source\nCS,c2,malicious,ja4,t12d190800_d83cc789557e_16bbda4055b2,exact,medium,n,s\n');
    const s = session({ tls: tls({ ja4: 't12d190800_d83cc789557e_16bbda4055b2' }) });
    expect(run(fingerprintC2Default, s, [s], { c2Traits })[0]?.severity).toBe('low');
    expect(run(fingerprintC2Default, session(), undefined, { c2Traits })).toEqual([]);
  });
});

describe('SNI rules', () => {
  it('sni.missing only with a ClientHello', () => {
    expect(run(sniMissing, session({ tls: tls({ sni: null }) }))).toHaveLength(1);
    expect(run(sniMissing, session())).toEqual([]);
    expect(run(sniMissing, session({ tls: tls({ sni: null, ja3: null, ja4: null }) }))).toEqual([]);
    expect(run(sniMissing, session({ protocol: 'http', tls: null }))).toEqual([]);
  });
  it('sni.ip-literal', () => {
    expect(run(sniIpLiteral, session({ tls: tls({ sni: '198.51.100.20' }) }))[0]?.evidence).toMatchObject({ sni: '198.51.100.20', same_as_server: true });
    expect(run(sniIpLiteral, session({ tls: tls({ sni: '2001:db8::1' }) }))).toHaveLength(1);
    expect(run(sniIpLiteral, session())).toEqual([]);
  });
  it('sni.dga-like: generated labels yes, ordinary names no', () => {
    for (const n of ['xjwqkzpvbnrt.com', 'a8f3k2l9x0q7z.net', 'qzmxnvbclkjhg.co.uk']) {
      expect(run(sniDgaLike, session({ tls: tls({ sni: n }) })), n).toHaveLength(1);
    }
    for (const n of ['www.google.com', 'login.microsoftonline.com', 'rsa.tls443.test', 'cdn.cloudflare.net', 'a.b', '10.0.0.1', 'xn--bcher-kva.example']) {
      expect(run(sniDgaLike, session({ tls: tls({ sni: n }) })), n).toEqual([]);
    }
    const f = dgaFeatures('xjwqkzpvbnrt.com')!;
    expect(f.label).toBe('xjwqkzpvbnrt');
    expect(f.consonant_run).toBe(12);
    expect(f.entropy).toBeCloseTo(3.585, 3); // 12 distinct characters: log2(12)
  });
});

describe('TLS rules', () => {
  it('tls.legacy-version: negotiated and offered-only', () => {
    expect(run(tlsLegacyVersion, session({ tls: tls({ version: 'TLS 1.0' }) }))[0]?.severity).toBe('medium');
    expect(run(tlsLegacyVersion, session({ tls: tls({ version: 'SSL 3.0' }) }))[0]?.severity).toBe('high');
    expect(run(tlsLegacyVersion, session({ tls: tls({ version: null, ja4: 't10d090600_c491f621fb4c_195413a0cc0f' }) }))[0]).toMatchObject({
      severity: 'low', evidence: { client_max_version: 'TLS 1.0' },
    });
    expect(run(tlsLegacyVersion, session())).toEqual([]);
    expect(run(tlsLegacyVersion, session({ tls: tls({ version: 'TLS 1.2' }) }))).toEqual([]);
  });
  it('tls.weak-cipher: selected high, offered low', () => {
    expect(run(tlsWeakCipher, session({ tls: tls({ version: 'TLS 1.2', cipher: 'TLS_RSA_WITH_RC4_128_SHA' }) }))[0]).toMatchObject({ severity: 'high', evidence: { weakness: 'rc4' } });
    // 0x0003 TLS_RSA_EXPORT_WITH_RC4_40_MD5, 0x0018 TLS_DH_anon_WITH_RC4_128_MD5, 0x0002 TLS_RSA_WITH_NULL_SHA, 0xc02f
    const offered = run(tlsWeakCipher, session({ tls: tls({ ja3_string: '771,3-24-2-49199,0,,', version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }) }));
    expect(offered[0]?.severity).toBe('low');
    expect(offered[0]?.evidence.offered_weak).toEqual([
      { name: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', weakness: 'export' },
      { name: 'TLS_DH_anon_WITH_RC4_128_MD5', weakness: 'anonymous' },
      { name: 'TLS_RSA_WITH_NULL_SHA', weakness: 'null' },
    ]);
    expect(offeredCiphers(null, 't12d0300h2_0004,c02f_000a')).toEqual([4, 0xc02f]);
    expect(run(tlsWeakCipher, session())).toEqual([]);
    expect(weakness('TLS_EMPTY_RENEGOTIATION_INFO_SCSV')).toBeNull();
    expect(weakness('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')).toBeNull();
  });
  it('tls.handshake-failure', () => {
    expect(run(tlsHandshakeFailure, session({ tls: tls({ version: null, ja3s: null, alert: 'internal_error', established: false }) }))[0]).toMatchObject({
      severity: 'low', evidence: { alert: 'internal_error', server_hello: false },
    });
    expect(run(tlsHandshakeFailure, session({ tls: tls({ version: null, ja3s: null, established: false }) }))[0]?.severity).toBe('info');
    expect(run(tlsHandshakeFailure, session({ tls: tls({ alert: 'close_notify' }) }))[0]?.severity).toBe('info');
    expect(run(tlsHandshakeFailure, session())).toEqual([]);
  });
});

describe('fingerprint.rare', () => {
  it('flags a JA4 seen once among >= 10 fingerprinted sessions', () => {
    const common = Array.from({ length: 10 }, () => session());
    const odd = session({ tls: tls({ ja4: 't12i020600_b06afd972a5c_e7e480e5a997' }) });
    const all = [...common, odd];
    expect(run(fingerprintRare, odd, all)[0]?.evidence).toMatchObject({ ja4: 't12i020600_b06afd972a5c_e7e480e5a997', fingerprinted_sessions: 11 });
    expect(run(fingerprintRare, common[0]!, all)).toEqual([]);
    expect(run(fingerprintRare, odd, [odd, common[0]!])).toEqual([]);
  });
});

describe('intel rules', () => {
  const hit = { list: 'test-list', label: 'Evil RAT', verdict: 'malicious' as const };
  const intel = {
    ja3: (h: string) => (h === 'aa'.repeat(16) ? hit : null),
    ja4: () => null,
    ja3s: (h: string) => (h === 'bb'.repeat(16) ? { ...hit, verdict: 'unknown' as const } : null),
    certSha1: (h: string) => (h === '11'.repeat(20) ? hit : null),
    certSha256: () => null,
  };
  it('return nothing with the empty intel lookup', () => {
    const s = withChain([cert()]);
    for (const r of [intelClientFingerprint, intelServerFingerprint, intelCertificate]) expect(run(r, s)).toEqual([]);
  });
  it('client fingerprint medium, server unknown info, certificate critical', () => {
    const s = withChain([cert()]);
    expect(run(intelClientFingerprint, s, [s], { intel })[0]).toMatchObject({ severity: 'medium', evidence: { kind: 'ja3', list: 'test-list', label: 'Evil RAT' } });
    expect(run(intelServerFingerprint, s, [s], { intel })[0]?.severity).toBe('info');
    expect(run(intelCertificate, s, [s], { intel })[0]).toMatchObject({ severity: 'critical', evidence: { matched: 'sha1', sha1: '11'.repeat(20) } });
  });
});
