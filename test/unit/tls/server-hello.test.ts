import { describe, expect, it } from 'vitest';
import { negotiatedVersion, type ServerHelloModel } from '../../../src/model/handshake.js';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  isHelloRetryRequestRandom,
  parseHelloVerifyRequest,
  parseServerHello,
} from '../../../src/tls/server-hello.js';
import { hex, toHex } from './helpers.js';
import { HRR, SH_1RTT, SH_HRR } from './rfc8448.js';

const body = (msg: string): Uint8Array => hex(msg).subarray(4);

function ok(b: Uint8Array, transport: 't' | 'q' | 'd' = 't'): ServerHelloModel {
  const r = parseServerHello(b, transport, 0x0303);
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.value;
}

const RANDOM = 'a0'.repeat(32);

/** A TLS 1.2 ServerHello with no extensions block (SSL 3.0 / TLS 1.0-era servers). */
const SH12_NO_EXT = ['0303', RANDOM, '20' + '5a'.repeat(32), 'c02f', '00'].join('');

/** A TLS 1.2 ServerHello with the usual OpenSSL extensions and ALPN "h2". */
const SH12_EXT = [
  '0303',
  RANDOM,
  '00', // session id
  'c030', // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  '00',
  '001c', // extensions, 28 bytes
  'ff01 0001 00', // renegotiation_info
  '0000 0000', // server_name acknowledgement (empty)
  '000b 0002 01 00', // ec_point_formats
  '0010 0005 0003 02 6832', // ALPN "h2"
  '0017 0000', // extended_master_secret
].join('');

describe('parseServerHello', () => {
  it('RFC 8448 §3 ServerHello (TLS 1.3)', () => {
    const m = ok(body(SH_1RTT));
    expect(m.version).toBe(0x0303);
    expect(toHex(m.random)).toBe('a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928');
    expect(m.sessionId.length).toBe(0);
    expect(m.cipher).toBe(0x1301);
    expect(m.compressionMethod).toBe(0);
    expect(m.hasExtensionsBlock).toBe(true);
    expect(m.extensions.map((e) => e.type)).toEqual([51, 43]);
    expect(m.selectedVersion).toBe(0x0304);
    expect(negotiatedVersion(m)).toBe(0x0304);
    expect(m.keyShareGroup).toBe(0x1d);
    expect(m.alpn).toBeNull();
    expect(m.hasPreSharedKey).toBe(false);
    expect(m.helloRetryRequest).toBe(false);
    expect(m.sslv2).toBe(false);
    expect(m.anomalies).toEqual([]);
  });

  it('RFC 8448 §5 HelloRetryRequest: special random, key_share is selected_group only', () => {
    const m = ok(body(HRR));
    expect(m.helloRetryRequest).toBe(true);
    expect(m.keyShareGroup).toBe(0x17);
    expect(m.selectedVersion).toBe(0x0304);
    expect(m.extensions.map((e) => e.type)).toEqual([51, 44, 43]);
    expect(m.anomalies).toEqual([]);
  });

  it('RFC 8448 §5 ServerHello after the retry is not a HelloRetryRequest', () => {
    const m = ok(body(SH_HRR));
    expect(m.helloRetryRequest).toBe(false);
    expect(m.keyShareGroup).toBe(0x17);
  });

  it('HRR random constant is the SHA-256 of "HelloRetryRequest"', async () => {
    const { createHash } = await import('node:crypto');
    expect(toHex(HELLO_RETRY_REQUEST_RANDOM)).toBe(createHash('sha256').update('HelloRetryRequest').digest('hex'));
    expect(isHelloRetryRequestRandom(HELLO_RETRY_REQUEST_RANDOM.subarray(0, 31))).toBe(false);
  });

  it('TLS 1.2 ServerHello without an extensions block', () => {
    const m = ok(hex(SH12_NO_EXT));
    expect(m.version).toBe(0x0303);
    expect(m.sessionId.length).toBe(32);
    expect(m.cipher).toBe(0xc02f);
    expect(m.hasExtensionsBlock).toBe(false);
    expect(m.extensions).toEqual([]);
    expect(m.selectedVersion).toBeNull();
    expect(negotiatedVersion(m)).toBe(0x0303);
  });

  it('TLS 1.2 ServerHello with extensions and ALPN', () => {
    const m = ok(hex(SH12_EXT));
    expect(m.extensions.map((e) => e.type)).toEqual([0xff01, 0, 11, 16, 23]);
    expect(Buffer.from(m.alpn!).toString()).toBe('h2');
    expect(m.anomalies).toEqual([]);
  });

  it('empty extensions block', () => {
    const m = ok(hex(SH12_NO_EXT + '0000'));
    expect(m.hasExtensionsBlock).toBe(true);
    expect(m.extensions).toEqual([]);
  });

  it('accepted PSK (TLS 1.3 resumption)', () => {
    const m = ok(hex(['0303', RANDOM, '00', '1301', '00', '000c', '002b 0002 0304', '0029 0002 0000'].join('')));
    expect(m.hasPreSharedKey).toBe(true);
    expect(m.anomalies).toEqual([]);
  });

  it('odd extensions are anomalies', () => {
    const m = ok(
      hex(
        [
          '0303', RANDOM, '00', '1301', '00',
          '001a',
          '0010 0008 0006 02 6832 02 6833', // ALPN with two names: first kept
          '002b 0003 030400', // supported_versions: 3 bytes
          '0033 0003 001d00', // key_share: truncated key_exchange
        ].join(''),
      ),
    );
    expect(Buffer.from(m.alpn!).toString()).toBe('h2');
    expect(m.selectedVersion).toBeNull();
    expect(m.keyShareGroup).toBeNull();
    expect(m.anomalies).toEqual(['ext_bad_alpn', 'ext_bad_supported_versions', 'ext_bad_key_share']);
  });

  it('trailing bytes after the extensions block', () => {
    expect(ok(hex(SH12_NO_EXT + '0000ff')).anomalies).toEqual(['server_hello_trailing_bytes']);
  });

  it('malformed framing fails', () => {
    const fail = (h: string): string => {
      const r = parseServerHello(hex(h), 't', 0x0303);
      return r.ok ? 'ok' : r.error;
    };
    expect(fail('0303' + 'a0'.repeat(20))).toBe('server_hello_truncated');
    expect(fail('0303' + RANDOM + '21' + '00'.repeat(36))).toBe('server_hello_bad_session_id');
    expect(fail('0303' + RANDOM + '00' + 'c0')).toBe('server_hello_truncated');
  });

  it('a damaged extensions block keeps the hello, with an anomaly', () => {
    const r = parseServerHello(hex(SH12_NO_EXT + '0005 0017 0000'), 't', 0x0303);
    expect(r.ok && r.value.extensions.map((e) => e.type)).toEqual([0x17]);
    expect(r.ok && r.value.anomalies).toContain('server_hello_bad_extensions');
  });

  it('owns its bytes', () => {
    const b = hex(SH12_EXT);
    const m = ok(b);
    b.fill(0xee);
    expect(Buffer.from(m.alpn!).toString()).toBe('h2');
    expect(toHex(m.random)).toBe(RANDOM);
  });
});

describe('parseHelloVerifyRequest (DTLS, handshake type 3)', () => {
  it('reads version and cookie', () => {
    const r = parseHelloVerifyRequest(hex('feff 14' + '0102030405060708090a0b0c0d0e0f1011121314'));
    expect(r.ok && r.value.version).toBe(0xfeff);
    expect(r.ok && toHex(r.value.cookie)).toBe('0102030405060708090a0b0c0d0e0f1011121314');
  });
  it('fails on overrun or trailing bytes', () => {
    expect(parseHelloVerifyRequest(hex('feff 14 0102')).ok).toBe(false);
    expect(parseHelloVerifyRequest(hex('feff 01 01 02')).ok).toBe(false);
  });
});
