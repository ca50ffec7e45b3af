import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { parseCertificateMessage } from '../../../src/tls/certificate-message.js';
import { hex, toHex } from './helpers.js';
import { CERT_1RTT } from './rfc8448.js';

/** TLS 1.2 Certificate body: certificate_list of two stand-in "DER" blobs. */
const TLS12_TWO = [
  '000012', // certificate_list, 18 bytes
  '000005 3003020101', // leaf
  '000007 30050203010001', // issuer
].join('');

describe('parseCertificateMessage', () => {
  it('TLS <= 1.2 form: copies of each DER, leaf first', () => {
    const b = hex(TLS12_TWO);
    const r = parseCertificateMessage(b);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map(toHex)).toEqual(['3003020101', '30050203010001']);
    expect(r.total).toBe(2);
    expect(r.anomalies).toEqual([]);
    b.fill(0);
    expect(toHex(r.value[0]!)).toBe('3003020101'); // owned copies
  });

  it('TLS 1.3 form (RFC 8448 §3): request context and per-entry extensions', () => {
    const r = parseCertificateMessage(hex(CERT_1RTT).subarray(4), true);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.length).toBe(1);
    expect(r.value[0]!.length).toBe(0x1b0);
    expect(toHex(r.value[0]!.subarray(0, 4))).toBe('308201ac');
    expect(r.anomalies).toEqual([]);
    // Read as the TLS 1.2 form the same bytes do not frame.
    expect(parseCertificateMessage(hex(CERT_1RTT).subarray(4), false).ok).toBe(false);
  });

  it('empty certificate list (a client without a certificate)', () => {
    const r = parseCertificateMessage(hex('000000'));
    expect(r.ok && r.value).toEqual([]);
  });

  it(`keeps at most LIMITS.maxCertificatesPerChain (${LIMITS.maxCertificatesPerChain})`, () => {
    const n = LIMITS.maxCertificatesPerChain + 2;
    const entry = '000002 3000';
    const list = entry.repeat(n).replace(/\s/g, '');
    const r = parseCertificateMessage(hex((list.length / 2).toString(16).padStart(6, '0') + list));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.length).toBe(LIMITS.maxCertificatesPerChain);
    expect(r.total).toBe(n);
    expect(r.anomalies).toEqual(['certificates_limit_reached']);
  });

  it('empty entries and trailing bytes are anomalies', () => {
    const r = parseCertificateMessage(hex('000008 000000 000002 3000 ffff'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map(toHex)).toEqual(['3000']);
    expect(r.anomalies).toEqual(['certificate_empty_entry', 'certificate_trailing_bytes']);
  });

  it('lengths that overrun fail', () => {
    const e = (h: string, tls13 = false): string => {
      const r = parseCertificateMessage(hex(h), tls13);
      return r.ok ? 'ok' : r.error;
    };
    expect(e('0000')).toBe('certificate_truncated');
    expect(e('05 0102', true)).toBe('certificate_truncated');
    expect(e('000010 000002 3000')).toBe('certificate_bad_list_length');
    expect(e('000005 000009 3000')).toBe('certificate_bad_entry_length');
    // TLS 1.3 entry whose extensions overrun the list.
    expect(e('00 000007 000002 3000 0005', true)).toBe('certificate_bad_entry_length');
  });
});
