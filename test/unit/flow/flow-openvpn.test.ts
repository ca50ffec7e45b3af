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
import { CLIENT_SID, SERVER_SID, control, framed, u32 } from '../protocol/openvpn-packets.js';

/** A framed control packet with a SHA-1 --tls-auth block (20-byte HMAC, replay packet-id, time). */
function packet(opcode: number, sid: Uint8Array, replayId: number, acks: number[], remote: Uint8Array, id: number, payload: Uint8Array): Uint8Array {
  return framed(control(opcode, { sid, hmac: 20, replayId, acks, remote, id, payload }));
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
    const reset = concat(Uint8Array.of(7 << 3), CLIENT_SID, u32(1), u32(0x65000000), new Uint8Array(32).fill(0x3c), hex('9d41e2077b'));
    flow.tcpSegment(0, 1000, TCP_SYN, new Uint8Array(0));
    flow.tcpSegment(0, 1001, TCP_ACK, concat(Uint8Array.of(0, reset.length), reset));
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.tls?.clientHello ?? null).toBeNull();
    expect([...flow.anomalies]).toEqual(['openvpn_tls_crypt']);
  });
});
