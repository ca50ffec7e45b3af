/**
 * The corpus captures that embed their TLS secrets in a pcapng Decryption Secrets Block
 * (pcapng §4.7, type 0x544c534b "TLSK"): through the whole pipeline, the key log comes out of
 * the capture and opens the TLS 1.3 handshakes of their TCP and QUIC connections, whose server
 * certificates must be the ones tshark showed after decrypting with the same secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
const present = existsSync(join(corpus, 'expected.json'));

interface Entry {
  file: string;
  keylog?: string;
  connections?: { client: string; server: string; transport?: string; cert?: { sha1?: string } }[];
}

const endpoint = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

describe.skipIf(!present)('corpus captures with embedded TLS secrets', () => {
  it('show the TLS 1.3 server certificates of their TCP and QUIC connections', { timeout: 120_000 }, async () => {
    const entries = (JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Entry[]).filter((e) => e.keylog?.startsWith('embedded'));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const e of entries) {
      const { sessions } = await analyzeCapture(join(corpus, e.file), { ports: new Set([443]), allPorts: false });
      for (const c of e.connections ?? []) {
        const want = c.cert?.sha1;
        if (!want) continue;
        const s = sessions.find((x) => x.transport === (c.transport ?? 'tcp') && endpoint(x.client_ip, x.client_port) === c.client);
        expect(s?.tls?.certificates[0]?.sha1 ?? null, `${e.file} ${c.client}`).toBe(want);
        checked++;
      }
    }
    // chrome-cloudflare-quic-with-secrets (TCP and QUIC), ndpi quic-33 and quic-v2.
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
