/** The certificate line of the text report: compact, and every capture-controlled string escaped. */
import { describe, expect, it } from 'vitest';
import type { CertificateRecord, SessionRecord, TlsRecord } from '../../../src/model/session.js';
import { certificateLine } from '../../../src/report/text.js';

const cert = (o: Partial<CertificateRecord>): CertificateRecord => ({
  subject: 'CN=a.test',
  issuer: 'CN=CA',
  serial: '01',
  sha1: '0'.repeat(40),
  sha256: '0'.repeat(64),
  not_before: '2024-01-01T00:00:00Z',
  not_after: '2024-04-01T00:00:00Z',
  san: [],
  key_type: 'ec',
  key_bits: 256,
  signature_algorithm: 'ecdsa-with-SHA256',
  self_signed: false,
  is_ca: false,
  validity_days: 91,
  key_curve: 'prime256v1',
  facts: [],
  ...o,
});

const session = (tls: Partial<TlsRecord> | null) => ({ tls }) as unknown as SessionRecord;

describe('certificateLine', () => {
  it('shows leaf subject <- issuer, validity, chain verdict, SNI match and facts', () => {
    const line = certificateLine(
      session({
        certificates: [cert({ facts: ['expired'] }), cert({ subject: 'CN=CA', facts: ['weak_signature'] })],
        chain_valid: false,
        chain_error: 'expired',
        sni_matches_cert: false,
        facts: ['expired', 'weak_signature', 'chain_order'],
      }),
    );
    expect(line).toBe('    cert: CN=a.test <- CN=CA | 2024-01-01..2024-04-01 | chain expired | sni mismatch | facts expired,chain_order,#1:weak_signature');
  });

  it('escapes control characters from the capture and is absent without certificates', () => {
    const line = certificateLine(
      session({ certificates: [cert({ subject: 'CN=evil\u001b[31m\nx', not_before: null })], chain_valid: true, chain_error: null, sni_matches_cert: null, facts: [] }),
    )!;
    expect([...line].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(line).toContain('CN=evil\\x1b[31m\\x0ax');
    expect(line).toContain('?..2024-04-01 | chain ok');
    expect(certificateLine(session({ certificates: [] }))).toBeNull();
    expect(certificateLine(session(null))).toBeNull();
  });
});
