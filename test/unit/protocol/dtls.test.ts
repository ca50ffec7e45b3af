import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { isDtlsRecord, sniffDtls } from '../../../src/protocol/dtls.js';
import { EMPTY, cat, fill, hex } from './bytes.js';

/** type, version, epoch 0, sequence 0, length, then a body of that length. */
const record = (type: string, version: string, length: number, body = length): Uint8Array =>
  cat(hex(type), hex(version), hex('0000 000000000000'), hex(length.toString(16).padStart(4, '0')), fill(body));

describe('DTLS record', () => {
  it('handshake records of DTLS 1.0, 1.2, 1.3 and OpenSSL\'s pre-0.9.8f 0x0100', () => {
    expect(detectProtocol('udp', record('16', 'feff', 54), EMPTY)).toBe('dtls');
    expect(detectProtocol('udp', record('16', 'fefd', 54), EMPTY)).toBe('dtls');
    expect(isDtlsRecord(record('16', 'fefc', 54))).toBe(true);
    expect(isDtlsRecord(record('16', '0100', 54))).toBe(true);
  });

  it('the server answering in DTLS', () => {
    expect(sniffDtls(EMPTY, record('16', 'feff', 35))).toBe('server');
  });

  it('not DTLS: TLS version, record longer than the datagram, empty record, other content type', () => {
    expect(isDtlsRecord(record('16', '0303', 54))).toBe(false);
    expect(isDtlsRecord(record('16', 'fefd', 54, 20))).toBe(false);
    expect(isDtlsRecord(record('16', 'fefd', 0))).toBe(false);
    expect(isDtlsRecord(record('19', 'fefd', 10))).toBe(false);
    expect(isDtlsRecord(hex('16 fe fd 00 00'))).toBe(false);
  });
});
