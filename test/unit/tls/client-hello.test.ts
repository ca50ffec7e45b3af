import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { parseClientHello } from '../../../src/tls/client-hello.js';
import type { ClientHelloModel } from '../../../src/model/handshake.js';
import { hex, toHex } from './helpers.js';
import { CH1_HRR, CH2_HRR, CH_1RTT, CH_RESUMED } from './rfc8448.js';

/** The body of a handshake message given as hex with its 4-byte header. */
const body = (msg: string): Uint8Array => hex(msg).subarray(4);

function ok(b: Uint8Array, transport: 't' | 'q' | 'd' = 't', rv = 0x0301): ClientHelloModel {
  const r = parseClientHello(b, transport, rv);
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.value;
}

function err(b: Uint8Array, transport: 't' | 'q' | 'd' = 't'): string {
  const r = parseClientHello(b, transport, 0x0301);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

/** 32-byte random 00 01 02 … 1f. */
const RANDOM = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

/** A TLS 1.0 ClientHello with no extensions block at all (ends after the compression methods). */
const NO_EXTENSIONS = [
  '0301', // client_version TLS 1.0
  RANDOM,
  '00', // session_id: empty
  '0004 002f 0035', // cipher_suites: TLS_RSA_WITH_AES_128_CBC_SHA, _256_
  '01 00', // compression_methods: null
].join('');

/** A Chromium-like TLS 1.3 ClientHello with GREASE everywhere, ALPN and an ECH outer extension. */
const GREASE_HELLO = [
  '0303',
  '11'.repeat(32), // random
  '20' + '22'.repeat(32), // legacy_session_id, 32 bytes
  '0006 0a0a 1301 c02f', // cipher_suites: GREASE, TLS_AES_128_GCM_SHA256, ECDHE_RSA_AES128_GCM
  '01 00',
  '00cb', // extensions, 203 bytes
  '1a1a 0000', // GREASE extension, empty
  '0000 0010 000e 00 000b 6578616d706c652e636f6d', // server_name: host_name "example.com"
  '0010 000e 000c 02 6832 08 687474702f312e31', // ALPN: "h2", "http/1.1"
  '000a 0008 0006 2a2a 11ec 001d', // supported_groups: GREASE, X25519MLKEM768, x25519
  '000b 0002 01 00', // ec_point_formats: uncompressed
  '000d 0008 0006 0403 0804 0401', // signature_algorithms
  '002b 0007 06 3a3a 0304 0303', // supported_versions: GREASE, TLS 1.3, TLS 1.2
  '0033 002b 0029 2a2a 0001 00 001d 0020' + '33'.repeat(32), // key_share: GREASE (1 byte), x25519
  '002d 0002 01 01', // psk_key_exchange_modes: psk_dhe_ke
  'fe0d 003a 00 0001 0001 7f 0020' + '44'.repeat(32) + '0010' + '55'.repeat(16), // ECH outer
  'dada 0001 00', // GREASE extension, one byte
].join('');

/** A DTLS 1.2 ClientHello carrying a 16-byte cookie (RFC 6347 §4.2.2). */
const DTLS_HELLO = [
  'fefd', // client_version DTLS 1.2
  RANDOM,
  '00', // session_id
  '10 ' + 'c0'.repeat(16), // cookie
  '0002 c02b', // cipher_suites
  '01 00',
  '0008 000a 0004 0002 0017', // extensions: supported_groups secp256r1
].join('');

/** NO_EXTENSIONS followed by the given extensions block content (hex, length added). */
function withExtensions(exts: string): Uint8Array {
  const e = hex(exts);
  return hex(NO_EXTENSIONS + e.length.toString(16).padStart(4, '0') + toHex(e));
}

describe('parseClientHello: RFC 8448 vectors', () => {
  it('§3 simple 1-RTT ClientHello', () => {
    const m = ok(body(CH_1RTT), 't', 0x0301);
    expect(m.transport).toBe('t');
    expect(m.recordVersion).toBe(0x0301);
    expect(m.version).toBe(0x0303);
    expect(m.sslv2).toBe(false);
    expect(toHex(m.random)).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(m.sessionId.length).toBe(0);
    expect(m.ciphers).toEqual([0x1301, 0x1303, 0x1302]);
    expect(m.compressionMethods).toEqual([0]);
    expect(m.hasExtensionsBlock).toBe(true);
    expect(m.extensions.map((e) => e.type)).toEqual([0, 0xff01, 10, 35, 51, 43, 13, 45, 28]);
    expect(toHex(m.extensions[1]!.data)).toBe('00'); // renegotiation_info, empty
    expect(toHex(m.extensions[8]!.data)).toBe('4001'); // record_size_limit 16385
    expect(m.sni).toBe('server');
    expect(m.alpn).toEqual([]);
    expect(m.supportedGroups).toEqual([0x1d, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102, 0x103, 0x104]);
    expect(m.ecPointFormats).toEqual([]);
    expect(m.signatureAlgorithms).toEqual([
      0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402,
      0x0502, 0x0602, 0x0202,
    ]);
    expect(m.supportedVersions).toEqual([0x0304]);
    expect(m.keyShareGroups).toEqual([0x1d]);
    expect(m.pskModes).toEqual([1]);
    expect(m.hasPreSharedKey).toBe(false);
    expect(m.hasEch).toBe(false);
    expect(m.anomalies).toEqual([]);
  });

  it('§4 resumed ClientHello: early_data, padding, pre_shared_key last', () => {
    const m = ok(body(CH_RESUMED));
    expect(m.extensions.map((e) => e.type)).toEqual([0, 0xff01, 10, 51, 42, 43, 13, 45, 28, 21, 41]);
    expect(m.hasPreSharedKey).toBe(true);
    expect(m.anomalies).toEqual([]);
  });

  it('§5 ClientHellos before and after a HelloRetryRequest', () => {
    const first = ok(body(CH1_HRR));
    expect(first.supportedGroups).toEqual([0x1d, 0x17, 0x18]);
    expect(first.keyShareGroups).toEqual([0x1d]);
    const second = ok(body(CH2_HRR));
    expect(second.keyShareGroups).toEqual([0x17]);
    // The cookie (44) from the HelloRetryRequest, then padding (21).
    expect(second.extensions.map((e) => e.type)).toEqual([0, 0xff01, 10, 51, 43, 13, 44, 45, 28, 21]);
    expect(second.extensions[6]!.data.length).toBe(0x74);
    expect(second.anomalies).toEqual([]);
  });

  it('copies the body: the model does not change when the input buffer is reused', () => {
    const b = body(CH_1RTT).slice();
    const m = ok(b);
    b.fill(0);
    expect(m.sni).toBe('server');
    expect(toHex(m.random).slice(0, 8)).toBe('cb34ecb1');
    expect(toHex(m.extensions[8]!.data)).toBe('4001');
  });
});

describe('parseClientHello: hand-made hellos', () => {
  it('no extensions block: hasExtensionsBlock false', () => {
    const m = ok(hex(NO_EXTENSIONS));
    expect(m.version).toBe(0x0301);
    expect(m.ciphers).toEqual([0x2f, 0x35]);
    expect(m.compressionMethods).toEqual([0]);
    expect(m.hasExtensionsBlock).toBe(false);
    expect(m.extensions).toEqual([]);
    expect(m.sni).toBeNull();
    expect(m.anomalies).toEqual([]);
  });

  it('present but empty extensions block: hasExtensionsBlock true', () => {
    const m = ok(hex(NO_EXTENSIONS + '0000'));
    expect(m.hasExtensionsBlock).toBe(true);
    expect(m.extensions).toEqual([]);
    expect(m.anomalies).toEqual([]);
  });

  it('GREASE values are kept in wire order; ALPN, ECH and key shares decoded', () => {
    const m = ok(hex(GREASE_HELLO));
    expect(m.sessionId.length).toBe(32);
    expect(m.ciphers).toEqual([0x0a0a, 0x1301, 0xc02f]);
    expect(m.extensions.map((e) => e.type)).toEqual([0x1a1a, 0, 16, 10, 11, 13, 43, 51, 45, 0xfe0d, 0xdada]);
    expect(m.sni).toBe('example.com');
    expect(m.alpn.map((a) => Buffer.from(a).toString())).toEqual(['h2', 'http/1.1']);
    expect(m.supportedGroups).toEqual([0x2a2a, 0x11ec, 0x1d]);
    expect(m.ecPointFormats).toEqual([0]);
    expect(m.signatureAlgorithms).toEqual([0x0403, 0x0804, 0x0401]);
    expect(m.supportedVersions).toEqual([0x3a3a, 0x0304, 0x0303]);
    expect(m.keyShareGroups).toEqual([0x2a2a, 0x1d]);
    expect(m.pskModes).toEqual([1]);
    expect(m.hasEch).toBe(true);
    expect(m.anomalies).toEqual([]);
  });

  it('DTLS hello: the cookie after the session id is skipped', () => {
    const m = ok(hex(DTLS_HELLO), 'd', 0xfeff);
    expect(m.transport).toBe('d');
    expect(m.version).toBe(0xfefd);
    expect(m.ciphers).toEqual([0xc02b]);
    expect(m.supportedGroups).toEqual([0x17]);
    expect(m.anomalies).toEqual([]);
    // Read as TLS, the cookie length byte would be taken for the cipher suites.
    expect(parseClientHello(hex(DTLS_HELLO), 't', 0x0303).ok).toBe(false);
  });

  it('DTLS hello with an empty cookie', () => {
    const m = ok(hex(DTLS_HELLO.replace('10 ' + 'c0'.repeat(16), '00')), 'd');
    expect(m.ciphers).toEqual([0xc02b]);
  });
});

describe('parseClientHello: malformed framing is a failure', () => {
  it('truncated before the end of the random', () => {
    expect(err(hex('0303' + '00'.repeat(31)))).toBe('client_hello_truncated');
    expect(err(new Uint8Array(0))).toBe('client_hello_truncated');
  });
  it('session id longer than 32 or overrunning', () => {
    expect(err(hex('0303' + RANDOM + '21' + '00'.repeat(40)))).toBe('client_hello_bad_session_id');
    expect(err(hex('0303' + RANDOM + '10' + '00'.repeat(4)))).toBe('client_hello_bad_session_id');
  });
  it('DTLS cookie overrunning', () => {
    expect(err(hex('fefd' + RANDOM + '00' + '20' + '00'.repeat(3)), 'd')).toBe('client_hello_bad_cookie');
  });
  it('cipher suites: odd length or overrun', () => {
    expect(err(hex('0303' + RANDOM + '00' + '0003 002f00' + '0100'))).toBe('client_hello_bad_cipher_suites');
    expect(err(hex('0303' + RANDOM + '00' + '0010 002f'))).toBe('client_hello_bad_cipher_suites');
    expect(err(hex('0303' + RANDOM + '00'))).toBe('client_hello_bad_cipher_suites');
  });
  it('compression methods overrun', () => {
    expect(err(hex('0303' + RANDOM + '00' + '0002 002f' + '03 00'))).toBe('client_hello_bad_compression_methods');
  });
});

// Regression (ndpi/tls_invalid_reads.pcap, tls_cipher_lens.pcap): a damaged extensions block
// keeps the hello and what was read before the damage, as tshark and nDPI do.
describe('parseClientHello: a damaged extensions block is an anomaly, not a failure', () => {
  it('extensions block overruns the body: the whole extensions that fit are kept', () => {
    const m = ok(hex(NO_EXTENSIONS + '0010 0017 0000'));
    expect(m.extensions.map((e) => e.type)).toEqual([0x17]);
    expect(m.anomalies).toContain('client_hello_bad_extensions');
  });
  it('one extension overruns its block: the ones before it are kept', () => {
    // Block of 10 bytes: extended_master_secret (empty), then padding claiming 4 bytes but having 2.
    const m = ok(hex(NO_EXTENSIONS + '000a 0017 0000 0015 0004 0000'));
    expect(m.extensions.map((e) => e.type)).toEqual([0x17]);
    expect(m.anomalies).toContain('client_hello_bad_extensions');
  });
  it('a single stray byte after the compression methods is a damaged block with nothing in it', () => {
    const m = ok(hex(NO_EXTENSIONS + '00'));
    expect(m.extensions).toEqual([]);
    expect(m.anomalies).toContain('client_hello_bad_extensions');
  });
});

describe('parseClientHello: odd but readable hellos are anomalies', () => {
  it('trailing bytes after the extensions block', () => {
    const m = ok(hex(NO_EXTENSIONS + '0004 0017 0000' + 'beef'));
    expect(m.extensions.map((e) => e.type)).toEqual([23]);
    expect(m.anomalies).toEqual(['client_hello_trailing_bytes']);
  });
  it('empty cipher suites and compression methods', () => {
    const m = ok(hex('0303' + RANDOM + '00' + '0000' + '00'));
    expect(m.ciphers).toEqual([]);
    expect(m.compressionMethods).toEqual([]);
    expect(m.anomalies).toEqual(['client_hello_no_cipher_suites', 'client_hello_no_compression_methods']);
  });
  it('a bad ALPN body is an anomaly, the hello still parses', () => {
    // protocol_name_list holds 6 bytes, the name inside claims 9.
    const m = ok(withExtensions('0010 0008 0006 09 6832000000' + '000a 0004 0002 001d'));
    expect(m.alpn).toEqual([]);
    expect(m.supportedGroups).toEqual([0x1d]);
    expect(m.anomalies).toEqual(['ext_bad_alpn']);
  });
  it('an empty ALPN protocol name is kept (JA4 reads it) with an anomaly', () => {
    const m = ok(withExtensions('0010 0005 0003 00 01 61'));
    expect(m.alpn.map(toHex)).toEqual(['', '61']);
    expect(m.anomalies).toEqual(['alpn_empty_protocol_name']);
  });
  it('server_name: the first host_name wins, other name types are skipped', () => {
    // list: (type 7, "xxx"), (host_name, "host")
    const m = ok(withExtensions('0000 000f 000d 07 0003 787878 00 0004 686f7374'));
    expect(m.sni).toBe('host');
  });
  it('server_name bytes that are not UTF-8 decode with U+FFFD, never throw', () => {
    const m = ok(withExtensions('0000 0008 0006 00 0003 61ff62'));
    expect(m.sni).toBe('a\ufffdb');
    expect(m.anomalies).toEqual([]);
  });
  it('server_name with an empty host name is malformed', () => {
    const m = ok(withExtensions('0000 0005 0003 00 0000'));
    expect(m.sni).toBeNull();
    expect(m.anomalies).toEqual(['ext_bad_server_name']);
    // The extension is still on the list: JA4 counts it.
    expect(m.extensions.map((e) => e.type)).toEqual([0]);
  });
  it('malformed list extensions each give their own anomaly and stay empty', () => {
    const m = ok(
      withExtensions(
        [
          '000a 0003 0001 00', // supported_groups: odd list length
          '000b 0002 05 00', // ec_point_formats: list overruns
          '000d 0004 0004 0403', // signature_algorithms: list overruns
          '002b 0004 03 0304 03', // supported_versions: odd list length
          '0033 0006 0004 001d 0001', // key_share: key_exchange missing
          '002d 0001 02', // psk_key_exchange_modes: overrun
          'fe0d 0001 07', // ECH: unknown type
        ].join(''),
      ),
    );
    expect(m.supportedGroups).toEqual([]);
    expect(m.ecPointFormats).toEqual([]);
    expect(m.signatureAlgorithms).toEqual([]);
    expect(m.supportedVersions).toEqual([]);
    expect(m.keyShareGroups).toEqual([]);
    expect(m.pskModes).toEqual([]);
    expect(m.hasEch).toBe(true);
    expect(m.anomalies).toEqual([
      'ext_bad_supported_groups',
      'ext_bad_ec_point_formats',
      'ext_bad_signature_algorithms',
      'ext_bad_supported_versions',
      'ext_bad_key_share',
      'ext_bad_psk_key_exchange_modes',
      'ext_bad_encrypted_client_hello',
    ]);
  });
  it('trailing bytes inside an extension body make it malformed', () => {
    const m = ok(withExtensions('000a 0006 0002 001d 0017'));
    expect(m.supportedGroups).toEqual([]);
    expect(m.anomalies).toEqual(['ext_bad_supported_groups']);
  });
  it('duplicate extension: the first occurrence is decoded, both are kept raw', () => {
    const m = ok(withExtensions('000a 0004 0002 001d' + '000a 0004 0002 0017'));
    expect(m.supportedGroups).toEqual([0x1d]);
    expect(m.extensions.map((e) => e.type)).toEqual([10, 10]);
    expect(m.anomalies).toEqual(['extensions_duplicate']);
  });
  it('pre_shared_key that is not the last extension', () => {
    // identities: ("abc", age 0); binders: one 32-byte binder; then extended_master_secret.
    const psk = '0029 002e 0009 0003 616263 00000000 0021 20' + '00'.repeat(32);
    const m = ok(withExtensions(psk + '0017 0000'));
    expect(m.hasPreSharedKey).toBe(true);
    expect(m.anomalies).toEqual(['pre_shared_key_not_last']);
  });
  it('more than LIMITS.maxExtensions extensions: the rest are counted out, framing still checked', () => {
    const n = LIMITS.maxExtensions + 3;
    let exts = '';
    for (let i = 0; i < n; i++) exts += (0x1000 + i).toString(16).padStart(4, '0') + '0000';
    const m = ok(withExtensions(exts));
    expect(m.extensions.length).toBe(LIMITS.maxExtensions);
    expect(m.anomalies).toEqual(['extensions_limit_reached']);
  });
});
