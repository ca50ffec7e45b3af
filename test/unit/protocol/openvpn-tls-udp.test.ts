/**
 * OpenVpnTlsExtractor.datagram(): OpenVPN over UDP, one whole control packet per datagram (no
 * 16-bit length): opcode/key_id, session_id, optional --tls-auth block (HMAC, replay packet-id,
 * net_time), ack array (+ remote session_id), message packet-id, TLS bytes. The same packet reader
 * as the TCP mode; here loss, reordering and retransmission are the normal case.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import type { SessionRecord } from '../../../src/model/session.js';
import { analyzeCapture } from '../../../src/pipeline/analyze.js';
import { OpenVpnTlsExtractor } from '../../../src/protocol/openvpn-tls.js';
import { cat, fill, hex } from './bytes.js';
import { ACK_V1, CLIENT_SID, CONTROL_V1, DATA_V2, HARD_RESET_CLIENT_V2, HARD_RESET_SERVER_V2, SERVER_SID, TLS_A, TLS_B, TLS_C, control } from './openvpn-packets.js';

const h = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Feeds each datagram to a new extractor; returns what came out (hex) and the extractor. */
function run(...datagrams: Uint8Array[]): { tls: string[]; x: OpenVpnTlsExtractor } {
  const tls: string[] = [];
  const x = new OpenVpnTlsExtractor((b) => tls.push(h(b)));
  for (const d of datagrams) x.datagram(d);
  return { tls, x };
}

/** A client's side: hard reset, an ack of the server's reset, three P_CONTROL_V1 with TLS. */
function clientDatagrams(hmac: number): Uint8Array[] {
  return [
    control(HARD_RESET_CLIENT_V2, { hmac, replayId: 1 }),
    control(ACK_V1, { hmac, replayId: 2, acks: [0], id: null }),
    control(CONTROL_V1, { hmac, replayId: 3, id: 1, payload: TLS_A }),
    control(CONTROL_V1, { hmac, replayId: 4, acks: [1, 2], id: 2, payload: TLS_B }),
    control(CONTROL_V1, { hmac, replayId: 5, id: 3, payload: TLS_C }),
  ];
}

describe('OpenVpnTlsExtractor.datagram (OpenVPN over UDP)', () => {
  it('no --tls-auth: TLS bytes of P_CONTROL_V1 in order, resets and acks skipped', () => {
    const { tls, x } = run(...clientDatagrams(0));
    expect(tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(x.anomalies).toEqual([]);
    expect(x.stopped).toBe(false);
  });

  it.each([16, 20, 32, 48, 64])('--tls-auth with a %i-byte HMAC: the wrap size is inferred from the hard reset', (hmac) => {
    const { tls, x } = run(...clientDatagrams(hmac));
    expect(tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(x.anomalies).toEqual([]);
  });

  it("the server's side: its hard reset and P_CONTROL_V1 packets carry acks of the client's", () => {
    const { tls, x } = run(
      control(HARD_RESET_SERVER_V2, { sid: SERVER_SID, hmac: 20, acks: [0], remote: CLIENT_SID, id: 0 }),
      control(ACK_V1, { sid: SERVER_SID, hmac: 20, replayId: 2, acks: [1, 2, 3], remote: CLIENT_SID, id: null }),
      control(CONTROL_V1, { sid: SERVER_SID, hmac: 20, replayId: 3, acks: [4], remote: CLIENT_SID, id: 1, payload: TLS_A }),
      control(CONTROL_V1, { sid: SERVER_SID, hmac: 20, replayId: 4, id: 2, payload: TLS_B }),
    );
    expect(tls).toEqual([h(TLS_A), h(TLS_B)]);
    expect(x.anomalies).toEqual([]);
  });

  it('retransmitted datagrams are handed on once', () => {
    const [reset, ack, a, b, c] = clientDatagrams(20);
    const { tls, x } = run(reset!, reset!, ack!, a!, a!, b!, a!, b!, c!, c!);
    expect(tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(x.anomalies).toEqual([]);
  });

  it('reordered datagrams (a lost one retransmitted later) come out in message packet-id order', () => {
    const [reset, , a, b, c] = clientDatagrams(0);
    expect(run(reset!, c!, b!, a!).tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    // b lost, then retransmitted after c.
    expect(run(reset!, a!, c!, b!).tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
  });

  it('a held datagram is a copy: the buffer may be reused', () => {
    const out: string[] = [];
    const x = new OpenVpnTlsExtractor((b) => out.push(h(b)));
    x.datagram(control(HARD_RESET_CLIENT_V2));
    const held = control(CONTROL_V1, { id: 2, payload: TLS_B });
    x.datagram(held);
    held.fill(0);
    x.datagram(control(CONTROL_V1, { id: 1, payload: TLS_A }));
    expect(out).toEqual([h(TLS_A), h(TLS_B)]);
  });

  it('too far ahead: dropped with a name, the extractor goes on', () => {
    const far = control(CONTROL_V1, { id: 2 + LIMITS.maxOpenVpnHeldPackets, payload: TLS_C });
    const { tls, x } = run(control(HARD_RESET_CLIENT_V2), far, control(CONTROL_V1, { id: 1, payload: TLS_A }));
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.anomalies).toEqual(['openvpn_reorder_limit_reached']);
    expect(x.stopped).toBe(false);
  });

  it('a data datagram ends the work of this direction; nothing after it is read', () => {
    const data = cat(Uint8Array.of(DATA_V2 << 3), fill(60, 0x99));
    const [reset, , a] = clientDatagrams(0);
    const { tls, x } = run(reset!, a!, data, control(CONTROL_V1, { id: 2, payload: TLS_B }));
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.stopped).toBe(true);
    expect(x.anomalies).toEqual([]);
  });

  it('--tls-crypt hard reset: nothing is read', () => {
    const wrapped = cat(Uint8Array.of(HARD_RESET_CLIENT_V2 << 3), CLIENT_SID, hex('00000001 65000000'), fill(32, 0x3c), hex('9d41e2077b'));
    const { tls, x } = run(wrapped, cat(Uint8Array.of(CONTROL_V1 << 3), fill(80, 0x77)));
    expect(tls).toEqual([]);
    expect(x.anomalies).toEqual(['openvpn_tls_crypt']);
    expect(x.stopped).toBe(true);
  });

  it('unknown opcode and empty datagram stop with a name; a short control datagram is skipped', () => {
    expect(run(cat(Uint8Array.of(31 << 3), fill(20))).x.anomalies).toEqual(['openvpn_unknown_opcode']);
    expect(run(new Uint8Array(0)).x.anomalies).toEqual(['openvpn_malformed']);
    const short = cat(Uint8Array.of(CONTROL_V1 << 3), CLIENT_SID, fill(10));
    const { tls, x } = run(control(HARD_RESET_CLIENT_V2, { hmac: 20 }), short, control(CONTROL_V1, { hmac: 20, replayId: 3, id: 1, payload: TLS_A }));
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.anomalies).toEqual(['openvpn_malformed_packet']);
  });

  it('gives the same TLS bytes as the TCP mode on the same packets', () => {
    const packets = clientDatagrams(32);
    const framed = cat(...packets.map((p) => cat(Uint8Array.of(p.length >> 8, p.length & 0xff), p)));
    const tcp: string[] = [];
    new OpenVpnTlsExtractor((b) => tcp.push(h(b))).push(framed);
    expect(run(...packets).tls).toEqual(tcp);
  });
});

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');
const present = existsSync(join(CORPUS, 'expected.json'));

async function udpSessions(file: string): Promise<Map<string, SessionRecord>> {
  const { sessions } = await analyzeCapture(join(CORPUS, file), { ports: new Set([443]), allPorts: false });
  return new Map(sessions.filter((s) => s.transport === 'udp').map((s) => [`${s.client_ip}:${s.client_port}`, s]));
}

describe.skipIf(!present)(`TLS inside OpenVPN over UDP (${CORPUS}; skipped when absent)`, () => {
  it('arkime/openvpn_synthetic.pcap: IPv4 and IPv6; JA4 keeps "t" (Arkime prints "q")', async () => {
    const s = await udpSessions('pcaps/arkime/openvpn_synthetic.pcap');
    for (const client of ['203.0.113.5:51000', '2001:db8:1::5:51001']) {
      const r = s.get(client)!;
      expect(r.protocol).toBe('openvpn');
      expect(r.anomalies).toContain('tls_inside_openvpn');
      expect(r.tls?.sni).toBe('arkime.test');
      expect(r.tls?.ja3_string).toBe('771,47-49199-156,0-43,,');
      expect(r.tls?.ja3s_string).toBe('771,47,');
      expect(r.tls?.ja4_r).toBe('t12d030200_002f,009c,c02f_002b');
      expect(r.tls?.certificates[0]?.sha1).toBe('6c2b1a384e18845add8a5e88e52b396176b650c2');
    }
  });

  it('ndpi/openvpn.pcap: the flow to port 1194', async () => {
    const r = (await udpSessions('pcaps/ndpi/openvpn.pcap')).get('3.111.166.78:51146')!;
    expect(r.protocol).toBe('openvpn');
    expect(r.tls?.ja3).toBe('c0a24f59cdefaddbf62109a0ea8e9079');
    expect(r.tls?.ja3s).toBe('9675432e5de9910d686de62559466365');
    expect(r.tls?.established).toBe(true);
  });
});
