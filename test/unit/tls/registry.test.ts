import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/bytes/reader.js';
import { isGrease, isGreasePskMode } from '../../../src/tls/grease.js';
import { alertName, ALERT_DESCRIPTIONS } from '../../../src/tls/registry/alerts.js';
import { cipherName, CIPHER_SUITES } from '../../../src/tls/registry/cipher-suites.js';
import { extensionName } from '../../../src/tls/registry/extension-types.js';
import { groupName } from '../../../src/tls/registry/named-groups.js';
import { signatureSchemeName } from '../../../src/tls/registry/signature-schemes.js';
import { versionName } from '../../../src/tls/registry/versions.js';
import { hex } from './helpers.js';

describe('isGrease (RFC 8701)', () => {
  it('recognises exactly the 16 values 0x0a0a, 0x1a1a … 0xfafa', () => {
    const all: number[] = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) all.push(v);
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => ((i << 4) | 0xa) * 0x101));
    expect(isGrease(0x0a1a)).toBe(false);
    expect(isGrease(0x0a0b)).toBe(false);
    expect(isGrease(0x00ff)).toBe(false);
  });
  it('PskKeyExchangeMode GREASE: 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4', () => {
    const all: number[] = [];
    for (let v = 0; v <= 0xff; v++) if (isGreasePskMode(v)) all.push(v);
    expect(all).toEqual([0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4]);
  });
});

describe('registries', () => {
  it('cipher suite names as IANA spells them, hex otherwise', () => {
    expect(cipherName(0xc02f)).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(cipherName(0x1301)).toBe('TLS_AES_128_GCM_SHA256');
    expect(cipherName(0xcca9)).toBe('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
    expect(cipherName(0x00ff)).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
    expect(cipherName(0x5600)).toBe('TLS_FALLBACK_SCSV');
    expect(cipherName(0x0003)).toBe('TLS_RSA_EXPORT_WITH_RC4_40_MD5');
    expect(cipherName(0x0018)).toBe('TLS_DH_anon_WITH_RC4_128_MD5');
    expect(cipherName(0x00c6)).toBe('TLS_SM4_GCM_SM3');
    expect(cipherName(0xc100)).toBe('TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC');
    expect(cipherName(0xd001)).toBe('TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256');
    expect(cipherName(0x0a0a)).toBe('0x0a0a');
    expect(cipherName(0x1234)).toBe('0x1234');
    expect(cipherName(0x0700c0)).toBe('SSL_DES_192_EDE3_CBC_WITH_MD5');
    for (const name of CIPHER_SUITES.values()) expect(name).toMatch(/^TLS_[A-Za-z0-9_]+$/);
  });
  it('named groups, extension types, signature schemes', () => {
    expect(groupName(0x11ec)).toBe('X25519MLKEM768');
    expect(groupName(0x11eb)).toBe('SecP256r1MLKEM768');
    expect(groupName(0x6399)).toBe('X25519Kyber768Draft00');
    expect(groupName(0x1d)).toBe('x25519');
    expect(groupName(0x2a2a)).toBe('0x2a2a');
    expect(extensionName(0)).toBe('server_name');
    expect(extensionName(0xfe0d)).toBe('encrypted_client_hello');
    expect(extensionName(0x44cd)).toBe('application_settings');
    expect(extensionName(0x1a1a)).toBe('0x1a1a');
    expect(signatureSchemeName(0x0804)).toBe('rsa_pss_rsae_sha256');
    expect(signatureSchemeName(0x0402)).toBe('dsa_sha256'); // TLS 1.2 (hash, signature) pair
    expect(signatureSchemeName(0x0303)).toBe('ecdsa_sha224');
    expect(signatureSchemeName(0x0a0a)).toBe('0x0a0a');
  });
  it('versionName', () => {
    expect(versionName(0x0002)).toBe('SSL 2.0');
    expect(versionName(0x0300)).toBe('SSL 3.0');
    expect(versionName(0x0301)).toBe('TLS 1.0');
    expect(versionName(0x0302)).toBe('TLS 1.1');
    expect(versionName(0x0303)).toBe('TLS 1.2');
    expect(versionName(0x0304)).toBe('TLS 1.3');
    expect(versionName(0x7f17)).toBe('TLS 1.3 draft-23');
    expect(versionName(0x7f1c)).toBe('TLS 1.3 draft-28');
    expect(versionName(0xfeff)).toBe('DTLS 1.0');
    expect(versionName(0xfefd)).toBe('DTLS 1.2');
    expect(versionName(0xfefc)).toBe('DTLS 1.3');
    expect(versionName(0x7e01)).toBe('0x7e01');
    expect(versionName(0x0a0a)).toBe('0x0a0a');
  });
  it('alert names in RFC 8446 snake_case', () => {
    expect(alertName(0)).toBe('close_notify');
    expect(alertName(40)).toBe('handshake_failure');
    expect(alertName(112)).toBe('unrecognized_name');
    expect(alertName(121)).toBe('ech_required');
    expect(alertName(200)).toBe('alert_200');
    for (const name of ALERT_DESCRIPTIONS.values()) expect(name).toMatch(/^[a-z0-9_]+$/);
  });
});

describe('ByteReader', () => {
  it('reads big-endian fields and length-prefixed views', () => {
    const r = new ByteReader(hex('01 0203 040506 8899aabb 02 cafe 0001 ff 000002 abcd'));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u24()).toBe(0x040506);
    expect(r.u32()).toBe(0x8899aabb);
    expect(Array.from(r.vec8())).toEqual([0xca, 0xfe]);
    expect(Array.from(r.vec16())).toEqual([0xff]);
    expect(Array.from(r.vec24())).toEqual([0xab, 0xcd]);
    expect(r.ok).toBe(true);
    expect(r.remaining).toBe(0);
  });
  it('an overrun clears ok, returns 0 / empty, and every later read fails too', () => {
    const r = new ByteReader(hex('0005 0102'));
    expect(r.vec16().length).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.u8()).toBe(0);
    expect(r.remaining).toBe(0);
  });
  it('respects a sub-range and can be reset', () => {
    const b = hex('00 0102 03');
    const r = new ByteReader(b, 1, 3);
    expect(r.u16()).toBe(0x0102);
    expect(r.u8()).toBe(0);
    expect(r.ok).toBe(false);
    r.reset(b, 3);
    expect(r.ok).toBe(true);
    expect(r.u8()).toBe(3);
    expect(r.has(1)).toBe(false);
    expect(r.has(-1)).toBe(false);
  });
});
