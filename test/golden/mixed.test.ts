/**
 * Verdicts on a capture that mixes benign and bad traffic (issue 5, "Done when"):
 * fixtures/mixed-benign-bad.pcap, recorded by scripts/make-mixed-fixture.sh, each kind of
 * connection on its own loopback server address. The expectations in
 * fixtures/mixed-benign-bad.expected.json were written by hand from what each connection is
 * (a self-signed leaf, an expired one, TLS 1.0...), not from the analyzer's output. The site root
 * of the benign servers, fixtures/mixed-site-ca.pem, is trusted as with `--ca-bundle`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import type { SessionRecord, Verdict } from '../../src/model/session.js';
import { parseCaBundle } from '../../src/x509/pem.js';

const fixtures = join(import.meta.dirname, '../../fixtures');

interface ExpectedConnection {
  n: number;
  client: string;
  client_ip: string;
  server_ip: string;
  server_port: number;
  class: string;
  verdict: Verdict;
  rules: string[];
  why: string;
}

const expected = (JSON.parse(readFileSync(join(fixtures, 'mixed-benign-bad.expected.json'), 'utf8')) as {
  connections: ExpectedConnection[];
}).connections;

function siteCa() {
  const bundle = parseCaBundle(readFileSync(join(fixtures, 'mixed-site-ca.pem'), 'latin1'));
  if (!bundle.ok) throw new Error(bundle.error);
  return bundle.certificates;
}

const label = (c: ExpectedConnection): string => `#${c.n} ${c.class}: ${c.client} -> ${c.server_ip}:${c.server_port}`;

describe('fixtures/mixed-benign-bad.pcap verdicts', async () => {
  const { sessions } = await analyzeCapture(join(fixtures, 'mixed-benign-bad.pcap'), {
    ports: new Set([443]), allPorts: false, caCertificates: siteCa(),
  });

  it('has one session per expected connection, in capture order', () => {
    expect(sessions.map((s) => `${s.client_ip}>${s.server_ip}:${s.server_port}`)).toEqual(
      expected.map((c) => `${c.client_ip}>${c.server_ip}:${c.server_port}`),
    );
  });

  // sessions and connections are both in capture order: the n-th session is the n-th connection
  const sessionOf = (c: ExpectedConnection): SessionRecord => {
    const s = sessions[c.n - 1];
    if (!s || s.server_ip !== c.server_ip || s.server_port !== c.server_port) throw new Error(`no session for ${label(c)}`);
    return s;
  };
  const summary = (s: SessionRecord): string => `score ${s.score}, findings ${s.findings.map((f) => `${f.rule}/${f.severity}`).join(' ') || 'none'}`;

  it.each(expected.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const s = sessionOf(c);
    const fired = s.findings.map((f) => f.rule);
    expect({ verdict: s.verdict, missing: c.rules.filter((r) => !fired.includes(r)) }, summary(s)).toEqual({ verdict: c.verdict, missing: [] });
    if (c.class === 'benign') {
      expect(s.findings.filter((f) => f.severity !== 'info').map((f) => f.rule), summary(s)).toEqual([]);
    }
  });

  it('trusts the site chain given as a CA bundle (and only then)', async () => {
    const benign12 = expected.find((c) => c.class === 'benign' && c.client.includes('TLS 1.2'))!;
    expect(sessionOf(benign12).tls?.chain_valid).toBe(true);
    const { sessions: untrusted } = await analyzeCapture(join(fixtures, 'mixed-benign-bad.pcap'), { ports: new Set([443]), allPorts: false });
    const s = untrusted[benign12.n - 1]!;
    expect(s.tls?.chain_valid).toBe(false);
    expect(s.findings.map((f) => f.rule)).toContain('cert.unknown-issuer');
  });
});
