/**
 * The TLS 1.3 server flight decrypted with a key-log secret: RFC 8448 §3 (the server handshake
 * traffic secret and its one protected record -> EncryptedExtensions, Certificate,
 * CertificateVerify, Finished), plus records split, a wrong key, and the other suites.
 */
import { createCipheriv } from 'node:crypto';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { hkdfExpandLabel, tls13Suite, xorNonce } from '../../../src/keylog/key-schedule.js';
import { ServerFlight } from '../../../src/keylog/server-flight.js';
import { decryptServerHandshakeFlight, Tls13HandshakeDecryptor, trafficKeys } from '../../../src/keylog/tls13-decryptor.js';
import { concat, handshake, hex, toHex } from '../tls/helpers.js';
import { CERT_1RTT, EE_1RTT } from '../tls/rfc8448.js';
import { CV_1RTT_PREFIX, FINISHED_1RTT, SERVER_FLIGHT_RECORD, SERVER_HS_IV, SERVER_HS_KEY, SERVER_HS_TRAFFIC_SECRET } from './rfc8448-flight.js';

const EMPTY = new Uint8Array(0);

describe('RFC 8448 §3 simple 1-RTT handshake', () => {
  it('derives the server handshake write key and iv ("tls13 key", "tls13 iv")', () => {
    const k = trafficKeys(hex(SERVER_HS_TRAFFIC_SECRET), 0x1301)!;
    expect(toHex(k.key)).toBe(SERVER_HS_KEY);
    expect(toHex(k.iv)).toBe(SERVER_HS_IV);
    // The HkdfLabel the RFC prints: "key info (13 octets): 00 10 09 74 6c 73 31 33 20 6b 65 79 00".
    expect(toHex(hkdfExpandLabel('sha256', hex(SERVER_HS_TRAFFIC_SECRET), 'key', EMPTY, 16))).toBe(SERVER_HS_KEY);
  });

  it('decrypts the 679-octet record into EncryptedExtensions, Certificate, CertificateVerify and Finished', () => {
    const record = hex(SERVER_FLIGHT_RECORD);
    const d = new Tls13HandshakeDecryptor(hex(SERVER_HS_TRAFFIC_SECRET), 0x1301);
    const r = d.record(record[0]!, (record[1]! << 8) | record[2]!, record.subarray(5));
    if (!r.ok) throw new Error(r.error);
    expect(r.messages.map((m) => m.type)).toEqual([8, 11, 15, 20]);
    const ee = hex(EE_1RTT);
    const cert = hex(CERT_1RTT);
    expect(toHex(r.messages[0]!.body)).toBe(toHex(ee.subarray(4)));
    expect(toHex(r.messages[1]!.body)).toBe(toHex(cert.subarray(4)));
    expect(toHex(r.messages[2]!.body.subarray(0, 7))).toBe(CV_1RTT_PREFIX.slice(8));
    expect(r.messages[2]!.body.length).toBe(132);
    expect(toHex(r.messages[3]!.body)).toBe(FINISHED_1RTT.slice(8));
    expect(d.finished).toBe(true);
    // After Finished the keys change: later records are not for this decryptor.
    expect(d.record(23, 0x0303, new Uint8Array(40))).toEqual({ ok: true, messages: [], alert: null });

    const flight = new ServerFlight();
    for (const m of r.messages) flight.message(m.type, m.body);
    expect(flight.certificates.length).toBe(1);
    // The leaf is the RFC's "rsa" certificate, DER as printed.
    expect(toHex(flight.certificates[0]!)).toBe(toHex(cert.subarray(4 + 4 + 3, 4 + 4 + 3 + 0x1b0)));
    expect(flight.encryptedExtensions!.map((e) => e.type)).toEqual([10, 28, 0]);
    expect(flight.alpnSelected).toBeNull();
    expect(flight.certificateVerify && flight.finished).toBe(true);
    expect(flight.anomalies).toEqual([]);
  });

  it('a wrong secret is `keylog_decrypt_failed`, once and for all, never a throw', () => {
    const record = hex(SERVER_FLIGHT_RECORD);
    const secret = hex(SERVER_HS_TRAFFIC_SECRET);
    secret[0] = secret[0]! ^ 1;
    const d = new Tls13HandshakeDecryptor(secret, 0x1301);
    expect(d.record(23, 0x0303, record.subarray(5))).toEqual({ ok: false, error: 'keylog_decrypt_failed' });
    expect(d.record(23, 0x0303, record.subarray(5))).toEqual({ ok: false, error: 'keylog_decrypt_failed' });
    // A flipped ciphertext byte fails the tag too.
    const bad = record.slice(5);
    bad[100] = bad[100]! ^ 0x80;
    expect(new Tls13HandshakeDecryptor(hex(SERVER_HS_TRAFFIC_SECRET), 0x1301).record(23, 0x0303, bad).ok).toBe(false);
    expect(new Tls13HandshakeDecryptor(secret, 0xc02f).error).toBe('tls13_unsupported_cipher_suite');
    expect(new Tls13HandshakeDecryptor(secret.subarray(0, 20), 0x1301).error).toBe('keylog_secret_wrong_length');
  });

  it('decryptServerHandshakeFlight: the same, from a list of records', () => {
    const record = hex(SERVER_FLIGHT_RECORD);
    const r = decryptServerHandshakeFlight(hex(SERVER_HS_TRAFFIC_SECRET), 0x1301, [
      { type: 20, version: 0x0303, body: Uint8Array.of(1) },
      { type: 23, version: 0x0303, body: record.subarray(5) },
      { type: 23, version: 0x0303, body: new Uint8Array(30) },
    ]);
    expect(r.error).toBeNull();
    expect(r.flight.certificates.length).toBe(1);
    expect(r.flight.finished).toBe(true);
  });

  it('passes over the compatibility ChangeCipherSpec and reports a plaintext alert', () => {
    const d = new Tls13HandshakeDecryptor(hex(SERVER_HS_TRAFFIC_SECRET), 0x1301);
    expect(d.record(20, 0x0303, Uint8Array.of(1))).toEqual({ ok: true, messages: [], alert: null });
    expect(d.record(21, 0x0303, Uint8Array.of(2, 40))).toEqual({ ok: true, messages: [], alert: [2, 40] });
    const record = hex(SERVER_FLIGHT_RECORD);
    const r = d.record(23, 0x0303, record.subarray(5));
    expect(r.ok && r.messages.length).toBe(4);
  });
});

/** Seals TLSInnerPlaintext records the way a TLS 1.3 server does (RFC 8446 §5.2). */
function sealRecords(secret: Uint8Array, suite: number, inner: { type: number; content: Uint8Array; pad?: number }[]): Uint8Array[] {
  const k = trafficKeys(secret, suite)!;
  return inner.map((rec, seq) => {
    const plain = concat(rec.content, Uint8Array.of(rec.type), new Uint8Array(rec.pad ?? 0));
    const len = plain.length + 16;
    const aad = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const nonce = xorNonce(k.iv, seq);
    const c =
      k.suite.aead === 'chacha20-poly1305'
        ? createCipheriv('chacha20-poly1305', k.key, nonce, { authTagLength: 16 })
        : createCipheriv(k.suite.aead as 'aes-128-gcm', k.key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: plain.length });
    const ct = concat(c.update(plain), c.final(), c.getAuthTag());
    return ct;
  });
}

describe.each([
  { suite: 0x1301, len: 32 },
  { suite: 0x1302, len: 48 },
  { suite: 0x1303, len: 32 },
])('suite 0x$suite', ({ suite, len }) => {
  it('reassembles handshake messages split across records, strips padding, counts sequence numbers', () => {
    const secret = new Uint8Array(len).map((_, i) => i * 7 + 1);
    expect(tls13Suite(suite)!.hashLength).toBe(len);
    const ee = handshake(8, hex('0009 0010 0005 0003 02 6832'));
    const cert = hex(CERT_1RTT);
    const fin = handshake(20, new Uint8Array(len));
    const stream = concat(ee, cert, fin);
    const cut1 = ee.length + 10;
    const cut2 = ee.length + cert.length + 2;
    const records = sealRecords(secret, suite, [
      { type: 22, content: stream.subarray(0, cut1), pad: 5 },
      { type: 22, content: stream.subarray(cut1, cut2) },
      { type: 22, content: stream.subarray(cut2), pad: 100 },
    ]);
    const d = new Tls13HandshakeDecryptor(secret, suite);
    const flight = new ServerFlight();
    const types: number[] = [];
    for (const rec of records) {
      const r = d.record(23, 0x0303, rec);
      if (!r.ok) throw new Error(r.error);
      for (const m of r.messages) {
        types.push(m.type);
        flight.message(m.type, m.body);
      }
    }
    expect(types).toEqual([8, 11, 20]);
    expect(Buffer.from(flight.alpnSelected!).toString()).toBe('h2');
    expect(flight.certificates.length).toBe(1);
    expect(d.finished).toBe(true);
  });
});

describe('caps', () => {
  it('a flight spread over more than LIMITS.maxEncryptedHandshakeRecords records stops (tls13_handshake_records_limit_reached)', () => {
    const secret = new Uint8Array(32).fill(3);
    const big = handshake(11, new Uint8Array(4 * (LIMITS.maxEncryptedHandshakeRecords + 1)));
    const pieces = Array.from({ length: LIMITS.maxEncryptedHandshakeRecords + 1 }, (_, i) => ({ type: 22, content: big.subarray(4 * i, 4 * i + 4) }));
    const d = new Tls13HandshakeDecryptor(secret, 0x1301);
    const results = sealRecords(secret, 0x1301, pieces).map((rec) => d.record(23, 0x0303, rec));
    expect(results.slice(0, -1).every((r) => r.ok)).toBe(true);
    expect(results.at(-1)).toEqual({ ok: false, error: 'tls13_handshake_records_limit_reached' });
  });
});

describe('ServerFlight: CompressedCertificate (RFC 8879)', () => {
  const body = hex(CERT_1RTT).subarray(4);
  const u24 = (n: number) => Uint8Array.of((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  const compressed = (alg: number, data: Uint8Array, len = body.length) => concat(Uint8Array.of(alg >> 8, alg & 0xff), u24(len), u24(data.length), data);

  it.each([
    { alg: 1, name: 'zlib', pack: (b: Uint8Array) => new Uint8Array(deflateSync(b)) },
    { alg: 2, name: 'brotli', pack: (b: Uint8Array) => new Uint8Array(brotliCompressSync(b)) },
  ])('$name: decompressed and read as a Certificate', ({ alg, pack }) => {
    const f = new ServerFlight();
    f.message(25, compressed(alg, pack(body)));
    expect(f.certificateCompression).toBe(alg);
    expect(f.certificates.length).toBe(1);
    expect(f.anomalies).toEqual([]);
  });

  it('a wrong uncompressed_length, garbage and unknown algorithms are anomalies', () => {
    const wrongLength = new ServerFlight();
    wrongLength.message(25, compressed(1, new Uint8Array(deflateSync(body)), body.length - 1));
    expect(wrongLength.anomalies).toEqual(['certificate_decompression_failed']);
    const garbage = new ServerFlight();
    garbage.message(25, compressed(2, hex('0102030405')));
    expect(garbage.anomalies).toEqual(['certificate_decompression_failed']);
    const unknown = new ServerFlight();
    unknown.message(25, compressed(0x4242, hex('0102030405')));
    expect(unknown.anomalies).toEqual(['certificate_compression_unsupported']);
    expect(unknown.certificates).toEqual([]);
  });
});
