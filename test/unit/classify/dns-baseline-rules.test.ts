import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../src/model/session.js';
import { buildContext, type ClassifyOptions } from '../../../src/classify/classifier.js';
import type { Rule } from '../../../src/classify/rule.js';
import { dnsUnresolvedDestination } from '../../../src/classify/rules/dns-unresolved-destination.js';
import { dnsSniIpMismatch } from '../../../src/classify/rules/dns-sni-ip-mismatch.js';
import { baselineNewFingerprint } from '../../../src/classify/rules/baseline-new-fingerprint.js';
import { baselineNewCertificate } from '../../../src/classify/rules/baseline-new-certificate.js';
import { baselineNewServer } from '../../../src/classify/rules/baseline-new-server.js';
import { RULES } from '../../../src/classify/rules/index.js';
import { DnsLog } from '../../../src/dns/dns-log.js';
import { BaselineSet, baselineEntries } from '../../../src/baseline/baseline.js';
import { aResponse, header, ptr, question, rr, name } from '../dns/dns-bytes.js';
import { at, cert, session, tls, withChain } from './builder.js';

function run(rule: Rule, s: SessionRecord, options: ClassifyOptions = {}) {
  return rule.evaluate(s, buildContext([s], options));
}

/** Capture time (µs) of `at(seconds)`. */
const us = (seconds: number): number => (Date.parse('2026-06-01T12:00:00Z') / 1000 + seconds) * 1e6;

function dnsLog(): DnsLog {
  const log = new DnsLog();
  log.udp(us(0), aResponse('www.example.net', ['198.51.100.20']));
  // cdn.example.org -> edge.cdn.test -> 203.0.113.9
  log.udp(us(0), Uint8Array.from([...header({ an: 2 }), ...question('cdn.example.org'), ...rr(ptr(12), 5, name('edge.cdn.test')),
    ...rr(name('edge.cdn.test'), 1, [203, 0, 113, 9])]));
  return log;
}

describe('registration', () => {
  it('registers the DNS and baseline rules', () => {
    const ids = RULES.map((r) => r.id);
    for (const id of ['dns.unresolved-destination', 'dns.sni-ip-mismatch', 'baseline.new-fingerprint', 'baseline.new-certificate', 'baseline.new-server']) expect(ids).toContain(id);
  });
});

describe('dns.unresolved-destination', () => {
  it('flags TLS to an IP no answer gave, once DNS is visible', () => {
    const f = run(dnsUnresolvedDestination, session({ start: at(5), server_ip: '192.0.2.99' }), { dns: dnsLog() });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'low', evidence: { server_ip: '192.0.2.99', sni: 'www.example.net', dns_answers: 2 } });
  });
  it('stays silent when an answer gave the IP, without DNS, before the first answer, or without a ClientHello', () => {
    expect(run(dnsUnresolvedDestination, session({ start: at(5) }), { dns: dnsLog() })).toEqual([]);
    expect(run(dnsUnresolvedDestination, session({ start: at(5), server_ip: '192.0.2.99' }))).toEqual([]);
    expect(run(dnsUnresolvedDestination, session({ start: at(-5), server_ip: '192.0.2.99' }), { dns: dnsLog() })).toEqual([]);
    expect(run(dnsUnresolvedDestination, session({ start: at(5), server_ip: '192.0.2.99', protocol: 'ssh', tls: null }), { dns: dnsLog() })).toEqual([]);
  });
  it('stays silent when the DNS log is incomplete', () => {
    const log = dnsLog();
    log.incomplete = true;
    expect(run(dnsUnresolvedDestination, session({ start: at(5), server_ip: '192.0.2.99' }), { dns: log })).toEqual([]);
  });
});

describe('dns.sni-ip-mismatch', () => {
  it('flags an SNI resolved elsewhere, following CNAMEs', () => {
    const f = run(dnsSniIpMismatch, session({ server_ip: '192.0.2.99', tls: tls({ sni: 'CDN.example.org' }) }), { dns: dnsLog() });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'medium', evidence: { sni: 'CDN.example.org', server_ip: '192.0.2.99', dns_addresses: ['203.0.113.9'], cname_chain: ['cdn.example.org', 'edge.cdn.test'] } });
  });
  it('does not flag a matching IP (also via CNAME), an unresolved SNI, an IP-literal SNI, or no SNI', () => {
    const dns = dnsLog();
    expect(run(dnsSniIpMismatch, session(), { dns })).toEqual([]);
    expect(run(dnsSniIpMismatch, session({ server_ip: '203.0.113.9', tls: tls({ sni: 'cdn.example.org' }) }), { dns })).toEqual([]);
    expect(run(dnsSniIpMismatch, session({ server_ip: '192.0.2.99', tls: tls({ sni: 'never.resolved.test' }) }), { dns })).toEqual([]);
    expect(run(dnsSniIpMismatch, session({ server_ip: '192.0.2.99', tls: tls({ sni: '198.51.100.20' }) }), { dns })).toEqual([]);
    expect(run(dnsSniIpMismatch, session({ server_ip: '192.0.2.99', tls: tls({ sni: null }) }), { dns })).toEqual([]);
  });
});

describe('baseline rules', () => {
  const known = withChain([cert({ sha256: 'AB'.repeat(32) })]);
  const baseline = new BaselineSet(baselineEntries([known]));

  it('learns JA3, JA4, server IP, SNI and the leaf certificate', () => {
    expect(baselineEntries([known]).map((e) => [e.kind, e.value, e.count])).toEqual([
      ['cert_sha256', 'ab'.repeat(32), 1], ['ja3', known.tls!.ja3, 1], ['ja4', known.tls!.ja4, 1], ['server_ip', known.server_ip, 1], ['sni', 'www.example.net', 1],
    ]);
  });

  it('nothing is new for the learned session; nothing fires without a baseline', () => {
    for (const rule of [baselineNewFingerprint, baselineNewCertificate, baselineNewServer]) {
      expect(run(rule, known, { baseline })).toEqual([]);
      expect(run(rule, withChain([cert({ sha256: 'cd'.repeat(32) })], { ja4: 'x', sni: 'new.test' }))).toEqual([]);
    }
  });

  it('flags a new JA4 (low), a new leaf (info), a new SNI or, without SNI, a new IP (info)', () => {
    const other = withChain([cert({ sha256: 'cd'.repeat(32) })], { ja4: 't13d1516h2_8daaf6152771_02713d6af862', sni: 'new.example.net' });
    expect(run(baselineNewFingerprint, other, { baseline })[0]).toMatchObject({ severity: 'low', evidence: { ja4: 't13d1516h2_8daaf6152771_02713d6af862', ja3_in_baseline: true } });
    expect(run(baselineNewCertificate, other, { baseline })[0]).toMatchObject({ severity: 'info', evidence: { sha256: 'cd'.repeat(32) } });
    expect(run(baselineNewServer, other, { baseline })[0]).toMatchObject({ severity: 'info', evidence: { sni: 'new.example.net', server_ip_in_baseline: true } });
    // A known SNI at a new IP (CDN rotation) is not new; no SNI and a new IP is.
    expect(run(baselineNewServer, session({ server_ip: '192.0.2.1' }), { baseline })).toEqual([]);
    expect(run(baselineNewServer, session({ server_ip: '192.0.2.1', tls: tls({ sni: null }) }), { baseline })[0]).toMatchObject({ evidence: { server_ip: '192.0.2.1' } });
  });
});
