import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../src/model/session.js';
import {
  atLeast, classifySessions, listRules, loadC2Traits, loadPolicy, maxSeverity, parseSeverity, scoreFindings,
} from '../../../src/classify/classifier.js';
import { cert, session, tls, withChain } from './builder.js';

const f = (rule: string, severity: Severity): Finding => ({ rule, severity, message: rule, evidence: {} });

describe('severity helpers', () => {
  it('order, max and parse', () => {
    expect(maxSeverity([])).toBeNull();
    expect(maxSeverity([f('a.b', 'low'), f('a.c', 'high'), f('a.d', 'medium')])).toBe('high');
    expect(atLeast('high', 'medium')).toBe(true);
    expect(atLeast('low', 'medium')).toBe(false);
    expect(parseSeverity('HIGH')).toBe('high');
    expect(() => parseSeverity('severe')).toThrow(/unknown severity/);
  });
});

describe('scoreFindings', () => {
  it('weights, one count per rule, cap', () => {
    expect(scoreFindings([])).toEqual({ score: 0, verdict: 'ok' });
    expect(scoreFindings([f('fingerprint.rare', 'info')])).toEqual({ score: 0, verdict: 'ok' });
    expect(scoreFindings([f('cert.self-signed', 'medium')])).toEqual({ score: 15, verdict: 'suspicious' });
    // the same rule twice counts once, at its worst
    expect(scoreFindings([f('cert.expired', 'medium'), f('cert.expired', 'high')]).score).toBe(35);
    expect(scoreFindings([f('a.a', 'high'), f('b.b', 'high'), f('c.c', 'high')]).score).toBe(100);
  });
  it('low findings alone need 20 points', () => {
    expect(scoreFindings([f('sni.missing', 'low'), f('cert.validity-too-long', 'low'), f('cert.unknown-issuer', 'low')])).toEqual({ score: 15, verdict: 'ok' });
    expect(scoreFindings([f('sni.missing', 'low'), f('cert.validity-too-long', 'low'), f('cert.unknown-issuer', 'low'), f('tls.legacy-version', 'low')]).verdict).toBe('suspicious');
  });
  it('malicious: a critical finding, or >= 70 with two kinds of evidence', () => {
    expect(scoreFindings([f('cert.c2-default', 'critical')])).toEqual({ score: 60, verdict: 'malicious' });
    // 70 points but all certificate evidence: suspicious only
    expect(scoreFindings([f('cert.a', 'high'), f('cert.b', 'high')]).verdict).toBe('suspicious');
    expect(scoreFindings([f('cert.a', 'high'), f('protocol.b', 'high')])).toEqual({ score: 70, verdict: 'malicious' });
    // a lone client fingerprint intel hit is medium: suspicious
    expect(scoreFindings([f('intel.client-fingerprint', 'medium')]).verdict).toBe('suspicious');
  });
});

describe('classifySessions', () => {
  const dashboard = () => withChain(
    [cert({ subject: 'CN=dashboard.corp.example', issuer: 'CN=dashboard.corp.example', self_signed: true, facts: ['self_signed'], sha256: 'ee'.repeat(32) })],
    { sni: 'dashboard.corp.example', chain_valid: false, chain_error: 'self_signed' },
    { server_ip: '10.20.0.5' },
  );

  it('fills findings, score and verdict', () => {
    const good = session();
    const bad = dashboard();
    const ssh = session({ protocol: 'ssh', tls: null });
    classifySessions([good, bad, ssh]);
    expect(good).toMatchObject({ findings: [], score: 0, verdict: 'ok' });
    expect(bad.findings.map((x) => x.rule)).toEqual(['cert.self-signed']);
    expect(bad).toMatchObject({ score: 15, verdict: 'suspicious' });
    expect(ssh).toMatchObject({ score: 35, verdict: 'suspicious' });
    expect(ssh.findings[0]!.rule).toBe('protocol.not-tls-on-tls-port');
  });

  it('allowed sessions keep their findings as info, verdict ok', () => {
    const s = dashboard();
    classifySessions([s], { policy: loadPolicy('allow:\n  servers: [10.20.0.0/16]\n') });
    expect(s.score).toBe(0);
    expect(s.verdict).toBe('ok');
    expect(s.findings).toHaveLength(1);
    expect(s.findings[0]).toMatchObject({ rule: 'cert.self-signed', severity: 'info', evidence: { allowed_by: 'servers: 10.20.0.0/16', original_severity: 'medium' } });
    const byCert = dashboard();
    classifySessions([byCert], { policy: loadPolicy(`allow:\n  cert_sha256: [${'ee'.repeat(32)}]\n`) });
    expect(byCert.verdict).toBe('ok');
  });

  it('overrides and disables', () => {
    const a = dashboard();
    classifySessions([a], { policy: loadPolicy('rules:\n  cert.self-signed: high\n') });
    expect(a.findings[0]!.severity).toBe('high');
    expect(a.score).toBe(35);
    const b = dashboard();
    classifySessions([b], { policy: loadPolicy('disable: [cert.self-signed]\n') });
    expect(b).toMatchObject({ findings: [], score: 0, verdict: 'ok' });
  });

  it('intel: a lone client fingerprint hit is suspicious, a listed certificate malicious', () => {
    const hit = { list: 'l', label: 'Evil', verdict: 'malicious' as const };
    const intel = { ja3: () => hit, ja4: () => null, ja3s: () => null, certSha1: () => null, certSha256: () => null };
    const s = session();
    classifySessions([s], { intel });
    expect(s.verdict).toBe('suspicious');
    const c = withChain([cert()]);
    classifySessions([c], { intel: { ...intel, ja3: () => null, certSha1: () => hit } });
    expect(c.verdict).toBe('malicious');
  });

  it('loads C2 traits from a path; a missing file is a one-line error', () => {
    expect(() => classifySessions([session()], { c2TraitsCsv: '/nonexistent/traits.csv' })).toThrow(/cannot read C2 traits file \/nonexistent\/traits.csv: ENOENT/);
    const path = '/work/shared/intel/c2/c2_cert_traits.csv';
    if (!existsSync(path)) return;
    expect(loadC2Traits(path).length).toBeGreaterThan(50);
    const openssl = withChain([cert({ subject: 'CN=localhost,C=AU,ST=Some-State,O=Internet Widgits Pty Ltd', self_signed: true, facts: ['self_signed'] })],
      { chain_valid: false, chain_error: 'self_signed', sni: null });
    classifySessions([openssl], { c2TraitsCsv: path });
    const rules = openssl.findings.map((x) => x.rule);
    expect(rules).toEqual(expect.arrayContaining(['cert.self-signed', 'cert.openssl-default', 'cert.c2-default', 'sni.missing']));
    // IcedID's OpenSSL-default DN is a low-confidence trait: no malicious verdict from it alone
    expect(openssl.findings.find((x) => x.rule === 'cert.c2-default')!.severity).toBe('low');
    expect(openssl.verdict).toBe('suspicious');
  });

  it('listRules', () => {
    const rules = listRules();
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining([
      'protocol.not-tls-on-tls-port', 'cert.self-signed', 'cert.unknown-issuer', 'cert.expired', 'cert.not-yet-valid',
      'cert.validity-too-long', 'cert.weak-key', 'cert.weak-signature', 'cert.empty-subject', 'cert.openssl-default',
      'cert.c2-default', 'cert.sni-mismatch', 'sni.missing', 'sni.ip-literal', 'sni.dga-like', 'tls.legacy-version',
      'tls.weak-cipher', 'tls.handshake-failure', 'fingerprint.rare', 'beacon.regular-interval', 'intel.client-fingerprint',
      'intel.server-fingerprint', 'intel.certificate',
    ]));
    for (const r of rules) expect(Object.keys(r).sort()).toEqual(['description', 'id', 'severity', 'title']);
  });

  it('a rule that throws becomes an info finding, the run goes on', () => {
    const t = tls();
    Object.defineProperty(t, 'ja3_string', { get() { throw new Error('boom'); } });
    const s = session({ tls: t });
    classifySessions([s]);
    expect(s.findings).toEqual([{ rule: 'classify.rule-error', severity: 'info', message: 'rule tls.weak-cipher failed: boom', evidence: { rule: 'tls.weak-cipher' } }]);
  });
});
