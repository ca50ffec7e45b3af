import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { sniffOpenVpnTcp, sniffOpenVpnUdp } from '../../../src/protocol/openvpn.js';
import { EMPTY, cat, fill, hex, text } from './bytes.js';

const CLIENT_SID = hex('33 48 57 70 3d 96 db 39');
const SERVER_SID = hex('d3 1c 3a 69 64 60 2f a0');

/** P_CONTROL_HARD_RESET_CLIENT_V2 (7 << 3, key 0), no tls-auth: session id, no acks, message packet-id 0. */
const CLIENT_RESET = cat(hex('38'), CLIENT_SID, hex('00 00000000'));
/** P_CONTROL_HARD_RESET_SERVER_V2 (8 << 3): acks the client's packet 0 and names its session. */
const SERVER_RESET = cat(hex('40'), SERVER_SID, hex('01 00000000'), CLIENT_SID, hex('00000000'));

const withLength = (p: Uint8Array): Uint8Array => cat(hex((p.length).toString(16).padStart(4, '0')), p);

describe('OpenVPN over UDP', () => {
  it('client hard reset V2, server hard reset V2', () => {
    expect(sniffOpenVpnUdp(CLIENT_RESET, EMPTY)).toBe('client');
    expect(sniffOpenVpnUdp(EMPTY, SERVER_RESET)).toBe('server');
    expect(detectProtocol('udp', CLIENT_RESET, SERVER_RESET)).toBe('openvpn');
  });

  it('--tls-auth: HMAC (20 bytes), replay packet-id 1 and time, then no acks and message packet-id 0', () => {
    const p = cat(hex('38'), CLIENT_SID, fill(20), hex('00000001 65000000'), hex('00 00000000'));
    expect(detectProtocol('udp', p, EMPTY)).toBe('openvpn');
  });

  it('hard reset V3 (tls-crypt-v2): replay packet-id 1, time, tag, wrapped client key', () => {
    const p = cat(hex('50'), CLIENT_SID, hex('00000001 65000000'), fill(32), fill(300));
    expect(detectProtocol('udp', p, EMPTY)).toBe('openvpn');
  });

  it('not OpenVPN: key_id not 0, wrong opcode, short, V3 without the tls-crypt layout ("PING" + zeros)', () => {
    expect(sniffOpenVpnUdp(cat(hex('39'), CLIENT_SID, hex('00 00000000')), EMPTY)).toBeNull();
    expect(sniffOpenVpnUdp(cat(hex('20'), CLIENT_SID, hex('00 00000000')), EMPTY)).toBeNull();
    expect(sniffOpenVpnUdp(CLIENT_RESET.subarray(0, 13), EMPTY)).toBeNull();
    expect(detectProtocol('udp', cat(text('PING'), fill(60, 0)), cat(text('PONG'), fill(60, 0)))).toBe('unknown');
  });
});

describe('OpenVPN over TCP', () => {
  it('16-bit length, then the hard reset', () => {
    expect(sniffOpenVpnTcp(withLength(CLIENT_RESET), EMPTY)).toBe('client');
    expect(detectProtocol('tcp', withLength(CLIENT_RESET), withLength(SERVER_RESET))).toBe('openvpn');
    expect(detectProtocol('tcp', EMPTY, withLength(SERVER_RESET))).toBe('openvpn');
  });

  it('--tls-auth with a SHA-256 HMAC (32 bytes)', () => {
    const p = cat(hex('38'), CLIENT_SID, fill(32), hex('00000001 65000000'), hex('00 00000000'));
    expect(p.length).toBe(54);
    expect(detectProtocol('tcp', withLength(p), EMPTY)).toBe('openvpn');
  });

  it('not OpenVPN: implausible length, or the opcode byte first as over UDP', () => {
    expect(sniffOpenVpnTcp(cat(hex('0009'), CLIENT_RESET), EMPTY)).toBeNull();
    expect(sniffOpenVpnTcp(cat(hex('2000'), CLIENT_RESET), EMPTY)).toBeNull();
    expect(sniffOpenVpnTcp(CLIENT_RESET, EMPTY)).toBeNull();
  });
});
