/**
 * Golden captures: the project's own fixtures (real clients on loopback, scripts/make-fixtures.sh)
 * against the values tshark computed independently (fixtures/*.expected.json, made by
 * scripts/fixture-expected.mjs), plus a file snapshot of the full JSON Lines output
 * (`vitest -u` updates it after a deliberate change of the record).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import type { SessionRecord } from '../../src/model/session.js';
import { cipherName } from '../../src/tls/registry/cipher-suites.js';

const fixtures = join(import.meta.dirname, '../../fixtures');

interface ExpectedTls {
  sni: string | null;
  alpn: string[];
  ciphers_offered: number;
  ja3: string;
  ja3_full: string;
  ja3s: string | null;
  ja3s_full: string | null;
  hello_retry: boolean;
  version: string | null;
  cipher: number | null;
  alpn_selected: string | null;
  resumed: boolean | null;
  alert: { name: string } | null;
  leaf_cert_sha1: string | null;
}
interface ExpectedConnection {
  label: { client: string };
  client_ip: string;
  client_port: number;
  server_ip: string;
  server_port: number;
  packets: number;
  payload_bytes_client: number;
  payload_bytes_server: number;
  tls: ExpectedTls | null;
}

async function sessionsOf(file: string): Promise<SessionRecord[]> {
  return (await analyzeCapture(join(fixtures, file), { ports: new Set([443]), allPorts: false })).sessions;
}

function expectedOf(file: string): ExpectedConnection[] {
  return (JSON.parse(readFileSync(join(fixtures, `${file}.expected.json`), 'utf8')) as { connections: ExpectedConnection[] }).connections;
}

describe('fixtures/loopback-clients.pcap against tshark', async () => {
  const sessions = await sessionsOf('loopback-clients.pcap');
  const expected = expectedOf('loopback-clients.pcap');

  it('reports every connection, client and server the right way round', () => {
    expect(sessions.map((s) => `${s.client_ip}:${s.client_port}>${s.server_ip}:${s.server_port}`)).toEqual(
      expected.map((c) => `${c.client_ip}:${c.client_port}>${c.server_ip}:${c.server_port}`),
    );
  });

  for (const [i, c] of expected.entries()) {
    it(`${i}: ${c.label.client}`, () => {
      const s = sessions[i]!;
      expect(s.packets).toBe(c.packets);
      expect([s.bytes_client, s.bytes_server]).toEqual([c.payload_bytes_client, c.payload_bytes_server]);
      if (c.tls === null) {
        expect(s.tls).toBeNull();
        return;
      }
      const t = s.tls!;
      const e = c.tls;
      expect(t.sni).toBe(e.sni);
      expect(t.alpn).toEqual(e.alpn);
      expect(t.ciphers_offered).toBe(e.ciphers_offered);
      expect([t.ja3, t.ja3_string]).toEqual([e.ja3, e.ja3_full]);
      expect([t.ja3s, t.ja3s_string]).toEqual([e.ja3s, e.ja3s_full]);
      expect(t.hello_retry).toBe(e.hello_retry);
      expect(t.version).toBe(e.version);
      expect(t.cipher).toBe(e.cipher === null ? null : cipherName(e.cipher));
      expect(t.alert).toBe(e.alert?.name ?? null);
      if (e.resumed !== null) expect(t.resumed).toBe(e.resumed);
      // In clear only up to TLS 1.2 (TLS 1.3 sends ALPN and certificates encrypted).
      if (e.version !== 'TLS 1.3') expect(t.alpn_selected).toBe(e.alpn_selected);
      expect(t.certificates[0]?.sha1 ?? null).toBe(e.leaf_cert_sha1);
    });
  }

  it('matches the golden JSON Lines output', async () => {
    await expect(sessions.map((s) => JSON.stringify(s)).join('\n') + '\n').toMatchFileSnapshot('loopback-clients.sessions.jsonl');
  });
});

describe('the same packets in every capture format give the same sessions', async () => {
  const reference = await sessionsOf('loopback-clients.pcap');
  for (const file of ['loopback-clients.pcapng', 'loopback-clients.nsec.pcap', 'loopback-clients.pcap.gz']) {
    it(file, async () => {
      expect(await sessionsOf(file)).toEqual(reference);
    });
  }
  it('loopback-clients-sll2.pcap (a second capture of the same run, on -i any): same handshakes', async () => {
    const sll2 = await sessionsOf('loopback-clients-sll2.pcap');
    const handshake = (s: SessionRecord) => [s.client_port, s.server_port, s.protocol, s.tls?.sni, s.tls?.ja3, s.tls?.ja3s, s.tls?.ja4];
    expect(sll2.map(handshake)).toEqual(reference.map(handshake));
  });
});
