/** intel.* and cert.impersonation with an IntelLookup built from imported rows. */
import { describe, expect, it } from 'vitest';
import { buildContext, classifySessions } from '../../../src/classify/classifier.js';
import { certImpersonation } from '../../../src/classify/rules/cert-impersonation.js';
import { intelCertificate } from '../../../src/classify/rules/intel-certificate.js';
import { intelClientFingerprint } from '../../../src/classify/rules/intel-client-fingerprint.js';
import { parseIntel } from '../../../src/intel/import.js';
import { buildIntelLookup } from '../../../src/intel/lookup.js';
import { cert, session, tls, withChain } from '../classify/builder.js';

const BAD_JA3 = 'aa'.repeat(16);
const GOOD_JA3 = 'cc'.repeat(16);
const BAD_SHA1 = '11'.repeat(20);
const intel = buildIntelLookup([
  ...parseIntel(`# x\n# ja3_md5,Firstseen,Lastseen,Listingreason\n${BAD_JA3},a,b,TrickBot\n${GOOD_JA3},a,b,Adware\n`, 'ja3.csv').rows,
  ...parseIntel(`${GOOD_JA3},"Chrome"\n`, 'sf.csv').rows,
  ...parseIntel(`# x\n# Listingdate,SHA1,Listingreason\n2023-01-01,${BAD_SHA1},Dridex C&C\n`, 'sslbl.csv').rows,
  ...parseIntel('domain\ngoogle.com\npaypal.com\n', 'top.csv').rows,
  ...parseIntel('provider,sni_suffixes,expected_issuer_o,issuer_cn_examples,chromium_pinset,confidence,caveats,evidence\nGoogle,google.com,Google Trust Services|Google Trust Services LLC,,,high,,\nDropbox,dropbox.com,DigiCert Inc,,,low,,\n', 'seed.csv').rows,
]);
const ctx = (s: ReturnType<typeof session>) => buildContext([s], { intel });

describe('intel.* rules with imported lists', () => {
  it('a lone client JA3 hit is medium and the session only suspicious', () => {
    const s = session({ tls: tls({ ja3: BAD_JA3 }) });
    expect(intelClientFingerprint.evaluate(s, ctx(s))).toEqual([expect.objectContaining({ rule: 'intel.client-fingerprint', severity: 'medium' })]);
    classifySessions([s], { intel });
    expect(s.verdict).toBe('suspicious');
  });

  it('a JA3 also on the known-good list is info; known-good only is no finding', () => {
    const s = session({ tls: tls({ ja3: GOOD_JA3 }) });
    const f = intelClientFingerprint.evaluate(s, ctx(s));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'info' });
    expect(f[0]!.message).toMatch(/known-good "Chrome"/);
    const benignOnly = buildIntelLookup(parseIntel(`${BAD_JA3},"curl"\n`, 'sf.csv').rows);
    const t = session({ tls: tls({ ja3: BAD_JA3 }) });
    expect(intelClientFingerprint.evaluate(t, buildContext([t], { intel: benignOnly }))).toEqual([]);
  });

  it('a listed certificate is critical and the session malicious', () => {
    const s = withChain([cert({ sha1: BAD_SHA1 })]);
    expect(intelCertificate.evaluate(s, ctx(s))).toEqual([expect.objectContaining({ severity: 'critical', evidence: expect.objectContaining({ label: 'Dridex C&C' }) })]);
    classifySessions([s], { intel });
    expect(s.verdict).toBe('malicious');
  });
});

describe('cert.impersonation', () => {
  const gts = 'CN=WR2,O=Google Trust Services,C=US';
  it('a popular name with a self-signed certificate: high', () => {
    const s = withChain([cert({ subject: 'CN=paypal.com', issuer: 'CN=paypal.com', san: ['paypal.com'], self_signed: true })], { sni: 'www.paypal.com', chain_valid: false, chain_error: 'self_signed' });
    const f = certImpersonation.evaluate(s, ctx(s));
    expect(f).toEqual([expect.objectContaining({ rule: 'cert.impersonation', severity: 'high' })]);
    expect(f[0]!.message).toMatch(/popular domain.*does not build to a public root/);
  });

  it('a certificate that does not cover the well-known SNI: high', () => {
    const s = withChain([cert({ issuer: gts, san: ['evil.example.net'] })], { sni: 'mail.google.com', sni_matches_cert: false });
    expect(certImpersonation.evaluate(s, ctx(s))).toEqual([expect.objectContaining({ severity: 'high' })]);
  });

  it('a valid certificate from a CA the provider does not use: medium (unverified seed)', () => {
    const s = withChain([cert({ subject: 'CN=mail.google.com', issuer: "CN=R11,O=Let's Encrypt,C=US", san: ['mail.google.com'] })], { sni: 'mail.google.com' });
    const f = certImpersonation.evaluate(s, ctx(s));
    expect(f).toEqual([expect.objectContaining({ severity: 'medium', evidence: expect.objectContaining({ provider: 'Google', issuer_o: ["Let's Encrypt"] }) })]);
  });

  it('negative: the expected issuer, an unknown name, a low-confidence seed row, no intel', () => {
    const ok = withChain([cert({ issuer: gts, san: ['*.google.com'] })], { sni: 'www.google.com' });
    expect(certImpersonation.evaluate(ok, ctx(ok))).toEqual([]);
    const other = withChain([cert({ self_signed: true })], { sni: 'intranet.example.org', chain_valid: false, chain_error: 'self_signed' });
    expect(certImpersonation.evaluate(other, ctx(other))).toEqual([]);
    const dropbox = withChain([cert({ issuer: 'CN=X,O=Other CA' })], { sni: 'www.dropbox.com' });
    expect(certImpersonation.evaluate(dropbox, ctx(dropbox))).toEqual([]);
    const bad = withChain([cert({ self_signed: true })], { sni: 'www.paypal.com', chain_valid: false, chain_error: 'self_signed' });
    expect(certImpersonation.evaluate(bad, buildContext([bad]))).toEqual([]);
  });
});
