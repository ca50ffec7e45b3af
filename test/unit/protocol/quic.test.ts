import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { isKnownQuicVersion, sniffQuic } from '../../../src/protocol/quic.js';
import { EMPTY, cat, fill, hex, text } from './bytes.js';

/** A long-header Initial: first byte, version, 8-byte DCID, empty SCID, then padding-like bytes. */
const initial = (firstByte: string, version: string, dcidLength = '08'): Uint8Array =>
  cat(hex(firstByte), hex(version), hex(dcidLength), fill(parseInt(dcidLength, 16)), hex('00'), fill(40));

describe('QUIC long header', () => {
  it('known versions: v1, v2, drafts, mvfst, Google Q0xx/T0xx, reserved 0x?a?a?a?a', () => {
    expect(detectProtocol('udp', initial('c3', '00000001'), EMPTY)).toBe('quic');
    expect(detectProtocol('udp', initial('d3', '6b3343cf'), EMPTY)).toBe('quic');
    expect(detectProtocol('udp', initial('c0', 'ff00001d'), EMPTY)).toBe('quic');
    expect(detectProtocol('udp', initial('c0', 'faceb002'), EMPTY)).toBe('quic');
    expect(detectProtocol('udp', cat(hex('c3'), text('Q050'), hex('50'), fill(40)), EMPTY)).toBe('quic');
    expect(detectProtocol('udp', cat(hex('c3'), text('T051'), hex('08'), fill(40)), EMPTY)).toBe('quic');
    expect(isKnownQuicVersion(0x1a2a3a4a)).toBe(true);
    expect(isKnownQuicVersion(0xff000022)).toBe(true);
  });

  it('unknown version, header form or fixed bit clear, or a DCID longer than 20 bytes', () => {
    expect(sniffQuic(initial('c3', '12345678'), EMPTY)).toBeNull();
    expect(sniffQuic(initial('83', '00000001'), EMPTY)).toBeNull();
    expect(sniffQuic(initial('43', '00000001'), EMPTY)).toBeNull();
    expect(sniffQuic(initial('c3', '00000001', '15'), EMPTY)).toBeNull();
    expect(isKnownQuicVersion(0x51413530)).toBe(false); // "QA50"
  });

  it('a DNS query whose id has the two top bits set is not QUIC', () => {
    expect(detectProtocol('udp', hex('c967 0100 0001 0000 0000 0000 0770 6f72 7461 6c00 0001 0001'), EMPTY)).toBe('unknown');
  });

  it('server Version Negotiation (version 0, then the supported versions)', () => {
    const vn = cat(hex('80 00000000 08'), fill(8), hex('08'), fill(8), hex('00000001 ff00001d'));
    expect(sniffQuic(EMPTY, vn)).toBe('server');
    expect(detectProtocol('udp', initial('c3', '2a3a4a5a'), vn)).toBe('quic');
    expect(sniffQuic(EMPTY, hex('80 00000000 08'))).toBeNull();
  });

  it('Google QUIC public header up to Q043: flags with version and 8-byte connection ID, version at byte 9', () => {
    const gquic = cat(hex('0d'), fill(8), text('Q043'), hex('01'), fill(40));
    expect(detectProtocol('udp', gquic, EMPTY)).toBe('quic');
    expect(sniffQuic(cat(hex('0c'), fill(8), text('Q043')), EMPTY)).toBeNull(); // no version flag
  });
});
