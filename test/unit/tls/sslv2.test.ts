import { describe, expect, it } from 'vitest';
import { parseSslv2ClientHello, parseSslv2ServerHello } from '../../../src/tls/sslv2.js';
import { cipherName } from '../../../src/tls/registry/cipher-suites.js';
import { hex, toHex } from './helpers.js';

/**
 * An SSLv2-compatible ClientHello as old OpenSSL sent it (RFC 5246 Appendix E.2), record
 * header stripped: 3 SSL 2.0 kinds, 3 TLS suites in SSLv2 dress, no session id, 16-byte challenge.
 */
const V2_CLIENT_HELLO = [
  '01', // msg_type client_hello
  '0301', // version TLS 1.0
  '0012', // cipher_spec_length: 6 specs
  '0000', // session_id_length
  '0010', // challenge_length
  '010080', // SSL_RC4_128_WITH_MD5
  '0700c0', // SSL_DES_192_EDE3_CBC_WITH_MD5
  '000039', // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
  '000035', // TLS_RSA_WITH_AES_256_CBC_SHA
  '060040', // SSL_DES_64_CBC_WITH_MD5
  '0000ff', // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
  '00112233445566778899aabbccddeeff', // challenge
].join('');

/** An SSL 2.0 ServerHello with a 4-byte stand-in certificate, 2 kinds and a 16-byte connection id. */
const V2_SERVER_HELLO = [
  '04', // msg_type server_hello
  '00', // session id hit: no
  '01', // certificate type: X.509
  '0002', // server version SSL 2.0
  '0004', // certificate length
  '0006', // cipher specs length
  '0010', // connection id length
  '30020500', // "certificate"
  '010080 0700c0',
  'ffeeddccbbaa99887766554433221100',
].join('');

describe('SSL 2.0 hellos', () => {
  it('SSLv2-compatible ClientHello: TLS suites kept as 16-bit numbers, SSL 2.0 kinds counted out', () => {
    const r = parseSslv2ClientHello(hex(V2_CLIENT_HELLO));
    if (!r.ok) throw new Error(r.error);
    const m = r.value;
    expect(m.sslv2).toBe(true);
    expect(m.transport).toBe('t');
    expect(m.recordVersion).toBe(0x0002);
    expect(m.version).toBe(0x0301);
    expect(m.ciphers).toEqual([0x39, 0x35, 0xff]);
    expect(toHex(m.random)).toBe('00112233445566778899aabbccddeeff');
    expect(m.sessionId.length).toBe(0);
    expect(m.compressionMethods).toEqual([]);
    expect(m.hasExtensionsBlock).toBe(false);
    expect(m.anomalies).toEqual(['sslv2_cipher_kinds_dropped']);
  });

  it('ClientHello with a short challenge and trailing bytes', () => {
    // challenge_length 8 instead of 16: the last 8 challenge bytes become trailing bytes.
    const h = V2_CLIENT_HELLO.replace('0000' + '0010', '0000' + '0008');
    const r = parseSslv2ClientHello(hex(h));
    if (!r.ok) throw new Error(r.error);
    expect(toHex(r.value.random)).toBe('0011223344556677');
    expect(r.value.anomalies).toEqual(['sslv2_cipher_kinds_dropped', 'sslv2_bad_challenge_length', 'sslv2_trailing_bytes']);
  });

  it('ClientHello framing errors', () => {
    const e = (h: string): string => {
      const r = parseSslv2ClientHello(hex(h));
      return r.ok ? 'ok' : r.error;
    };
    expect(e('01 0301 0012')).toBe('sslv2_client_hello_truncated');
    expect(e('01 0301 0003 0000 0020 000035')).toBe('sslv2_client_hello_truncated');
    expect(e('01 0301 0004 0000 0000 00003500')).toBe('sslv2_bad_cipher_specs');
    expect(e('01 0301 0000 0000 0000')).toBe('sslv2_bad_cipher_specs');
  });

  it('SSL 2.0 ServerHello', () => {
    const r = parseSslv2ServerHello(hex(V2_SERVER_HELLO));
    if (!r.ok) throw new Error(r.error);
    const { hello, certificate, cipherKinds } = r.value;
    expect(hello.sslv2).toBe(true);
    expect(hello.version).toBe(0x0002);
    expect(hello.cipher).toBe(0x010080);
    expect(cipherName(hello.cipher)).toBe('SSL_RC4_128_WITH_MD5');
    expect(cipherKinds).toEqual([0x010080, 0x0700c0]);
    expect(toHex(hello.random)).toBe('ffeeddccbbaa99887766554433221100');
    expect(toHex(certificate!)).toBe('30020500');
    expect(hello.anomalies).toEqual([]);
  });

  it('ServerHello errors', () => {
    expect(parseSslv2ServerHello(hex('04 00 01 0002 0004')).ok).toBe(false);
    expect(parseSslv2ServerHello(hex('04 00 01 0002 0000 0002 0000 0100')).ok).toBe(false);
  });
});
