/**
 * TLS inside OpenVPN over TCP, on the peer corpus (../shared/corpus, read in place; skipped when
 * absent). Expected values: Arkime's baseline and tshark 4.0.17 (expected.json) for the Arkime
 * capture and for the nDPI flow to port 1194; for the nDPI flows on port 443, which expected.json
 * does not list, tshark 4.0.17 with `-d tcp.port==443,openvpn` (JA3 and leaf certificate).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../src/model/session.js';
import { analyzeCapture } from '../../../src/pipeline/analyze.js';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
const present = existsSync(join(CORPUS, 'expected.json'));

async function tcpSessions(file: string): Promise<Map<string, SessionRecord>> {
  const { sessions } = await analyzeCapture(join(CORPUS, file), { ports: new Set([443]), allPorts: false });
  return new Map(sessions.filter((s) => s.transport === 'tcp').map((s) => [`${s.client_ip}:${s.client_port}`, s]));
}

describe.skipIf(!present)(`TLS inside OpenVPN over TCP (${CORPUS}; skipped when absent)`, () => {
  it('arkime/openvpn_synthetic.pcap: --tls-auth (SHA-256 and SHA-512 HMACs), IPv4 and IPv6', async () => {
    const s = await tcpSessions('pcaps/arkime/openvpn_synthetic.pcap');
    for (const client of ['203.0.113.7:51002', '2001:db8:1::7:51003']) {
      const r = s.get(client)!;
      expect(r.protocol).toBe('openvpn');
      expect(r.anomalies).toContain('tls_inside_openvpn');
      expect(r.tls?.version).toBe('TLS 1.2');
      expect(r.tls?.ja3_string).toBe('771,47-49199-156,0-43,,');
      expect(r.tls?.ja3).toBe('feb53fe05f3e7852942a6e3cb98e8b45');
      expect(r.tls?.ja3s_string).toBe('771,47,');
      expect(r.tls?.ja4_r).toBe('t12d030200_002f,009c,c02f_002b');
      expect(r.tls?.sni).toBe('arkime.test');
      expect(r.tls?.certificates[0]?.sha1).toBe('6c2b1a384e18845add8a5e88e52b396176b650c2');
      expect(r.tls?.certificates[0]?.serial).toBe('eafe13b1b1f8cf87');
    }
  });

  it('ndpi/openvpn.pcap: no tls-auth (port 1194), tls-auth SHA-1 (port 443), tls-crypt (port 443)', async () => {
    const s = await tcpSessions('pcaps/ndpi/openvpn.pcap');
    const plain = s.get('10.181.235.122:39772')!;
    expect(plain.protocol).toBe('openvpn');
    expect(plain.tls?.version).toBe('TLS 1.0');
    expect(plain.tls?.ja3).toBe('f0d20361ae57a5c81d94ac774a736a52');
    expect(plain.tls?.ja3s).toBe('7a2f70a16da750662fc0291d88ebddf8');
    expect(plain.tls?.certificates[0]?.sha1).toBe('c10c77ff8316d78bbf808df0883e259ef272c9ac');
    expect(plain.tls?.certificates[0]?.serial).toBe('01');
    expect(plain.tls?.established).toBe(true);

    const tlsAuth = s.get('192.168.1.77:60140')!;
    expect(tlsAuth.protocol).toBe('openvpn');
    expect(tlsAuth.tls?.ja3).toBe('a0813e7a9441e927000427452ad684ce');
    expect(tlsAuth.tls?.certificates[0]?.sha1).toBe('e407e74c88e786602d7a3a667b3f00ef1f360aae');
    expect(tlsAuth.anomalies).toContain('tls_inside_openvpn');

    const tlsCrypt = s.get('127.0.0.1:36138')!;
    expect(tlsCrypt.protocol).toBe('openvpn');
    expect(tlsCrypt.tls).toBeNull();
    expect(tlsCrypt.anomalies).toEqual(['openvpn_tls_crypt']);
  });
});
