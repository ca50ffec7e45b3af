/**
 * End to end through the pipeline and the commands, on captures written by hand: a DNS answer
 * example.test -> 10.0.0.2, then TLS to 10.0.0.3 with SNI example.test (both DNS rules fire);
 * `analyze learn` then `analyze --pcap` on the same capture (no baseline findings) and on another
 * (baseline findings). Temp dirs only.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { SessionRecord } from '../../../src/model/session.js';
import { analyzeCapture } from '../../../src/pipeline/analyze.js';
import { runAnalyze, type AnalyzeArgs } from '../../../src/cli/analyze-command.js';
import { runLearn, type LearnArgs } from '../../../src/cli/learn-command.js';
import { readBaseline } from '../../../src/baseline/baseline-store.js';
import { aResponse, pcapFile, tlsConnection, udpPacket } from './dns-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'analyze-dns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_780_000_000;

function write(file: string, packets: { sec: number; data: number[] }[]): string {
  const path = join(dir, file);
  writeFileSync(path, pcapFile(packets));
  return path;
}

const mismatch = write('mismatch.pcap', [
  { sec: T0, data: udpPacket('10.0.0.53', 53, '10.0.0.1', 5555, aResponse('example.test', ['10.0.0.2'])) },
  ...tlsConnection(T0 + 1, '10.0.0.1', 40000, '10.0.0.3', 'example.test'),
]);
const resolved = write('resolved.pcap', [
  { sec: T0, data: udpPacket('10.0.0.53', 53, '10.0.0.1', 5555, aResponse('example.test', ['10.0.0.2'])) },
  ...tlsConnection(T0 + 1, '10.0.0.1', 40000, '10.0.0.2', 'example.test'),
]);
const other = write('other.pcap', [
  { sec: T0, data: udpPacket('10.0.0.53', 53, '10.0.0.1', 5555, aResponse('other.test', ['10.0.0.4'])) },
  ...tlsConnection(T0 + 1, '10.0.0.1', 40001, '10.0.0.4', 'other.test', [0xc02b, 0xc02c, 0x009c]),
]);

const opts = { ports: new Set([443]), allPorts: false };
const rules = (s: SessionRecord): string[] => s.findings.map((f) => f.rule);

describe('DNS correlation through the pipeline', () => {
  it('flags an SNI resolved elsewhere and an IP no answer gave', async () => {
    const r = await analyzeCapture(mismatch, opts);
    expect(r.dns.answerCount).toBe(1);
    expect(r.sessions).toHaveLength(1);
    const s = r.sessions[0]!;
    expect(s.server_ip).toBe('10.0.0.3');
    expect(s.tls?.sni).toBe('example.test');
    expect(rules(s)).toContain('dns.sni-ip-mismatch');
    expect(rules(s)).toContain('dns.unresolved-destination');
    const f = s.findings.find((x) => x.rule === 'dns.sni-ip-mismatch')!;
    expect(f.evidence).toMatchObject({ sni: 'example.test', server_ip: '10.0.0.3', dns_addresses: ['10.0.0.2'] });
  });

  it('flags neither when the answer gave the server IP', async () => {
    const r = await analyzeCapture(resolved, opts);
    expect(r.sessions).toHaveLength(1);
    expect(rules(r.sessions[0]!).filter((x) => x.startsWith('dns.'))).toEqual([]);
  });
});

describe('analyze learn, then analyze --pcap', () => {
  const db = join(dir, 'site.db');
  const sink = (): { out: Writable; text: () => string } => {
    let text = '';
    return { out: new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } }), text: () => text };
  };
  async function analyze(pcap: string): Promise<SessionRecord[]> {
    const output = join(dir, 'out.jsonl');
    const args = { pcap: [pcap], db, format: 'jsonl', output, ports: '443', 'all-ports': false, 'keep-runs': false, quiet: true, jobs: 1 } as unknown as AnalyzeArgs;
    expect(await runAnalyze(args)).toBe(0);
    return readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SessionRecord);
  }
  const baselineRules = (ss: SessionRecord[]): string[] => ss.flatMap(rules).filter((r) => r.startsWith('baseline.')).sort();

  it('records the baseline, then finds nothing new in the same capture and something new in another', async () => {
    const { out, text } = sink();
    const args = { pcap: resolved, db, ports: '443', 'all-ports': false, quiet: true } as unknown as LearnArgs;
    expect(await runLearn(args, out)).toBe(0);
    expect(text()).toMatch(/Learned from .*resolved\.pcap: 1 sessions; 1 JA3, 1 JA4, 1 server IPs, 1 SNIs, 0 certificates \(4 new\)/);
    const kinds = readBaseline(db).map((e) => `${e.kind}=${e.value}`);
    expect(kinds).toContain('sni=example.test');
    expect(kinds).toContain('server_ip=10.0.0.2');
    // Learning the same capture again adds counts, no entries.
    expect(await runLearn(args, sink().out)).toBe(0);
    expect(readBaseline(db).find((e) => e.kind === 'sni')?.count).toBe(2);

    expect(baselineRules(await analyze(resolved))).toEqual([]);
    expect(baselineRules(await analyze(other))).toEqual(['baseline.new-fingerprint', 'baseline.new-server']);
  });
});
