/** Synthetic session records for the report tests: a clean base, hostile strings, findings. */
import type { CertificateRecord, Finding, SessionRecord, Severity } from '../../../src/model/session.js';

export const HOSTILE_SNI = '<script>window.__pwned=1</script>';
export const HOSTILE_SUBJECT = '"><img src=x onerror="window.__pwned=2">';

export function certificate(over: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    subject: 'CN=example.test',
    issuer: 'CN=Example CA',
    serial: '01ab',
    sha1: 'a'.repeat(40),
    sha256: 'b'.repeat(64),
    not_before: '2026-01-01T00:00:00Z',
    not_after: '2027-01-01T00:00:00Z',
    san: ['example.test', 'www.example.test'],
    key_type: 'RSA',
    key_bits: 2048,
    signature_algorithm: 'sha256WithRSAEncryption',
    self_signed: false,
    is_ca: false,
    validity_days: 366,
    key_curve: null,
    facts: [],
    ...over,
  };
}

export function session(n: number, over: Partial<SessionRecord> = {}, tls: Partial<NonNullable<SessionRecord['tls']>> = {}): SessionRecord {
  const sec = String(10 + n).padStart(2, '0');
  return {
    session_id: `sess${String(n).padStart(16, '0')}`,
    start: `2026-11-24T18:27:${sec}.100000Z`,
    end: `2026-11-24T18:27:${sec}.900000Z`,
    transport: 'tcp',
    client_ip: '10.0.0.2',
    client_port: 40000 + n,
    server_ip: '192.0.2.10',
    server_port: 443,
    protocol: 'tls',
    packets: 12,
    bytes_client: 600,
    bytes_server: 3000,
    tls: {
      record_version: 'TLS 1.0',
      client_version: 'TLS 1.2',
      version: 'TLS 1.2',
      sni: `host${n}.example.test`,
      alpn: ['h2', 'http/1.1'],
      alpn_selected: 'h2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      ciphers_offered: 17,
      ja3: 'c'.repeat(32),
      ja3_string: '771,49199,0-11,29,0',
      ja3s: 'd'.repeat(32),
      ja3s_string: '771,49199,0',
      ja4: 't12d1709h2_8daaf6152771_b186095e22b6',
      ja4_r: null,
      ja4_o: null,
      ja4_ro: null,
      resumed: false,
      hello_retry: false,
      ech: false,
      established: true,
      alert: null,
      certificates: [certificate()],
      chain_valid: true,
      chain_error: null,
      sni_matches_cert: true,
      facts: [],
      quic_version: null,
      ...tls,
    },
    findings: [],
    score: 0,
    verdict: 'ok',
    anomalies: [],
    history: 'ShAD',
    ...over,
  };
}

export function finding(rule: string, severity: Severity, evidence: Record<string, unknown> = {}, message = `${rule} fired`): Finding {
  return { rule, severity, message, evidence };
}

/** Six sessions: clean, low, critical, high (hostile SNI), medium (hostile subject), info. */
export function sample(): SessionRecord[] {
  return [
    session(0),
    session(1, { findings: [finding('self_signed', 'low', { subject: 'CN=x' })], score: 20, verdict: 'suspicious' }),
    session(2, { findings: [finding('known_c2_ja3', 'critical', { ja3: 'c'.repeat(32), list: 'abuse.ch' }), finding('sni_mismatch', 'medium')], score: 95, verdict: 'malicious' }),
    session(3, { findings: [finding('sni_mismatch', 'high', { sni: HOSTILE_SNI })], score: 70, verdict: 'malicious' }, { sni: HOSTILE_SNI, sni_matches_cert: false }),
    session(4, { findings: [finding('self_signed', 'medium', { subject: HOSTILE_SUBJECT })], score: 40, verdict: 'suspicious' }, {
      certificates: [certificate({ subject: HOSTILE_SUBJECT, issuer: HOSTILE_SUBJECT, self_signed: true, facts: ['self_signed'] })],
      chain_valid: false,
      chain_error: 'self_signed',
    }),
    session(5, { findings: [finding('rare_alpn', 'info')], score: 5 }),
  ];
}

export const META = { title: 'Review of test.pcap', generatedFrom: 'test.db', runs: [{ id: 1, file: 'test.pcap', status: 'complete' }] };
