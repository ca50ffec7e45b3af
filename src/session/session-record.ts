/**
 * Turns a finished flow into its SessionRecord (model/session.ts), the one shape every output
 * shares. Keys are written in the documented order so JSON output is deterministic.
 */
import type { Flow } from '../flow/flow.js';
import { negotiatedVersion, type HandshakeSummary } from '../model/handshake.js';
import { quicVersionName } from '../quic/versions.js';
import type { SessionRecord, TlsRecord } from '../model/session.js';
import { sha256Hex } from '../fingerprint/hash.js';
import { clientFingerprints } from '../fingerprint/client-fingerprints.js';
import { ja3s } from '../fingerprint/ja3s.js';
import { isGrease } from '../tls/grease.js';
import { cipherName } from '../tls/registry/cipher-suites.js';
import { versionName } from '../tls/registry/versions.js';
import { isoMicros } from './time.js';
import type { ChainReport } from '../x509/certificate-record.js';

/**
 * The server chain (DER, leaf first), the SNI and the capture time (µs) -> certificate records,
 * chain validation, SNI match and facts (x509/certificate-record.ts CertificateAnalyzer).
 */
export type ChainDescriber = (ders: readonly Uint8Array[], sni: string | null, atUs: number) => ChainReport;

/**
 * What a flow's handshake says, in the record's terms. The pipeline takes it as soon as the
 * flow's inspection is done, then lets the flow drop its analyzers (Flow.releaseAnalyzers).
 */
export interface HandshakePart {
  /** The record's `tls`, or null. */
  tls: TlsRecord | null;
  /** Anomalies of the handshake, the hellos and the certificates. */
  anomalies: string[];
  history: string;
  /** The raw direction the TLS analyzer saw the ClientHello come from, or null. */
  tlsClientDir: 0 | 1 | null;
  /** TLS (over TCP, or inside OpenVPN) showed a ClientHello or a ServerHello. */
  tlsHello: boolean;
}

export function handshakePart(flow: Flow, describeChain: ChainDescriber): HandshakePart {
  const hs = flow.handshake();
  // Certificates are judged at the session's first packet time, never at wall-clock time.
  const chain = hs !== null && hs.certificates.length > 0 ? describeChain(hs.certificates, hs.clientHello?.sni ?? null, flow.firstTs) : null;
  return {
    tls: hs !== null && (hs.clientHello !== null || hs.serverHello !== null || chain !== null) ? tlsRecord(hs, chain) : null,
    anomalies: [...(hs?.anomalies ?? []), ...helloAnomalies(hs), ...(chain?.anomalies ?? [])],
    history: hs?.history ?? '',
    tlsClientDir: flow.tls?.clientDir ?? null,
    tlsHello: flow.tls !== null && (flow.tls.clientHello !== null || flow.tls.serverHello !== null),
  };
}

export function toSessionRecord(flow: Flow, hs: HandshakePart): SessionRecord {
  // A ClientHello seen from the side first taken for the server swaps the roles, unless a SYN
  // already said who opened the connection.
  let clientDir = flow.clientDir;
  if (!flow.clientFromSyn && hs.tlsClientDir !== null) clientDir = hs.tlsClientDir;
  const c = clientDir === 0;
  const record: SessionRecord = {
    session_id: sessionId(flow),
    start: isoMicros(flow.firstTs),
    end: isoMicros(flow.lastTs),
    transport: flow.transport,
    client_ip: c ? flow.aIp : flow.bIp,
    client_port: c ? flow.aPort : flow.bPort,
    server_ip: c ? flow.bIp : flow.aIp,
    server_port: c ? flow.bPort : flow.aPort,
    protocol: flow.protocol ?? 'none',
    packets: flow.packets,
    bytes_client: flow.payloadBytes[clientDir],
    bytes_server: flow.payloadBytes[clientDir === 0 ? 1 : 0],
    tls: hs.tls,
    findings: [],
    score: 0,
    verdict: 'ok',
    anomalies: [...new Set([...flow.anomalies, ...hs.anomalies])].sort(),
    history: hs.history,
  };
  return record;
}

/** Stable id: transport, both endpoints and the first packet's time (design.md). */
function sessionId(flow: Flow): string {
  return sha256Hex(`${flow.transport}|${flow.aIp}|${flow.aPort}|${flow.bIp}|${flow.bPort}|${flow.firstTs}`).slice(0, 20);
}

function helloAnomalies(hs: HandshakeSummary | null): string[] {
  if (hs === null) return [];
  return [...(hs.clientHello?.anomalies ?? []), ...(hs.serverHello?.anomalies ?? [])];
}

function tlsRecord(tls: HandshakeSummary, chain: ChainReport | null): TlsRecord {
  const ch = tls.clientHello;
  // Without a final ServerHello (the capture ends, or the client gave up), a HelloRetryRequest
  // still says what the server chose: version (supported_versions), cipher, its extensions.
  const sh = tls.serverHello ?? tls.helloRetryRequest;
  const client = ch !== null ? clientFingerprints(ch) : null;
  const fp3 = client?.ja3 ?? null;
  const fp4 = client?.ja4 ?? null;
  const fp3s = sh !== null ? ja3s(sh) : null;
  return {
    record_version: tls.clientRecordVersion !== null ? versionName(tls.clientRecordVersion) : null,
    client_version: ch !== null ? versionName(ch.version) : null,
    version: sh !== null ? versionName(negotiatedVersion(sh)) : tls.impliedVersion !== null ? versionName(tls.impliedVersion) : null,
    sni: ch?.sni ?? null,
    alpn: ch !== null ? ch.alpn.map(alpnText) : [],
    alpn_selected: sh?.alpn != null ? alpnText(sh.alpn) : tls.decryptedAlpn !== null ? alpnText(tls.decryptedAlpn) : null,
    cipher: sh !== null ? cipherName(sh.cipher) : null,
    ciphers_offered: ch !== null ? ch.ciphers.filter((v) => !isGrease(v)).length : null,
    ja3: fp3?.hash ?? null,
    ja3_string: fp3?.raw ?? null,
    ja3s: fp3s?.hash ?? null,
    ja3s_string: fp3s?.raw ?? null,
    ja4: fp4?.ja4 ?? null,
    ja4_r: fp4?.ja4_r ?? null,
    ja4_o: fp4?.ja4_o ?? null,
    ja4_ro: fp4?.ja4_ro ?? null,
    resumed: tls.resumed,
    hello_retry: tls.helloRetryRequest !== null,
    ech: ch?.hasEch ?? false,
    established: tls.established,
    alert: tls.alert,
    certificates: chain?.certificates ?? [],
    chain_valid: chain?.chain_valid ?? null,
    chain_error: chain?.chain_error ?? null,
    sni_matches_cert: chain?.sni_matches_cert ?? null,
    facts: chain?.facts ?? [],
    quic_version: tls.quicVersion !== null ? quicVersionName(tls.quicVersion) : null,
  };
}

/**
 * An ALPN protocol id is bytes (RFC 7301 §3.1); printable ASCII ones are shown as text, any
 * other as "0x" + hex so that no information is lost and nothing unprintable is output.
 */
export function alpnText(bytes: Uint8Array): string {
  let printable = bytes.length > 0;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) printable = false;
  if (printable) return String.fromCharCode(...bytes);
  return '0x' + Buffer.from(bytes).toString('hex');
}
