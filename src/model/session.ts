/**
 * SessionRecord: the contract every output shares (../shared/design.md, "The session record").
 * JSON Lines prints one per connection with exactly these snake_case keys, in this order;
 * absent values are null, lists may be empty. More keys may be added; none may be renamed.
 */

export type Transport = 'tcp' | 'udp';
export type AppProtocol = 'tls' | 'quic' | 'dtls' | 'http' | 'ssh' | 'openvpn' | 'socks' | 'unknown' | 'none';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Verdict = 'ok' | 'suspicious' | 'malicious';

export interface CertificateRecord {
  subject: string | null;
  issuer: string | null;
  /** Lowercase hex, no colons, no leading zero bytes. */
  serial: string | null;
  sha1: string;
  sha256: string;
  not_before: string | null;
  not_after: string | null;
  san: string[];
  key_type: string | null;
  key_bits: number | null;
  signature_algorithm: string | null;
  self_signed: boolean | null;
  is_ca: boolean | null;
  /** notBefore to notAfter, both ends inclusive (RFC 5280 §4.1.2.5), in whole days. */
  validity_days: number | null;
  /** EC curve name ("prime256v1", "secp384r1"...), "explicit" for inline parameters; null for other keys. */
  key_curve: string | null;
  /**
   * Facts about this certificate at this session's capture time (x509/traits.ts FACT_NAMES):
   * e.g. "expired", "weak_key". Unlike the fields above they depend on the session, so a
   * certificate shared by sessions may carry different facts in each.
   */
  facts: string[];
}

export interface TlsRecord {
  /** Record-layer version of the first ClientHello record, e.g. "TLS 1.0". */
  record_version: string | null;
  /** ClientHello legacy version, e.g. "TLS 1.2". */
  client_version: string | null;
  /** Negotiated version (supported_versions of the ServerHello, else its legacy version). */
  version: string | null;
  sni: string | null;
  /** ALPN protocols the client offered, in order. */
  alpn: string[];
  alpn_selected: string | null;
  /** Cipher suite the server chose, IANA name (hex code when unnamed). */
  cipher: string | null;
  /** Number of cipher suites the client offered (GREASE excluded). */
  ciphers_offered: number | null;
  ja3: string | null;
  ja3_string: string | null;
  ja3s: string | null;
  ja3s_string: string | null;
  ja4: string | null;
  ja4_r: string | null;
  ja4_o: string | null;
  ja4_ro: string | null;
  resumed: boolean;
  hello_retry: boolean;
  ech: boolean;
  established: boolean;
  /** Name of the first plaintext alert seen, e.g. "handshake_failure". */
  alert: string | null;
  /** Server chain, leaf first. Only visible in clear for TLS <= 1.2. */
  certificates: CertificateRecord[];
  /**
   * The chain builds to a trusted root (Node's Mozilla roots + --ca-bundle) and is valid at
   * capture time; null when no certificate was visible (TLS 1.3, resumption).
   */
  chain_valid: boolean | null;
  /** Why not (x509/chain.ts CHAIN_ERRORS): unknown_issuer, self_signed, expired, bad_signature... */
  chain_error: string | null;
  /** SNI vs the leaf per RFC 6125 (x509/hostname.ts); null without SNI or certificate. */
  sni_matches_cert: boolean | null;
  /** Every certificate fact of the chain plus chain-level ones (chain_order...), each once. */
  facts: string[];
  /** QUIC version of a QUIC session (e.g. "QUIC v1", "QUIC v2", "draft-29"), else null. */
  quic_version: string | null;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
}

export interface SessionRecord {
  session_id: string;
  start: string;
  end: string;
  transport: Transport;
  client_ip: string;
  client_port: number;
  server_ip: string;
  server_port: number;
  protocol: AppProtocol;
  packets: number;
  bytes_client: number;
  bytes_server: number;
  tls: TlsRecord | null;
  findings: Finding[];
  score: number;
  verdict: Verdict;
  anomalies: string[];
  /** Zeek-style handshake history: one letter per message, client upper-case (debugging aid). */
  history: string;
}
