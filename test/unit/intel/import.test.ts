import { describe, expect, it } from 'vitest';
import { parseIntel } from '../../../src/intel/import.js';
import { buildIntelLookup, c2TraitsFromRows } from '../../../src/intel/lookup.js';

const SHA1 = '2e3519b7cb61a3cd6167f727df993f68311085ea';
const JA3 = 'b386946a5a44d1ddcc843bc75336dfce';

describe('parseIntel detects each list format', () => {
  it('abuse.ch SSLBL certificate list (# header, column header as a comment)', () => {
    const p = parseIntel(`####\n# abuse.ch SSLBL\n#\n# Listingdate,SHA1,Listingreason\n2023-11-14 06:52:51,${SHA1.toUpperCase()},DCRat C&C\n# END (1) entries\n`, 'sslbl.csv');
    expect(p.format).toBe('abuse.ch-sslbl');
    expect(p.rows).toEqual([{ kind: 'cert_sha1', value: SHA1, label: 'DCRat C&C', verdict: 'malicious', source: 'abuse.ch-sslbl', listedAt: '2023-11-14 06:52:51', extra: null }]);
  });

  it('the SSLBL addendum with a plain header', () => {
    const p = parseIntel(`listing_date_utc_minute,sha1,listing_reason\n2023-12-22 06:58,${SHA1},AsyncRAT C&C\n`, 'add.csv');
    expect(p.format).toBe('abuse.ch-sslbl');
    expect(p.rows[0]).toMatchObject({ kind: 'cert_sha1', value: SHA1, label: 'AsyncRAT C&C' });
  });

  it('abuse.ch JA3 list', () => {
    const p = parseIntel(`# abuse.ch JA3\n#\n# ja3_md5,Firstseen,Lastseen,Listingreason\n${JA3},2017-07-14 18:08:15,2019-07-27 20:42:54,Dridex\n`, 'ja3.csv');
    expect(p.format).toBe('abuse.ch-sslbl-ja3');
    expect(p.rows[0]).toMatchObject({ kind: 'ja3', value: JA3, label: 'Dridex', verdict: 'malicious', source: 'abuse.ch-sslbl-ja3' });
  });

  it('salesforce known-good JA3 list (leading quoted notice, no header)', () => {
    const p = parseIntel(`"Copyright (c) 2017 x\nAll rights reserved.",\n61d50e7771aee7f2f4b89a7200b4d45e,"AcroCEF"\neb149984fc9c44d85ed7f12c90d818be,"Amazon Music,Spotify"\n`, 'osx.csv');
    expect(p.format).toBe('salesforce-ja3');
    expect(p.rows).toHaveLength(2);
    expect(p.rows[1]).toMatchObject({ kind: 'ja3', value: 'eb149984fc9c44d85ed7f12c90d818be', label: 'Amazon Music,Spotify', verdict: 'benign' });
  });

  it('generic fingerprints.csv (unknown verdict -> info, hashes normalised)', () => {
    const p = parseIntel(`kind,value,label,verdict,source,match,note\nja4,T13D1516H2_8daaf6152771_02713d6af862,Chromium,benign,foxio-ja4plus-mapping,exact,\ncert_sha256,AB:CD,x,unknown,et-open:sid:1,exact,\ncert_subject,CN=BitRAT,BitRAT,malicious,c2-curated/x,rdn,\n`, 'fp.csv');
    expect(p.format).toBe('fingerprints');
    expect(p.rows.map((r) => [r.kind, r.value, r.verdict])).toEqual([
      ['ja4', 't13d1516h2_8daaf6152771_02713d6af862', 'benign'], ['cert_sha256', 'abcd', 'info'], ['cert_subject', 'CN=BitRAT', 'malicious']]);
    expect(p.rows[2]!.extra).toEqual({ match: 'rdn' });
  });

  it('C2 traits (via classify/c2-traits.ts), restorable as C2Trait records', () => {
    const p = parseIntel('framework,category,verdict,field,value,match,confidence,notes,source\nCobalt Strike,c2_framework,malicious,cert_serial_dec,146473198,exact,high,default,src\n', 'c2.csv');
    expect(p.format).toBe('c2-traits');
    expect(p.rows[0]).toMatchObject({ kind: 'c2_trait', value: 'cert_serial_dec|exact|Cobalt Strike|146473198', label: 'Cobalt Strike', verdict: 'malicious' });
    expect(c2TraitsFromRows(p.rows)).toEqual([{ framework: 'Cobalt Strike', category: 'c2_framework', verdict: 'malicious', field: 'cert_serial_dec', value: '146473198', match: 'exact', confidence: 'high', notes: 'default', source: 'src' }]);
  });

  it('MISP Mozilla CA fingerprints and Microsoft Azure CAs', () => {
    const m = parseIntel('ca_type,hash_type,fingerprint\nroot,sha1,010C0695A6981914FFBF5FC6B0B695EA29E912A6\n', 'moz.csv');
    expect(m.format).toBe('mozilla-ca');
    expect(m.rows[0]).toMatchObject({ kind: 'ca_fingerprint', value: '010c0695a6981914ffbf5fc6b0b695ea29e912a6', verdict: 'benign', source: 'misp-warninglists:mozilla-CA' });
    const a = parseIntel('ca_type,ca_name,serial_hex,sha1_thumbprint\nroot,Baltimore CyberTrust Root,0x20000b9,d4de20d05e66fc53fe1a50882c78db2852cae474\n', 'az.csv');
    expect(a.format).toBe('azure-ca');
    expect(a.rows[0]).toMatchObject({ kind: 'ca_fingerprint', value: 'd4de20d05e66fc53fe1a50882c78db2852cae474', source: 'microsoft-azure-ca-details' });
  });

  it('popular domains, provider domains and the provider issuer seed', () => {
    expect(parseIntel('domain\nGoogle.com\n01net.com.\n', 'top.csv').rows.map((r) => [r.kind, r.value])).toEqual([['domain_popular', 'google.com'], ['domain_popular', '01net.com']]);
    const pd = parseIntel('provider,domain,match,source\nGoogle,.google.ad,suffix,misp-warninglists:google\nGoogle,abc.xyz,exact,misp-warninglists:google\n', 'pd.csv');
    expect(pd.format).toBe('provider-domains');
    expect(pd.rows.map((r) => [r.kind, r.value, r.label])).toEqual([['domain_provider', '.google.ad', 'Google'], ['domain_provider', 'abc.xyz', 'Google']]);
    const seed = parseIntel('provider,sni_suffixes,expected_issuer_o,issuer_cn_examples,chromium_pinset,confidence,caveats,evidence\nGoogle,google.com;gstatic.com,Google Trust Services|Google Trust Services LLC,WR2,,high,none,x\n', 'seed.csv');
    expect(seed.format).toBe('provider-issuers');
    expect(seed.rows.map((r) => r.value)).toEqual(['google.com', 'gstatic.com']);
    expect(seed.rows[0]!.extra).toMatchObject({ expected_issuer_o: ['Google Trust Services', 'Google Trust Services LLC'], confidence: 'high' });
  });

  it('an unknown format is a one-line error naming the file', () => {
    expect(() => parseIntel('a,b,c\n1,2,3\n', '/tmp/odd.csv')).toThrow(/^\/tmp\/odd\.csv: unknown intel list format/);
    expect(() => parseIntel('sid,rev,enabled,x\n1,1,1,y\n', 'et.csv')).toThrow(/^et\.csv: ET Open/);
    expect(() => parseIntel('# x\n#\n# Listingdate,SHA1,Listingreason\n2023,nothex,Y\n', 'bad.csv')).toThrow(/^bad\.csv: row 1: "nothex" is not a certificate SHA-1$/);
  });
});

describe('buildIntelLookup', () => {
  const rows = [
    ...parseIntel(`# h\n# ja3_md5,Firstseen,Lastseen,Listingreason\n${JA3},a,b,Tofsee\naaaabbbbccccddddeeeeffff00001111,a,b,Dridex\n`, 'ja3.csv').rows,
    ...parseIntel(`${JA3},"Chrome 61"\n22223333444455556666777788889999,"Slack"\n`, 'sf.csv').rows,
    ...parseIntel(`# h\n# Listingdate,SHA1,Listingreason\n2023,${SHA1},DCRat C&C\n`, 's.csv').rows,
    ...parseIntel(`kind,value,label,verdict,source\ncert_sha1,${SHA1},Some CA,benign,misp\n`, 'f.csv').rows,
    ...parseIntel('domain\ngoogle.com\n', 'd.csv').rows,
    ...parseIntel('provider,domain,match,source\nGoogle,.youtube.com,suffix,misp-warninglists:google\nGoogle,abc.xyz,exact,misp-warninglists:google\n', 'p.csv').rows,
    ...parseIntel('provider,sni_suffixes,expected_issuer_o,issuer_cn_examples,chromium_pinset,confidence,caveats,evidence\nGoogle,google.com,Google Trust Services,,,high,,\n', 's.csv').rows,
  ];
  const intel = buildIntelLookup(rows);

  it('a JA3 on a bad and a known-good list is "unknown" naming both; known-good alone is benign', () => {
    expect(intel.ja3(JA3)).toMatchObject({ verdict: 'unknown', label: 'Tofsee (also listed as known-good "Chrome 61" by salesforce-ja3-osx-nix)' });
    expect(intel.ja3('AAAABBBBCCCCDDDDEEEEFFFF00001111')).toMatchObject({ verdict: 'malicious', label: 'Dridex', list: 'abuse.ch-sslbl-ja3' });
    expect(intel.ja3('22223333444455556666777788889999')).toMatchObject({ verdict: 'benign' });
    expect(intel.ja3('00'.repeat(16))).toBeNull();
  });

  it('a certificate hash: malicious wins', () => {
    expect(intel.certSha1(SHA1)).toMatchObject({ verdict: 'malicious', label: 'DCRat C&C' });
  });

  it('domains: parents match, providers by seed suffix then by list', () => {
    expect(intel.popularDomain!('www.google.com')).toMatchObject({ list: 'misp-warninglists:majestic_million' });
    expect(intel.popularDomain!('google.com.evil.net')).toBeNull();
    expect(intel.providerOf!('mail.google.com')).toMatchObject({ provider: 'Google', domain: 'google.com', expectedIssuers: ['Google Trust Services'] });
    expect(intel.providerOf!('m.youtube.com')).toMatchObject({ provider: 'Google', domain: '.youtube.com', expectedIssuers: [] });
    expect(intel.providerOf!('abc.xyz')).toMatchObject({ provider: 'Google' });
    expect(intel.providerOf!('www.abc.xyz')).toBeNull();
  });
});
