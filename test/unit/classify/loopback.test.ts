// The classifier over the project's own loopback capture (fixtures/loopback-clients.connections.tsv).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/pipeline/analyze.js';
import { classifySessions } from '../../../src/classify/classifier.js';
import { parseCaBundle } from '../../../src/x509/pem.js';

const PCAP = 'fixtures/loopback-clients.pcap';

async function run(caBundle: boolean) {
  const bundle = parseCaBundle(readFileSync('fixtures/loopback-root-ca.pem', 'utf8'));
  if (!bundle.ok) throw new Error(bundle.error);
  const r = await analyzeCapture(PCAP, { ports: new Set([443, 8443]), allPorts: false, caCertificates: caBundle ? bundle.certificates : [] });
  classifySessions(r.sessions, { tlsPorts: new Set([443, 8443]) });
  return r.sessions;
}

const rules = (s: { findings: { rule: string }[] }) => s.findings.map((f) => f.rule);

describe('classifier over fixtures/loopback-clients.pcap', () => {
  it('flags the self-signed, the TLS 1.0 alert, plain HTTP and SSH sessions', async () => {
    const sessions = await run(false);
    expect(sessions).toHaveLength(18);
    const selfSigned = sessions.find((s) => s.server_ip === '127.0.0.3')!;
    expect(rules(selfSigned)).toContain('cert.self-signed');
    expect(selfSigned.verdict).toBe('suspicious');
    const tls10 = sessions.find((s) => s.tls?.alert === 'internal_error')!;
    expect(rules(tls10)).toEqual(expect.arrayContaining(['tls.legacy-version', 'tls.handshake-failure']));
    expect(tls10.findings.find((f) => f.rule === 'tls.legacy-version')!.evidence.client_max_version).toBe('TLS 1.0');
    const http = sessions.find((s) => s.protocol === 'http')!;
    expect(http.findings[0]).toMatchObject({ rule: 'protocol.not-tls-on-tls-port', severity: 'medium', evidence: { protocol: 'http' } });
    const ssh = sessions.find((s) => s.protocol === 'ssh')!;
    expect(ssh.findings[0]).toMatchObject({ rule: 'protocol.not-tls-on-tls-port', severity: 'high', evidence: { protocol: 'ssh' } });
    const noSni = sessions.find((s) => s.tls !== null && s.tls.sni === null && s.tls.ja4 !== null)!;
    expect(rules(noSni)).toContain('sni.missing');
    // no beaconing: the clients ran one after the other, a fraction of a second apart
    expect(sessions.some((s) => rules(s).includes('beacon.regular-interval'))).toBe(false);
    expect(sessions.every((s) => s.verdict !== 'malicious')).toBe(true);
  });

  it('with the site CA given, the benign clients come out ok', async () => {
    const sessions = await run(true);
    const notOk = sessions.filter((s) => s.verdict !== 'ok').map((s) => `${s.server_ip}:${s.server_port} ${s.protocol} ${rules(s).join(',')}`);
    // only the self-signed server (no CA vouches for it) and the non-TLS flows remain
    expect(notOk).toHaveLength(3);
    for (const s of sessions.filter((x) => x.tls?.chain_valid === true)) expect(rules(s)).not.toContain('cert.unknown-issuer');
  });
});
