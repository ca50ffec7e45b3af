import { describe, expect, it } from 'vitest';
import { allowMatch, cidrContains, globMatch, parseCidr, parsePolicy, parseYamlSubset } from '../../../src/classify/policy.js';
import { loadPolicy } from '../../../src/classify/classifier.js';
import { cert, session, tls, withChain } from './builder.js';

const YAML = `
# site policy
allow:
  servers: [10.0.0.0/8, "fd00::/8"]
  sni:
    - dashboard.corp.example   # the management UI
    - '*.lab.example'
  cert_sha256: ["AB:${'cd'.repeat(31)}"]
  fingerprints: [T13D0303H2_aaaaaaaaaaaa_bbbbbbbbbbbb]
rules:
  cert.self-signed: low
  sni.dga-like: off
disable: [fingerprint.rare]
`;

describe('policy parsing', () => {
  it('reads the YAML subset', () => {
    const p = loadPolicy(YAML);
    expect(p.allow.servers.map((c) => c.text)).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(p.allow.sni).toEqual(['dashboard.corp.example', '*.lab.example']);
    expect(p.allow.certSha256).toEqual(['ab' + 'cd'.repeat(31)]);
    expect(p.allow.fingerprints).toEqual(['t13d0303h2_aaaaaaaaaaaa_bbbbbbbbbbbb']);
    expect([...p.overrides]).toEqual([['cert.self-signed', 'low']]);
    expect([...p.disabled].sort()).toEqual(['fingerprint.rare', 'sni.dga-like']);
  });
  it('reads the same policy as JSON', () => {
    const p = loadPolicy(JSON.stringify({ allow: { servers: ['192.0.2.1'] }, rules: { 'cert.expired': 'critical', 'sni.missing': false }, disable: ['tls.weak-cipher'] }));
    expect(p.allow.servers[0]!.prefix).toBe(32);
    expect(p.overrides.get('cert.expired')).toBe('critical');
    expect([...p.disabled].sort()).toEqual(['sni.missing', 'tls.weak-cipher']);
    expect(loadPolicy('').allow.servers).toEqual([]);
  });
  it('rejects invalid policies with a one-line message', () => {
    const bad: [string, RegExp][] = [
      ['allow:\n  servers: [10.0.0.0/33]', /bad prefix/],
      ['allow:\n  servers: [not-an-ip]', /not an IP/],
      ['allow:\n  hosts: [a]', /unknown allow list "hosts"/],
      ['rules:\n  cert.self-signd: low', /unknown rule "cert.self-signd"/],
      ['rules:\n  cert.self-signed: severe', /not one of/],
      ['colour: red', /unknown top-level key/],
      ['{ "allow": ', /bad JSON/],
      ['allow:\n  sni: ["unterminated]', /unterminated/],
      ['allow:\n  cert_sha256: [abc]', /SHA-256/],
      ['- a\n- b', /top level must be a mapping/],
    ];
    for (const [text, re] of bad) {
      expect(() => loadPolicy(text), text).toThrow(re);
      try { loadPolicy(text); } catch (e) { expect((e as Error).message).not.toContain('\n'); expect((e as Error).message).toMatch(/^invalid policy: /); }
    }
    // without the known ids, any rule id is accepted
    expect(parsePolicy('disable: [future.rule]').disabled.has('future.rule')).toBe(true);
  });
  it('YAML subset details', () => {
    expect(parseYamlSubset('a:\n  b: "x # not a comment"\n  c: \'it\'\'s\'\nd: [1, "2"]')).toEqual({ a: { b: 'x # not a comment', c: "it's" }, d: ['1', '2'] });
    expect(parseYamlSubset('a:\n- x\n- y')).toEqual({ a: ['x', 'y'] });
  });
});

describe('CIDR and globs', () => {
  it('IPv4 and IPv6 prefixes', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8'), '10.200.3.4')).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), '11.0.0.1')).toBe(false);
    expect(cidrContains(parseCidr('192.168.1.128/25'), '192.168.1.200')).toBe(true);
    expect(cidrContains(parseCidr('192.168.1.128/25'), '192.168.1.100')).toBe(false);
    expect(cidrContains(parseCidr('fd00::/8'), 'fd12:3456::1')).toBe(true);
    expect(cidrContains(parseCidr('fd00::/8'), 'fe80::1')).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32'), '2001:0db8:ffff::')).toBe(true);
    expect(cidrContains(parseCidr('::1'), '0:0:0:0:0:0:0:1')).toBe(true);
    expect(cidrContains(parseCidr('::ffff:10.0.0.0/104'), '::ffff:10.1.2.3')).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), 'fd00::1')).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '8.8.8.8')).toBe(true);
  });
  it('SNI globs', () => {
    expect(globMatch('*.lab.example', 'a.b.LAB.example')).toBe(true);
    expect(globMatch('*.lab.example', 'lab.example')).toBe(false);
    expect(globMatch('dashboard.corp.example', 'dashboardXcorp.example')).toBe(false);
  });
  it('allowMatch names the entry', () => {
    const p = loadPolicy(YAML);
    expect(allowMatch(p, session({ server_ip: '10.1.1.1' }))).toEqual({ list: 'servers', entry: '10.0.0.0/8', value: '10.1.1.1' });
    expect(allowMatch(p, session({ tls: tls({ sni: 'x.lab.example' }) }))?.list).toBe('sni');
    expect(allowMatch(p, withChain([cert({ sha256: 'ab' + 'cd'.repeat(31) })]))?.list).toBe('cert_sha256');
    expect(allowMatch(p, session({ tls: tls({ ja4: 't13d0303h2_aaaaaaaaaaaa_bbbbbbbbbbbb' }) }))?.list).toBe('fingerprints');
    expect(allowMatch(p, session({ tls: tls({ ja4: 'other' }) }))).toBeNull();
  });
});
