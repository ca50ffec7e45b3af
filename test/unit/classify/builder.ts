/** Minimal SessionRecord / TlsRecord / CertificateRecord objects with defaults, for rule tests. */
import type { CertificateRecord, SessionRecord, TlsRecord } from '../../../src/model/session.js';

let counter = 0;

export function cert(over: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    subject: 'CN=www.example.net', issuer: 'CN=Some CA,O=Some CA Inc,C=US', serial: '0a1b2c3d',
    sha1: '11'.repeat(20), sha256: '22'.repeat(32), not_before: '2026-01-01T00:00:00Z', not_after: '2026-12-31T23:59:59Z',
    san: ['www.example.net'], key_type: 'rsa', key_bits: 2048, signature_algorithm: 'sha256WithRSAEncryption',
    self_signed: false, is_ca: false, validity_days: 365, key_curve: null, facts: [], ...over,
  };
}

export function tls(over: Partial<TlsRecord> = {}): TlsRecord {
  return {
    record_version: 'TLS 1.0', client_version: 'TLS 1.2', version: 'TLS 1.3', sni: 'www.example.net', alpn: ['h2', 'http/1.1'],
    alpn_selected: 'h2', cipher: 'TLS_AES_128_GCM_SHA256', ciphers_offered: 3,
    ja3: 'aa'.repeat(16), ja3_string: '771,4865-4866-4867,0-10-11,29-23,0', ja3s: 'bb'.repeat(16), ja3s_string: '771,4865,43-51',
    ja4: 't13d0303h2_aaaaaaaaaaaa_bbbbbbbbbbbb', ja4_r: 't13d0303h2_1301,1302,1303_000a,000b', ja4_o: null, ja4_ro: null,
    resumed: false, hello_retry: false, ech: false, established: true, alert: null, certificates: [],
    chain_valid: null, chain_error: null, sni_matches_cert: null, facts: [], quic_version: null, ...over,
  };
}

export function session(over: Partial<SessionRecord> = {}): SessionRecord {
  counter++;
  return {
    session_id: `s${counter}`, start: '2026-06-01T12:00:00.000000Z', end: '2026-06-01T12:00:01.000000Z', transport: 'tcp',
    client_ip: '192.0.2.10', client_port: 40000 + counter, server_ip: '198.51.100.20', server_port: 443, protocol: 'tls',
    packets: 12, bytes_client: 600, bytes_server: 4000, tls: tls(), findings: [], score: 0, verdict: 'ok', anomalies: [], history: 'HsgG',
    ...over,
  };
}

/** A TLS 1.2 session whose server chain is visible. */
export function withChain(certs: CertificateRecord[], over: Partial<TlsRecord> = {}, sOver: Partial<SessionRecord> = {}): SessionRecord {
  return session({
    ...sOver,
    tls: tls({ version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', certificates: certs, chain_valid: true, sni_matches_cert: true, ...over }),
  });
}

/** ISO time `seconds` after a base instant. */
export function at(seconds: number): string {
  const ms = Date.parse('2026-06-01T12:00:00Z') + Math.round(seconds * 1000);
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
