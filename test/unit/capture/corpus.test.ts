/**
 * Every capture of the shared peer corpus (../shared/corpus, read in place, never copied) parses
 * without a problem, with the packet count and Decryption Secrets Block count that tshark
 * 4.0.17 found (expected.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureProblem } from '../../../src/capture/packet.js';
import { readCapture } from '../../../src/capture/source.js';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
const EXPECTED = join(CORPUS, 'expected.json');

interface Entry {
  file: string;
  capture: { format: string; packets: number; decryption_secrets_blocks: number };
}

describe.skipIf(!existsSync(EXPECTED))(`corpus captures (${CORPUS}; skipped when absent)`, () => {
  const entries = existsSync(EXPECTED) ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as Entry[]) : [];

  it('lists the whole corpus', () => {
    expect(entries.length).toBeGreaterThanOrEqual(359);
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', async (_name, e) => {
    let packets = 0;
    const seen: CaptureProblem[] = [];
    const s = await readCapture(join(CORPUS, e.file), () => packets++, { onProblem: (p) => seen.push(p) });
    // None of these files is damaged: no problem at all, fatal or not.
    expect(s.problems).toEqual([]);
    expect(seen).toEqual([]);
    expect(s.packets).toBe(e.capture.packets);
    expect(packets).toBe(e.capture.packets);
    expect(s.secretsBlocks).toBe(e.capture.decryption_secrets_blocks);
    expect(s.format).toBe(e.capture.format.startsWith('pcapng') ? 'pcapng' : 'pcap');
    expect(s.compressed).toBe(e.capture.format.includes('gzip'));
    expect(s.linkTypes.length).toBeGreaterThan(0);
  });

  it('hands out the TLS key log of a Decryption Secrets Block', async () => {
    const secrets: [number, string][] = [];
    await readCapture(join(CORPUS, 'pcaps/ja4/chrome-cloudflare-quic-with-secrets.pcapng'), () => {}, {
      onSecrets: (type, data) => secrets.push([type, new TextDecoder('latin1').decode(data)]),
    });
    expect(secrets).toHaveLength(1);
    expect(secrets[0]![0]).toBe(0x544c534b); // 'TLSK'
    expect(secrets[0]![1]).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}\n/);
    expect(secrets[0]![1]).toHaveLength(1556);
  });
});
