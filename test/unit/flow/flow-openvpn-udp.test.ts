/**
 * Flow: a UDP flow whose datagrams are OpenVPN control packets (one packet per datagram, no length
 * prefix) is "openvpn", and the TLS of its control channel fills the session's TLS fields (RFC
 * 8448's ClientHello and ServerHello in P_CONTROL_V1 packets, lost and retransmitted).
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { Flow } from '../../../src/flow/flow.js';
import { concat, hex, record } from '../tls/helpers.js';
import { CH_1RTT, SH_1RTT } from '../tls/rfc8448.js';
import { CLIENT_SID, SERVER_SID, control, u32 } from '../protocol/openvpn-packets.js';

/** A (one datagram) control packet with a SHA-1 --tls-auth block (20-byte HMAC, replay packet-id, time). */
function packet(opcode: number, sid: Uint8Array, replayId: number, acks: number[], remote: Uint8Array, id: number, payload: Uint8Array): Uint8Array {
  return control(opcode, { sid, hmac: 20, replayId, acks, remote, id, payload });
}

const clientHello = record(22, 0x0301, hex(CH_1RTT));
const CLIENT_RESET = packet(7, CLIENT_SID, 1, [], SERVER_SID, 0, new Uint8Array(0));
const SERVER_RESET = packet(8, SERVER_SID, 1, [0], CLIENT_SID, 0, new Uint8Array(0));
// The ClientHello split over two P_CONTROL_V1 packets, as OpenVPN does for a large one.
const CH_1 = packet(4, CLIENT_SID, 2, [0], SERVER_SID, 1, clientHello.subarray(0, 100));
const CH_2 = packet(4, CLIENT_SID, 3, [], SERVER_SID, 2, clientHello.subarray(100));
const SH = packet(4, SERVER_SID, 2, [1, 2], CLIENT_SID, 1, record(22, 0x0303, hex(SH_1RTT)));

/** Like the flow table: count the datagram, then hand it on while the flow inspects. */
function feed(flow: Flow, dir: 0 | 1, d: Uint8Array): void {
  flow.packets++;
  if (flow.stage === 'inspect') flow.udpDatagram(dir, d);
}

describe('Flow: TLS inside OpenVPN over UDP', () => {
  it('keeps protocol "openvpn", parses both hellos across loss and retransmission, marks tls_inside_openvpn', () => {
    const flow = new Flow('udp', '10.0.0.1', 50000, '10.0.0.2', 1194, 0, 0, false, true);
    feed(flow, 0, CLIENT_RESET);
    feed(flow, 1, SERVER_RESET);
    feed(flow, 0, CH_2); // CH_1 lost: CH_2 is held
    feed(flow, 0, CLIENT_RESET); // a retransmission
    feed(flow, 0, CH_1); // retransmitted
    feed(flow, 0, CH_2); // retransmitted again: dropped
    feed(flow, 1, SH);
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.clientDir).toBe(0);
    expect(flow.tls?.clientHello?.sni).toBe('server');
    // OpenVPN's reliability layer carries plain TLS records: JA4 reads it as 't', not 'q' or 'd'.
    expect(flow.tls?.clientHello?.transport).toBe('t');
    expect(flow.tls?.serverHello).not.toBeNull();
    expect(flow.handshake()?.clientHello?.sni).toBe('server');
    expect([...flow.anomalies]).toContain('tls_inside_openvpn');
    expect(flow.tls?.anomalies.size).toBe(0);
  });

  it("a capture that starts with the server's hard reset: its sender is the server", () => {
    // The flow was created by the server's datagram (raw direction 0), guessed as the client.
    const flow = new Flow('udp', '10.0.0.2', 1194, '10.0.0.1', 50000, 0, 0, false, true);
    feed(flow, 0, SERVER_RESET);
    feed(flow, 1, CH_1);
    feed(flow, 1, CH_2);
    feed(flow, 0, SH);
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.clientDir).toBe(1);
    expect(flow.tls?.clientHello?.sni).toBe('server');
    expect(flow.tls?.serverHello).not.toBeNull();
  });

  it('inspection ends when both directions reach their data channel', () => {
    const flow = new Flow('udp', '10.0.0.1', 50000, '10.0.0.2', 1194, 0, 0, false, true);
    feed(flow, 0, CLIENT_RESET);
    feed(flow, 0, concat(Uint8Array.of(9 << 3), new Uint8Array(40).fill(0x99)));
    expect(flow.stage).toBe('inspect');
    feed(flow, 1, concat(Uint8Array.of(9 << 3), new Uint8Array(40).fill(0x98)));
    expect(flow.stage).toBe('done');
    expect(flow.protocol).toBe('openvpn');
  });

  it(`inspection ends after ${LIMITS.maxUdpInspectDatagrams} datagrams`, () => {
    const flow = new Flow('udp', '10.0.0.1', 50000, '10.0.0.2', 1194, 0, 0, false, true);
    feed(flow, 0, CLIENT_RESET);
    while (flow.packets < LIMITS.maxUdpInspectDatagrams - 1) feed(flow, 0, CLIENT_RESET);
    expect(flow.stage).toBe('inspect');
    feed(flow, 0, CLIENT_RESET);
    expect(flow.stage).toBe('done');
  });

  it('tls-crypt: the session is OpenVPN without TLS, and says why', () => {
    const flow = new Flow('udp', '10.0.0.1', 50000, '10.0.0.2', 1194, 0, 0, false, true);
    const reset = concat(Uint8Array.of(7 << 3), CLIENT_SID, u32(1), u32(0x65000000), new Uint8Array(32).fill(0x3c), hex('9d41e2077b'));
    feed(flow, 0, reset);
    flow.finish();
    expect(flow.protocol).toBe('openvpn');
    expect(flow.tls?.clientHello ?? null).toBeNull();
    expect([...flow.anomalies]).toEqual(['openvpn_tls_crypt']);
  });

  it('a UDP flow that is not OpenVPN is only named, as before', () => {
    const flow = new Flow('udp', '10.0.0.1', 50000, '10.0.0.2', 53, 0, 0, false, true);
    feed(flow, 0, hex('12340100000100000000000003777777076578616d706c6503636f6d0000010001'));
    flow.finish();
    expect(flow.protocol).not.toBe('openvpn');
    expect(flow.tls).toBeNull();
  });
});
