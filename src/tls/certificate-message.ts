/**
 * Certificate handshake message (type 11) → the DER certificates, leaf first.
 *
 * TLS <= 1.2, RFC 5246 §7.4.2:
 *   opaque ASN.1Cert<1..2^24-1>;
 *   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 *
 * TLS 1.3, RFC 8446 §4.4.2 (only readable once the handshake is decrypted):
 *   struct {
 *       select (certificate_type) {
 *           case RawPublicKey: opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
 *           case X509:         opaque cert_data<1..2^24-1>;
 *       };
 *       Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *   struct {
 *       opaque certificate_request_context<0..2^8-1>;
 *       CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 *
 * Keeps copies of the first LIMITS.maxCertificatesPerChain certificates (they outlive the
 * packet); the framing of the rest is still checked. Lengths that overrun are a failure.
 * Errors: certificate_truncated, certificate_bad_list_length, certificate_bad_entry_length.
 * Anomalies: certificates_limit_reached, certificate_empty_entry, certificate_trailing_bytes.
 */

import { ByteReader } from '../bytes/reader.js';
import { LIMITS } from '../config/limits.js';
import { fail } from './parse-result.js';

export type CertificateMessageResult =
  | {
      ok: true;
      /** DER certificates (owned copies), leaf first, at most LIMITS.maxCertificatesPerChain. */
      value: Uint8Array[];
      /** Number of entries on the wire (may exceed `value.length`). */
      total: number;
      anomalies: string[];
    }
  | { ok: false; error: string };

/** @param tls13 true for the TLS 1.3 form (request context and per-entry extensions). */
export function parseCertificateMessage(body: Uint8Array, tls13 = false): CertificateMessageResult {
  const r = new ByteReader(body);
  if (tls13) {
    r.vec8(); // certificate_request_context
    if (!r.ok) return fail('certificate_truncated');
  }
  const listLen = r.u24();
  if (!r.ok) return fail('certificate_truncated');
  if (!r.has(listLen)) return fail('certificate_bad_list_length');

  const anomalies: string[] = [];
  const certs: Uint8Array[] = [];
  let total = 0;
  const listEnd = r.pos + listLen;
  const bodyEnd = r.end;
  r.end = listEnd; // entries may not run past the list
  while (r.remaining > 0) {
    const der = r.vec24();
    if (tls13) r.vec16(); // per-entry extensions (OCSP status, SCTs): not kept
    if (!r.ok) return fail('certificate_bad_entry_length');
    total++;
    if (der.length === 0) {
      if (!anomalies.includes('certificate_empty_entry')) anomalies.push('certificate_empty_entry');
      continue;
    }
    if (certs.length < LIMITS.maxCertificatesPerChain) certs.push(der.slice());
    else if (!anomalies.includes('certificates_limit_reached')) anomalies.push('certificates_limit_reached');
  }
  r.end = bodyEnd;
  if (r.remaining > 0) anomalies.push('certificate_trailing_bytes');
  return { ok: true, value: certs, total, anomalies };
}
