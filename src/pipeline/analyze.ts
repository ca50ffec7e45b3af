/**
 * The composition root: the only place that knows the whole data flow
 *   capture -> decode -> flow table (+ TCP reassembly, TLS analyzer) -> session records
 *   -> classifier -> onSession.
 * Reading bytes is the only async step; each packet then runs synchronously to the end.
 * A session is built, classified and handed on when its flow ends (FIN/RST linger, idle
 * timeout, table eviction, end of capture), so nothing grows with the capture: sessions come
 * out in the order their flows end, which is deterministic for a given capture.
 */
import type { Readable } from 'node:stream';
import { readCapture, type ReadSummary } from '../capture/source.js';
import { KeyLog, SECRETS_TYPE_TLS_KEY_LOG } from '../keylog/key-log.js';
import { RunClassifier } from '../classify/classifier.js';
import type { Policy } from '../classify/policy.js';
import type { IntelLookup } from '../classify/rule.js';
import type { C2Trait } from '../classify/c2-traits.js';
import type { CapturedPacket } from '../capture/packet.js';
import { DecodedPacket, DecodeStatus } from '../decode/decoded-packet.js';
import { PacketDecoder } from '../decode/packet-decoder.js';
import type { Flow } from '../flow/flow.js';
import { FlowTable } from '../flow/flow-table.js';
import type { SessionRecord } from '../model/session.js';
import { handshakePart, toSessionRecord, type HandshakePart } from '../session/session-record.js';
import { bySessionOrder } from '../session/session-order.js';
import { CertificateAnalyzer } from '../x509/certificate-record.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import { DnsLog } from '../dns/dns-log.js';
import type { BaselineLookup } from '../baseline/baseline.js';

export interface AnalyzeOptions {
  /** Service ports: flows touching them are always reported (default 443). */
  ports: ReadonlySet<number>;
  /** Report every TCP/UDP flow, whatever its ports. */
  allPorts: boolean;
  /** A site's own CAs (--ca-bundle, parsed by the CLI), trusted beside Node's bundled roots. */
  caCertificates?: readonly ParsedCertificate[];
  /**
   * TLS secrets (--keylog, NSS key log format) to decrypt TLS 1.3 and QUIC handshakes; secrets
   * found in the capture's own pcapng Decryption Secrets Blocks are added to it.
   */
  keyLog?: KeyLog;
  /** Bytes per read (default LIMITS.readChunkBytes); the output must not depend on it. */
  readChunkBytes?: number;
  /** Called every 4096 packets with the capture bytes read so far (for a progress bar). */
  onProgress?: (bytesRead: number) => void;
  /** Site policy (--policy): allow-lists, per-rule severities and disables. */
  policy?: Policy;
  /** Imported indicator lists (`analyze intel import`) for the intel.* and cert.impersonation rules. */
  intel?: IntelLookup;
  /** C2 default-certificate traits (imported c2_cert_traits.csv rows). */
  c2Traits?: readonly C2Trait[];
  /** Site baseline (`analyze learn`) for the baseline.* rules; none by default. */
  baseline?: BaselineLookup | null;
  /**
   * Receives each session, classified, when its flow ends. Without it the sessions are
   * collected into AnalyzeResult.sessions (small captures, tests).
   */
  onSession?: (session: SessionRecord) => void;
  /** Stop reading when this signal aborts (Ctrl-C): what was read is finished normally. */
  signal?: AbortSignal;
  /** With source '-': read this stream instead of stdin (a live capture tool's output). */
  input?: Readable;
  /**
   * The packets are being captured now (--interface): the wall clock also moves the flow
   * table's clock, every LIVE_TICK_MS, so that flows are finished (and their sessions written)
   * when their linger or idle time passes even if no later packet comes.
   */
  liveClock?: boolean;
}

const LIVE_TICK_MS = 1000;

export interface RunStats {
  packets: number;
  /** Packets that decoded to TCP or UDP over IP. */
  transportPackets: number;
  /** Packets skipped as not TCP/UDP (ARP, ICMP, unknown link types...). */
  skippedPackets: number;
  /** Packets whose headers contradicted themselves, by problem name. */
  malformed: Record<string, number>;
  flowsSeen: number;
  flowsEvicted: number;
  sessions: number;
  certificateParseFailures: number;
  /** Packets skipped because their link type is not decoded, by link type number. */
  unsupportedLinkTypes: Record<string, number>;
}

export interface AnalyzeResult {
  capture: ReadSummary;
  stats: RunStats;
  /** Without onSession: every session, ordered by first packet, then by endpoints. Else empty. */
  sessions: SessionRecord[];
  /** What the capture's DNS responses said (dns.* rules). */
  dns: DnsLog;
}

export async function analyzeCapture(source: string, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const sessions: SessionRecord[] = [];
  const dns = new DnsLog();
  // Policy: findings, score and verdict per session, from the facts the stages found.
  const classifier = new RunClassifier({ policy: options.policy, tlsPorts: options.ports, dns, baseline: options.baseline ?? null, intel: options.intel, c2Traits: options.c2Traits });
  const emit = options.onSession ?? ((s: SessionRecord) => sessions.push(s));
  const certificates = new CertificateAnalyzer({ caCertificates: options.caCertificates ?? [] });
  const stats: RunStats = {
    packets: 0, transportPackets: 0, skippedPackets: 0, malformed: {}, flowsSeen: 0, flowsEvicted: 0, sessions: 0,
    certificateParseFailures: 0, unsupportedLinkTypes: {},
  };
  // A flow whose inspection is done (most TLS flows, a few packets in) gives its handshake in
  // record form at once and drops its analyzers; the rest give it when they end.
  const handshakes = new Map<Flow, HandshakePart>();
  const onInspectionDone = (flow: Flow): boolean => {
    const hs = handshakePart(flow, certificates.describeChain);
    handshakes.set(flow, hs);
    flow.releaseAnalyzers();
    return reported(flow, hs);
  };
  const onFlowEnd = (flow: Flow): void => {
    stats.flowsSeen++;
    const hs = handshakes.get(flow) ?? handshakePart(flow, certificates.describeChain);
    handshakes.delete(flow);
    if (!reported(flow, hs)) return;
    const record = toSessionRecord(flow, hs);
    classifier.classify(record);
    stats.sessions++;
    emit(record);
  };
  const keyLog = options.keyLog ?? new KeyLog();
  const table = new FlowTable({ ...options, secrets: keyLog, onInspectionDone }, onFlowEnd);
  const decoder = new PacketDecoder();
  const decoded = new DecodedPacket();

  const onProgress = options.onProgress;
  let bytesRead = 0;
  const onPacket = (pkt: CapturedPacket): void => {
    stats.packets++;
    if (onProgress !== undefined) {
      bytesRead += pkt.end - pkt.start + 16; // record header + captured bytes: close enough for a bar
      if ((stats.packets & 4095) === 0) onProgress(bytesRead);
    }
    const status = decoder.decode(pkt, decoded);
    if (status === DecodeStatus.Transport) {
      stats.transportPackets++;
      table.packet(pkt.tsUs, decoded);
      // DNS responses (source port 53) feed the DNS log; other traffic pays this port check only.
      if (decoded.srcPort === 53) feedDns(dns, pkt.tsUs, decoded);
    } else if (status === DecodeStatus.Malformed) {
      const name = decoder.problem;
      stats.malformed[name] = (stats.malformed[name] ?? 0) + 1;
    } else if (status === DecodeStatus.Skip) {
      stats.skippedPackets++;
    }
  };

  // A wall clock behind the packets' stamps (skew) moves nothing: advanceTo looks forward. What
  // the tick finishes is written from a timer: a failure there (the store, the output) ends the
  // reading and is thrown below, as if a packet had caused it, never from the timer itself.
  const tickFailure: { failed: boolean; error?: unknown } = { failed: false };
  const tick = options.liveClock
    ? setInterval(() => {
        try {
          table.advanceTo(Date.now() * 1000);
        } catch (error) {
          tickFailure.failed = true;
          tickFailure.error = error;
          clearInterval(tick!);
          options.input?.destroy();
        }
      }, LIVE_TICK_MS)
    : null;
  let capture: ReadSummary;
  try {
    capture = await readCapture(source, onPacket, {
      limits: { readChunkBytes: options.readChunkBytes },
      stdin: options.input,
      signal: options.signal,
      // pcapng Decryption Secrets Blocks come before the packets they open (pcapng §4.7).
      onSecrets: (type, data) => {
        if (type === SECRETS_TYPE_TLS_KEY_LOG) keyLog.add(data);
      },
    });
  } catch (e) {
    // The clock's failure destroyed the input: that, not the stream's end, is what went wrong.
    throw tickFailure.failed ? tickFailure.error : e;
  } finally {
    if (tick !== null) clearInterval(tick);
  }
  if (tickFailure.failed) throw tickFailure.error;
  // Whatever was read is analysed, even when the file ended badly (fatal problems are in `capture`).
  table.finishAll();
  stats.flowsEvicted = table.evicted;
  stats.certificateParseFailures = certificates.failures;
  for (const [type, n] of decoder.stats.unsupportedLinkTypes) stats.unsupportedLinkTypes[type] = n;
  sessions.sort(bySessionOrder);
  return { capture, stats, sessions, dns };
}

function feedDns(dns: DnsLog, ts: number, p: DecodedPacket): void {
  const payload = p.data.subarray(p.payloadOff, p.payloadEnd);
  if (p.proto === 17) dns.udp(ts, payload);
  else if (p.proto === 6) dns.tcp(ts, payload);
}

/** A flow is reported when it touches a service port (or --all-ports), or carries TLS anywhere (also inside OpenVPN). */
function reported(flow: Flow, hs: HandshakePart): boolean {
  if (flow.onServicePort) return true;
  if (flow.protocol === 'tls' || flow.protocol === 'quic' || flow.protocol === 'dtls') return true;
  return hs.tlsHello;
}
