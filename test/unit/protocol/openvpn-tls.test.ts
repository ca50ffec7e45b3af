/**
 * OpenVpnTlsExtractor on hand-built OpenVPN-over-TCP streams: 2-byte length, opcode/key_id,
 * session_id, optional --tls-auth block (HMAC, replay packet-id, net_time), ack array (+ remote
 * session_id), message packet-id, TLS bytes.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { OpenVpnTlsExtractor } from '../../../src/protocol/openvpn-tls.js';
import { cat, fill, hex } from './bytes.js';
import { ACK_V1, CLIENT_SID, CONTROL_V1, DATA_V1, DATA_V2, HARD_RESET_CLIENT_V2, HARD_RESET_CLIENT_V3, HARD_RESET_SERVER_V2, SERVER_SID, TLS_A, TLS_B, TLS_C, control, framed } from './openvpn-packets.js';

/** Pushes `chunks` into a new extractor; returns what came out (hex) and the extractor. */
function run(...chunks: Uint8Array[]): { tls: string[]; x: OpenVpnTlsExtractor } {
  const tls: string[] = [];
  const x = new OpenVpnTlsExtractor((b) => tls.push(Buffer.from(b).toString('hex')));
  for (const c of chunks) x.push(c);
  return { tls, x };
}

const h = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A client's side: hard reset, an ack of the server's reset, two P_CONTROL_V1 with TLS, one more after an ack. */
function clientStream(hmac: number): Uint8Array {
  return framed(
    control(HARD_RESET_CLIENT_V2, { hmac, replayId: 1 }),
    control(ACK_V1, { hmac, replayId: 2, acks: [0], id: null }),
    control(CONTROL_V1, { hmac, replayId: 3, id: 1, payload: TLS_A }),
    control(CONTROL_V1, { hmac, replayId: 4, acks: [1, 2], id: 2, payload: TLS_B }),
    control(CONTROL_V1, { hmac, replayId: 5, id: 3, payload: TLS_C }),
  );
}

describe('OpenVpnTlsExtractor', () => {
  it('no --tls-auth: TLS bytes of P_CONTROL_V1 in order, resets and acks skipped', () => {
    const { tls, x } = run(clientStream(0));
    expect(tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(x.anomalies).toEqual([]);
    expect(x.stopped).toBe(false);
  });

  it.each([16, 20, 32, 48, 64])('--tls-auth with a %i-byte HMAC: the wrap size is inferred from the hard reset', (hmac) => {
    const { tls, x } = run(clientStream(hmac));
    expect(tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(x.anomalies).toEqual([]);
  });

  it("the server's side: its hard reset acks the client's and names the client's session", () => {
    const stream = framed(
      control(HARD_RESET_SERVER_V2, { sid: SERVER_SID, hmac: 20, acks: [0], remote: CLIENT_SID, id: 0 }),
      control(CONTROL_V1, { sid: SERVER_SID, hmac: 20, replayId: 2, acks: [1], remote: CLIENT_SID, id: 1, payload: TLS_A }),
      control(CONTROL_V1, { sid: SERVER_SID, hmac: 20, replayId: 3, id: 2, payload: TLS_B }),
    );
    expect(run(stream).tls).toEqual([h(TLS_A), h(TLS_B)]);
  });

  it('a first packet that two wrap sizes would parse (an HMAC byte reading as an ack count): fewer acks wins', () => {
    // MD5 --tls-auth: 1 + 8 + (16 + 8) + 1 + 4 = 38 bytes, as long as no tls-auth with 4 acks.
    const reset = control(HARD_RESET_CLIENT_V2, { hmac: 16 });
    reset[9] = 4; // first HMAC byte
    expect(reset.length).toBe(38);
    const { tls, x } = run(framed(reset, control(CONTROL_V1, { hmac: 16, replayId: 2, id: 1, payload: TLS_A })));
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.anomalies).toEqual([]);
  });

  it('packets split across pushes, at every byte, give the same TLS bytes', () => {
    for (const hmac of [0, 20]) {
      const stream = clientStream(hmac);
      const whole = run(stream).tls.join('');
      for (let cut = 0; cut <= stream.length; cut++) {
        expect(run(stream.subarray(0, cut), stream.subarray(cut)).tls.join('')).toBe(whole);
      }
      // One byte at a time: every length, opcode and body straddles.
      const bytes = [...stream].map((b) => Uint8Array.of(b));
      expect(run(...bytes).tls.join('')).toBe(whole);
    }
  });

  it('retransmissions are handed on once; a packet ahead of a missing id waits for it', () => {
    const reset = control(HARD_RESET_CLIENT_V2);
    const a = control(CONTROL_V1, { id: 1, payload: TLS_A });
    const b = control(CONTROL_V1, { id: 2, payload: TLS_B });
    const c = control(CONTROL_V1, { id: 3, payload: TLS_C });
    expect(run(framed(reset, a, reset, a, b, a, b, c)).tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
    expect(run(framed(reset, c, b, c, a)).tls).toEqual([h(TLS_A), h(TLS_B), h(TLS_C)]);
  });

  it('a held packet is a copy: the pushed buffer may be reused', () => {
    const out: string[] = [];
    const y = new OpenVpnTlsExtractor((b) => out.push(h(b)));
    const chunk = framed(control(HARD_RESET_CLIENT_V2), control(CONTROL_V1, { id: 2, payload: TLS_B }));
    y.push(chunk);
    chunk.fill(0);
    y.push(framed(control(CONTROL_V1, { id: 1, payload: TLS_A })));
    expect(out).toEqual([h(TLS_A), h(TLS_B)]);
  });

  it('packets of another key_id (a renegotiation) are not followed', () => {
    const stream = framed(
      control(HARD_RESET_CLIENT_V2),
      control(CONTROL_V1, { id: 1, payload: TLS_A }),
      control(CONTROL_V1, { key: 1, id: 0, payload: TLS_C }),
      control(CONTROL_V1, { id: 2, payload: TLS_B }),
    );
    expect(run(stream).tls).toEqual([h(TLS_A), h(TLS_B)]);
  });

  it('a direction that starts without its hard reset: the layout is inferred from a P_CONTROL_V1 that opens a TLS record', () => {
    const stream = framed(
      control(CONTROL_V1, { hmac: 32, replayId: 7, id: 5, payload: TLS_B }), // mid-record: cannot tell the layout
      control(CONTROL_V1, { hmac: 32, replayId: 8, id: 6, payload: TLS_A }),
      control(CONTROL_V1, { hmac: 32, replayId: 9, id: 7, payload: TLS_B }),
    );
    const { tls, x } = run(stream);
    expect(tls).toEqual([h(TLS_A), h(TLS_B)]);
    expect(x.anomalies).toEqual([]);
    // Or from a P_ACK_V1 (acks, remote session_id, nothing after).
    const afterAck = run(framed(control(ACK_V1, { hmac: 32, acks: [3], id: null }), control(CONTROL_V1, { hmac: 32, replayId: 8, id: 6, payload: TLS_B })));
    expect(afterAck.tls).toEqual([h(TLS_B)]);
  });

  it('--tls-crypt: a hard reset that no plain or --tls-auth layout fits is encrypted; nothing is read', () => {
    // session_id, replay packet-id 1 and time, 32-byte tag, then 5 encrypted bytes.
    const wrapped = cat(Uint8Array.of(HARD_RESET_CLIENT_V2 << 3), CLIENT_SID, hex('00000001 65000000'), fill(32, 0x3c), hex('9d41e2077b'));
    const { tls, x } = run(framed(wrapped, cat(Uint8Array.of(CONTROL_V1 << 3), fill(80, 0x77))));
    expect(tls).toEqual([]);
    expect(x.anomalies).toEqual(['openvpn_tls_crypt']);
    expect(x.stopped).toBe(true);
  });

  it('tls-crypt-v2: P_CONTROL_HARD_RESET_CLIENT_V3', () => {
    const v3 = cat(Uint8Array.of(HARD_RESET_CLIENT_V3 << 3), CLIENT_SID, hex('0f000000 65000000'), fill(32), fill(300, 0x11));
    const { x } = run(framed(v3));
    expect(x.anomalies).toEqual(['openvpn_tls_crypt']);
    expect(x.stopped).toBe(true);
  });

  it('the first data packet ends the work of this direction (no anomaly); nothing after it is read', () => {
    for (const op of [DATA_V1, DATA_V2]) {
      const data = cat(Uint8Array.of((op << 3) | 0), fill(100, 0x99));
      const { tls, x } = run(framed(control(HARD_RESET_CLIENT_V2), control(CONTROL_V1, { id: 1, payload: TLS_A }), data, control(CONTROL_V1, { id: 2, payload: TLS_B })));
      expect(tls).toEqual([h(TLS_A)]);
      expect(x.stopped).toBe(true);
      expect(x.anomalies).toEqual([]);
    }
  });

  it('unknown opcode, empty packet, oversized control packet: stop with a name', () => {
    expect(run(framed(cat(Uint8Array.of(31 << 3), fill(20)))).x.anomalies).toEqual(['openvpn_unknown_opcode']);
    expect(run(hex('0000 38')).x.anomalies).toEqual(['openvpn_malformed']);
    const big = LIMITS.maxOpenVpnPacketBytes + 1;
    const { x } = run(framed(control(HARD_RESET_CLIENT_V2)), hex(big.toString(16).padStart(4, '0')), Uint8Array.of(CONTROL_V1 << 3));
    expect(x.anomalies).toEqual(['openvpn_packet_limit_reached']);
    expect(x.stopped).toBe(true);
  });

  it('a hard reset too short for any layout is malformed', () => {
    const { x } = run(framed(cat(Uint8Array.of(HARD_RESET_CLIENT_V2 << 3), CLIENT_SID, hex('00 0000'))));
    expect(x.anomalies).toEqual(['openvpn_malformed']);
    expect(x.stopped).toBe(true);
  });

  it('a control packet too short for the inferred layout is skipped; the next ones are read', () => {
    const short = cat(Uint8Array.of(CONTROL_V1 << 3), CLIENT_SID, fill(10));
    const { tls, x } = run(
      framed(control(HARD_RESET_CLIENT_V2, { hmac: 20 }), short, control(CONTROL_V1, { hmac: 20, replayId: 3, id: 1, payload: TLS_A })),
    );
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.anomalies).toEqual(['openvpn_malformed_packet']);
    expect(x.stopped).toBe(false);
  });

  it('packets too far ahead, or more than the cap held, are dropped with a name', () => {
    const far = control(CONTROL_V1, { id: 2 + LIMITS.maxOpenVpnHeldPackets, payload: TLS_C });
    const { tls, x } = run(framed(control(HARD_RESET_CLIENT_V2), far, control(CONTROL_V1, { id: 1, payload: TLS_A })));
    expect(tls).toEqual([h(TLS_A)]);
    expect(x.anomalies).toEqual(['openvpn_reorder_limit_reached']);
    expect(x.stopped).toBe(false);
  });

  it('gap(): packet boundaries are lost, the extractor stops', () => {
    const { x, tls } = run(framed(control(HARD_RESET_CLIENT_V2)));
    x.gap();
    x.push(framed(control(CONTROL_V1, { id: 1, payload: TLS_A })));
    expect(tls).toEqual([]);
    expect(x.stopped).toBe(true);
  });

  it('the owner may stop it from inside the callback', () => {
    const out: string[] = [];
    const x: OpenVpnTlsExtractor = new OpenVpnTlsExtractor((b) => {
      out.push(h(b));
      x.stopped = true;
    });
    x.push(clientStream(0));
    expect(out).toEqual([h(TLS_A)]);
  });
});
