/**
 * Issue 8, adversarial captures: small versions of the captures `npm run adversarial` runs at
 * full scale, through the built CLI. Each must end with exit 0 and no stack trace, and each cap
 * it pushes must show as its stable anomaly name on the session that hit it.
 */
import { LIMITS } from '../../src/config/limits.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/model/session.js';
import {
  SERVER_IP,
  writeDeepAsn1,
  writeEndlessOutOfOrder,
  writeGzipBomb,
  writeHugeClientHello,
  writeManyCertificates,
  writeSynFlood,
} from '../../scripts/adversarial-captures.mjs';
import { ensureBuiltCli, runCli, type CliResult } from '../helpers/built-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'analyze-adversarial-'));

beforeAll(() => ensureBuiltCli(), 120_000);

/** Exit 0, nothing on stderr with -q (no crash, no stack), the sessions of the JSON Lines. */
function sessionsOf(r: CliResult): SessionRecord[] {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SessionRecord);
}

const analyze = (file: string, ...extra: string[]) => runCli(tmp, '--pcap', file, '--format', 'jsonl', '--no-db', '-q', ...extra);

describe('adversarial captures through the CLI', () => {
  it('SYN flood past LIMITS.maxFlows: the oldest flows are finished early, marked flow_table_limit_reached', () => {
    const file = join(tmp, 'syn-flood.pcap');
    // The slowest test here: the table cannot overflow with fewer than maxFlows + 1 flows and the
    // CLI cannot lower the cap. Only the 2,000 oldest flows go to port 8443 and are reported
    // (--ports 8443), so no maxFlows session records are built; 1,000 of them are evicted first.
    const flows = LIMITS.maxFlows + 1000;
    const written = writeSynFlood(file, { flows, firstFlowsToPort: { count: 2000, port: 8443 } });
    expect(written.packets).toBe(flows);
    const r = runCli(tmp, '--pcap', file, '--format', 'json', '--ports', '8443', '--no-db', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { stats: { flowsSeen: number; flowsEvicted: number }; sessions: SessionRecord[] };
    expect(doc.stats.flowsSeen).toBe(flows);
    // One eviction per flow beyond the cap.
    expect(doc.stats.flowsEvicted).toBe(1000);
    const flood = doc.sessions.filter((s) => s.server_ip === SERVER_IP && s.server_port === 8443);
    expect(flood).toHaveLength(2000);
    expect(flood.every((s) => s.protocol === 'none' && s.packets === 1)).toBe(true);
    // All flows are equally recent, so the oldest go first: the first 1,000.
    expect(flood.slice(0, 1000).every((s) => s.anomalies.includes('flow_table_limit_reached'))).toBe(true);
    expect(flood.slice(1000).some((s) => s.anomalies.includes('flow_table_limit_reached'))).toBe(false);
  }, 30_000);

  it('a ClientHello claiming 16 MiB (0xFFFFFF) is given up at LIMITS.maxHandshakeMessageBytes: handshake_message_limit_reached', () => {
    const file = join(tmp, 'huge-hello.pcap');
    const written = writeHugeClientHello(file, { bytes: 1024 * 1024 });
    const [s, ...rest] = sessionsOf(analyze(file));
    expect(rest).toEqual([]);
    expect(s!.protocol).toBe('tls');
    expect(s!.anomalies).toEqual(['handshake_message_limit_reached']);
    // The hello was never parsed (it never ended), but every packet was still counted.
    expect(s!.tls?.sni ?? null).toBeNull();
    expect(s!.tls?.ja3 ?? null).toBeNull();
    expect(s!.packets).toBe(written.packets);
  });

  it('endless out-of-order segments after a hole: tcp_out_of_order_limit_reached, then a gap', () => {
    const file = join(tmp, 'out-of-order.pcap');
    const written = writeEndlessOutOfOrder(file, { segments: 5000, segmentBytes: 100 });
    const [s, ...rest] = sessionsOf(analyze(file));
    expect(rest).toEqual([]);
    expect(s!.anomalies).toEqual(['tcp_gap', 'tcp_out_of_order_limit_reached']);
    expect(s!.packets).toBe(written.packets);
    expect(s!.bytes_client).toBe(5000 * 100);
  });

  it('20 certificates in one chain: 16 kept (LIMITS.maxCertificatesPerChain) and certificates_limit_reached on the session', () => {
    // Regression: the TCP TLS analyzer dropped the Certificate message's own anomalies.
    const file = join(tmp, 'twenty-certs.pcap');
    writeManyCertificates(file, { certificates: 20 });
    const [s, ...rest] = sessionsOf(analyze(file));
    expect(rest).toEqual([]);
    expect(s!.tls?.certificates).toHaveLength(16);
    expect(s!.anomalies).toEqual(['certificates_limit_reached']);
    expect(s!.history).toBe('Hscd');
  });

  it('100,000 certificates in one message (10 MB): handshake_message_limit_reached, no certificate kept; distinct-certificate sessions stay whole', () => {
    const file = join(tmp, 'many-certs.pcap');
    writeManyCertificates(file, { certificates: 100_000, sessions: 50 });
    const sessions = sessionsOf(analyze(file));
    expect(sessions).toHaveLength(51);
    const [flood, ...others] = sessions;
    expect(flood!.client_port).toBe(40000);
    expect(flood!.anomalies).toEqual(['handshake_message_limit_reached']);
    expect(flood!.tls?.certificates).toEqual([]);
    expect(others.every((s) => s.anomalies.length === 0 && s.tls?.certificates.length === 1)).toBe(true);
    expect(new Set(others.map((s) => s.tls!.certificates[0]!.sha256)).size).toBe(50);
    expect(others.map((s) => s.tls!.certificates[0]!.subject)).toContain('CN=host49.adversarial.example');
  });

  it('SEQUENCEs nested 10,000 deep: in an unknown extension the certificate still parses; as the whole DER it is certificate_parse_error', () => {
    const file = join(tmp, 'deep-asn1.pcap');
    writeDeepAsn1(file, { depth: 10_000 });
    const sessions = sessionsOf(analyze(file));
    expect(sessions.map((s) => s.client_port)).toEqual([40001, 40002]);
    const [inExtension, whole] = sessions;
    expect(inExtension!.anomalies).toEqual([]);
    expect(inExtension!.tls?.certificates[0]?.subject).toBe('CN=adversarial.example');
    expect(whole!.anomalies).toEqual(['certificate_parse_error']);
    expect(whole!.tls?.certificates).toHaveLength(1);
    expect(whole!.tls?.certificates[0]?.subject).toBeNull();
  });

  it('a gzip bomb of one repeated packet (64 MiB decompressed from 0.3 MB): read to the end, every packet counted on one session', () => {
    const file = join(tmp, 'bomb.pcap.gz');
    const written = writeGzipBomb(file, { decompressedBytes: 64 * 1024 * 1024 });
    // A bomb: over 100 times smaller than what it unpacks to.
    expect(written.bytes).toBeLessThan(written.decompressedBytes / 100);
    const [s, ...rest] = sessionsOf(analyze(file));
    expect(rest).toEqual([]);
    expect(s!.packets).toBe(written.packets);
    expect(s!.protocol).toBe('none');
    expect(s!.anomalies).toEqual([]);
  });
});
