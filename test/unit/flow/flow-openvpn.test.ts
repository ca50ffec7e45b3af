/**
 * Flow: a TCP flow whose client opens with an OpenVPN hard reset stays "openvpn", and the TLS of
 * its control channel fills the session's TLS fields (RFC 8448's ClientHello and ServerHello,
 * carried in P_CONTROL_V1 packets split across segments).
 */
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_SYN } from '../../../src/decode/decoded-packet.js';
import { Flow } from '../../../src/flow/flow.js';
import { concat, hex, record } from '../tls/helpers.js';
import { CH_1RTT, SH_1RTT } from '../tls/rfc8448.js';

const CLIENT_SID = hex('c1c2c3c4c5c6c7c8');
const SERVER_SID = hex('5152535455565758');
const be32 = (n: number): Uint8Array => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/** A framed control packet with a SHA-1 --tls-auth block (20-byte HMAC, replay packet-id, time). */
function packet(opcode: number, sid: Uint8Array, replayId: number, acks: number[], remote: Uint8Array, id: number, payload: Uint8Array): Uint8Array {
  const body = concat(
    Uint8Array.of(opcode << 3),
    sid,
    new Uint8Array(20).fill(0x5a),
    be32(replayId),
    be32(0x65000000),
    Uint8Array.of(acks.length),
    ...acks.map(be32),
    acks.length > 0 ? remote : new Uint8Array(0),
    be32(id),
    payload,
  );
  return concat(Uint8Array.of(body.length >> 8, body.length & 0xff), body);
}

describe('Flow: TLS inside OpenVPN over TCP', () => {
  it('keeps protocol "openvpn", parses both hellos, marks tls_inside_openvpn', () => {
    const flow = new Flow('tcp', '10.0.0.1', 50000, '10.0.0.2', 443, 0, 0, true, true);
    const client = concat(
      packet(7, CLIENT_SID, 1, [], SERVER_SID, 0, new Uint8Array(0)),
      packet(4, CLIENT_SID, 2, [0], SERVER_SID, 1, record(22, 0x0301, hex(CH_1RTT))),
    );
    const server = concat(
      packet(8, SERVER_SID, 1, [0], CLIENT_SID, 0, new Uint8Array(0)),
      packet(4, SERVER_SID, 2, [1], CLIENT_SID, 1, record(22, 0x0303, hex(SH_1RTT))),
    );
    flow.tcpSegment(0, 1000, TCP_SYN, new Uint8Array(0));
    flow.tcpSegment(1, 5000, TCP_SYN | TCP_ACK, new Uint8Array(0));
    // The client's stream in three segments: the ClientHello's packet straddles two of them.
    flow.tcpSegment(0, 1001, TCP_ACK, client.subarray(0, 30));
    flow.tcpSegment(0, 1031, TCP_ACK, client.subarray(30, 120));
    flow.tcpSegment(0, 1121, TCP_ACK, client.subarray(120));
    flow.tcpSegment(1, 5001, TCP_ACK, server);
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.tls?.clientHello?.sni).toBe('server');
    expect(flow.tls?.serverHello).not.toBeNull();
    expect([...flow.anomalies]).toContain('tls_inside_openvpn');
    expect(flow.tls?.anomalies.size).toBe(0);
  });

  it('tls-crypt: the session is OpenVPN without TLS, and says why', () => {
    const flow = new Flow('tcp', '10.0.0.1', 50000, '10.0.0.2', 443, 0, 0, true, true);
    // V2 hard reset under --tls-crypt: session_id, replay packet-id 1, time, 32-byte tag, 5 encrypted bytes.
    const reset = concat(Uint8Array.of(7 << 3), CLIENT_SID, be32(1), be32(0x65000000), new Uint8Array(32).fill(0x3c), hex('9d41e2077b'));
    flow.tcpSegment(0, 1000, TCP_SYN, new Uint8Array(0));
    flow.tcpSegment(0, 1001, TCP_ACK, concat(Uint8Array.of(0, reset.length), reset));
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.tls?.clientHello ?? null).toBeNull();
    expect([...flow.anomalies]).toEqual(['openvpn_tls_crypt']);
  });
});
