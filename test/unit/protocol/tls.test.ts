import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { detectProtocol, findTlsStart } from '../../../src/protocol/detect.js';
import { findMidstreamTlsRecord } from '../../../src/protocol/tls.js';
import { isSslv2ClientHello, isTlsRecordHeader, sniffTls } from '../../../src/protocol/tls.js';
import { EMPTY, cat, fill, hex, text } from './bytes.js';

/** A ClientHello record head: handshake record, TLS 1.0 record version, 200 bytes, client_hello, legacy_version 0x0303. */
const CLIENT_HELLO = cat(hex('16 03 01 00 c8 01 00 00 c4 03 03'), fill(32));
const SERVER_HELLO = cat(hex('16 03 03 00 5a 02 00 00 56 03 03'), fill(32));

describe('TLS record sniffing', () => {
  it('a ClientHello record from the client is TLS', () => {
    expect(sniffTls(CLIENT_HELLO, EMPTY)).toBe('client');
    expect(detectProtocol('tcp', CLIENT_HELLO, SERVER_HELLO)).toBe('tls');
  });

  it('content types 20-23 and versions 0x0300-0x0304 (a flow picked up mid-stream)', () => {
    expect(isTlsRecordHeader(hex('17 03 03 00 40'))).toBe(true);
    expect(isTlsRecordHeader(hex('15 03 00 00 02'))).toBe(true);
    expect(isTlsRecordHeader(hex('14 03 04 00 01'))).toBe(true);
    expect(isTlsRecordHeader(hex('18 03 03 00 10'))).toBe(false); // heartbeat: not an opening
    expect(isTlsRecordHeader(hex('16 03 05 00 10'))).toBe(false);
    expect(isTlsRecordHeader(hex('16 02 00 00 10'))).toBe(false);
    expect(isTlsRecordHeader(hex('16 03 03 ff ff'))).toBe(false); // longer than any record
    expect(isTlsRecordHeader(hex('16 03 03 00'))).toBe(false); // short
  });

  it('the server answering in TLS is server-side evidence', () => {
    expect(sniffTls(EMPTY, SERVER_HELLO)).toBe('server');
    expect(detectProtocol('tcp', EMPTY, SERVER_HELLO)).toBe('tls');
    expect(detectProtocol('tcp', hex('cc 1c 30 41 5b a4'), hex('17 03 03 00 1e'))).toBe('tls');
  });

  it('SSL 2.0 ClientHello (version 0x0002) and SSLv2-compatible hello (0x0301)', () => {
    // msg_length 0x2e = 9 + 21 cipher-spec bytes + 0 session id + 16 challenge.
    const v2 = cat(hex('80 2e 01 00 02 00 15 00 00 00 10'), fill(21 + 16));
    expect(isSslv2ClientHello(v2)).toBe(true);
    // msg_length 0x67 = 9 + 78 + 0 + 16.
    const compatible = cat(hex('80 67 01 03 01 00 4e 00 00 00 10'), fill(78 + 16));
    expect(detectProtocol('tcp', compatible, EMPTY)).toBe('tls');
    // cipher_spec_length not a multiple of 3, or msg_length inconsistent.
    expect(isSslv2ClientHello(hex('80 2e 01 00 02 00 14 00 00 00 10'))).toBe(false);
    expect(isSslv2ClientHello(hex('80 40 01 00 02 00 15 00 00 00 10'))).toBe(false);
  });

  it('SSL 2.0 ServerHello from the server', () => {
    expect(sniffTls(EMPTY, hex('83 b4 04 00 01 00 02 03 87 00 12'))).toBe('server');
  });
});

describe('findTlsStart', () => {
  it('0 when the stream starts with a ClientHello', () => {
    expect(findTlsStart(CLIENT_HELLO)).toBe(0);
    expect(findTlsStart(hex('16 03 01 00 c8 01'))).toBe(0); // the first six bytes are enough
  });

  it('after a STARTTLS dialogue', () => {
    const preamble = text('EHLO client.example\r\nSTARTTLS\r\n');
    expect(findTlsStart(cat(preamble, CLIENT_HELLO))).toBe(preamble.length);
  });

  it('after an HTTP CONNECT request', () => {
    const preamble = text('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(findTlsStart(cat(preamble, CLIENT_HELLO))).toBe(preamble.length);
  });

  it('after a SOCKS5 greeting and CONNECT request', () => {
    const preamble = hex('05 01 00  05 01 00 01 5d b8 d8 77 01 bb');
    expect(findTlsStart(cat(preamble, CLIENT_HELLO))).toBe(preamble.length);
  });

  it('-1 without a ClientHello record', () => {
    expect(findTlsStart(EMPTY)).toBe(-1);
    expect(findTlsStart(text('GET / HTTP/1.1\r\n\r\n'))).toBe(-1);
    expect(findTlsStart(SERVER_HELLO)).toBe(-1); // handshake type 2
    expect(findTlsStart(hex('16 03 01 00 00 01'))).toBe(-1); // empty record
    expect(findTlsStart(hex('16 03 01 00 c8'))).toBe(-1); // handshake type not visible
    expect(findTlsStart(hex('16 03 01 00 c8 01 00 00 c4 7f 03'))).toBe(-1); // legacy_version not 0x03xx
  });

  it('looks no further than LIMITS.maxPreambleBytes', () => {
    expect(findTlsStart(cat(fill(LIMITS.maxPreambleBytes, 0x20), CLIENT_HELLO))).toBe(LIMITS.maxPreambleBytes);
    expect(findTlsStart(cat(fill(LIMITS.maxPreambleBytes + 1, 0x20), CLIENT_HELLO))).toBe(-1);
  });
});

describe('findMidstreamTlsRecord (a TLS connection picked up after its handshake)', () => {
  it('finds an application_data header followed by the next record', () => {
    // 3 bytes of the previous record's tail, a 4-byte record, then the next header.
    expect(findMidstreamTlsRecord(hex('aabbcc 1703030004 01020304 1703030010'))).toBe(3);
  });
  it('accepts a record running past the end of what was kept', () => {
    expect(findMidstreamTlsRecord(hex('0102 1703034000 deadbeef'))).toBe(2);
  });
  it('rejects a header whose record ends on something that is not a header', () => {
    expect(findMidstreamTlsRecord(hex('1703030002 0102 ffffffffffff'))).toBe(-1);
  });
  it('rejects bytes without any header', () => {
    expect(findMidstreamTlsRecord(hex('00'.repeat(64)))).toBe(-1);
  });
});
