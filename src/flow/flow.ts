/**
 * One connection (TCP) or datagram flow (UDP) between two endpoints.
 *
 * Raw directions are numbered from the packet that created the flow: 0 = from its source
 * ("A") to its destination, 1 = back. Which side is the client is decided once (design.md):
 * the SYN sender; else the side that sent the first ClientHello; else the side that is not on
 * a service port.
 */
import { LIMITS } from '../config/limits.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../decode/decoded-packet.js';
import type { AppProtocol, Transport } from '../model/session.js';
import { TlsAnalyzer } from '../tls/tls-analyzer.js';
import type { HandshakeSummary } from '../model/handshake.js';
import type { SecretsLookup } from '../keylog/key-log.js';
import { QuicAnalyzer } from '../quic/quic-analyzer.js';
import { DtlsAnalyzer } from '../dtls/dtls-analyzer.js';
import { isGoogleQuicPublicHeader, isQuicLongHeader } from '../protocol/quic.js';
import { isDtlsRecord } from '../protocol/dtls.js';
import { HalfStream, type StreamConsumer } from './tcp/half-stream.js';
import { detectProtocol, findTlsStart } from '../protocol/detect.js';
import { findMidstreamTlsRecord, isSslv2ClientHello, isSslv2ServerHello, isTlsRecordHeader } from '../protocol/tls.js';
import { sniffOpenVpnTcp, sniffOpenVpnUdp } from '../protocol/openvpn.js';
import { OpenVpnTlsExtractor } from '../protocol/openvpn-tls.js';
import { sniffSsh } from '../protocol/ssh.js';

const NO_BYTES = new Uint8Array(0);
/** Payload-less SYN/FIN/RST segments remembered before a flow's first byte (SYN retries included). */
const MAX_EARLY_SEGMENTS = 16;

/** How much of each direction's first bytes is kept to tell what protocol the flow carries. */
const SNIFF_BYTES = 2048;
const NO_ANOMALIES: ReadonlySet<string> = new Set();

export type FlowStage =
  /** Looking at bytes: protocol not known yet, or TLS handshake in progress. */
  | 'inspect'
  /** Nothing more to learn from payloads: later packets only update counters. */
  | 'done';

export class Flow {
  stage: FlowStage = 'inspect';
  /** Whether raw direction 0 (the creating packet's source) is endpoint A of the flow key. */
  aIsKeyA = true;
  /** Raw direction of the client (0 or 1). */
  clientDir: 0 | 1;
  /** True when a SYN decided the client; a ClientHello then does not override it. */
  clientFromSyn: boolean;
  firstTs: number;
  lastTs: number;
  packets = 0;
  /** Transport payload bytes per raw direction. */
  readonly payloadBytes: [number, number] = [0, 0];
  /** FIN seen per raw direction (bit 0: direction 0, bit 1: direction 1); RST seen. */
  finDirs = 0;
  rst = false;
  // Per-flow state is made when first needed: a table of 100,000 flows (a SYN flood) should
  // not hold 100,000 empty sets and buffers.
  private anomalySet: Set<string> | null = null;

  /** What the payload is, once known ('tls' as soon as a TLS record starts a direction). */
  protocol: AppProtocol | null = null;
  tls: TlsAnalyzer | null = null;
  quic: QuicAnalyzer | null = null;
  dtls: DtlsAnalyzer | null = null;
  /** First bytes of each raw direction, kept (copied, capped) until the protocol is known. */
  private sniff: [Uint8Array | null, Uint8Array | null] | null = null;
  private sniffLen: [number, number] | null = null;
  /** Raw directions where TLS has started (bits, as finDirs), at once or after a plaintext preamble. */
  private tlsStartedDirs = 0;
  /** TCP reassembly per raw direction, made by the first segment with payload. */
  private streams: [HalfStream, HalfStream] | null = null;
  /**
   * SYN, FIN and RST segments without payload that came before it, as (dir, seq, flags)
   * triples, replayed into the new streams: a flow that never carries a byte (a SYN scan, a
   * SYN flood of a million flows) costs no reassembly state.
   */
  private early: number[] | null = null;
  /** OpenVPN (TCP or UDP): each raw direction's control channel, whose TLS goes to `tls`. */
  private openVpn: [OpenVpnTlsExtractor, OpenVpnTlsExtractor] | null = null;

  constructor(
    readonly transport: Transport,
    /** Addresses and ports as the creating packet had them: A = source, B = destination. */
    readonly aIp: string,
    readonly aPort: number,
    readonly bIp: string,
    readonly bPort: number,
    ts: number,
    clientDir: 0 | 1,
    clientFromSyn: boolean,
    /** True when a port is a service port (or --all-ports): the flow is reported whatever it carries. */
    readonly onServicePort: boolean,
    /** Key log secrets for TLS 1.3 / QUIC handshake decryption, or null. */
    private readonly secrets: SecretsLookup | null = null,
  ) {
    this.firstTs = ts;
    this.lastTs = ts;
    this.clientDir = clientDir;
    this.clientFromSyn = clientFromSyn;
  }

  /** Anomalies of the flow itself (its reassembly, its protocol detection, the table). */
  get anomalies(): ReadonlySet<string> {
    return this.anomalySet ?? NO_ANOMALIES;
  }

  anomaly(name: string): void {
    (this.anomalySet ??= new Set()).add(name);
  }

  /** Both directions sent a FIN, or either a RST. */
  get closed(): boolean {
    return this.rst || this.finDirs === 3;
  }

  /** Bytes of this direction's start kept for protocol detection. */
  private sniffed(dir: 0 | 1): number {
    return this.sniffLen?.[dir] ?? 0;
  }

  /** One TCP segment of raw direction `dir`; `payload` is valid only during the call. */
  tcpSegment(dir: 0 | 1, seq: number, flags: number, payload: Uint8Array): void {
    if (this.streams === null) {
      if (payload.length === 0) {
        // A bare ACK changes nothing in a stream; SYN, FIN and RST do, once there is one.
        if ((flags & (TCP_SYN | TCP_FIN | TCP_RST)) !== 0 && (this.early ??= []).length < 3 * MAX_EARLY_SEGMENTS) this.early.push(dir, seq, flags);
        return;
      }
      const streams: [HalfStream, HalfStream] = (this.streams = [new HalfStream(this.consumer(0)), new HalfStream(this.consumer(1))]);
      const early = this.early ?? [];
      for (let i = 0; i < early.length; i += 3) streams[early[i]!]!.segment(early[i + 1]!, early[i + 2]!, NO_BYTES);
      this.early = null;
    }
    this.streams[dir].segment(seq, flags, payload);
    if (this.tls?.done === true) this.finishInspection();
  }

  /** One UDP datagram of raw direction `dir`; `payload` is valid only during the call. */
  udpDatagram(dir: 0 | 1, payload: Uint8Array): void {
    if (payload.length === 0) return;
    if (this.openVpn !== null) {
      this.openVpnDatagram(dir, payload);
      return;
    }
    if (this.quic === null && this.dtls === null) {
      // QUIC (RFC 9000 §17.2 long header, or Google QUIC) and DTLS (RFC 6347 §4.1 record) have
      // analyzers that read their handshakes; anything else is only named from its first bytes.
      if (isQuicLongHeader(payload) || isGoogleQuicPublicHeader(payload)) {
        this.quic = new QuicAnalyzer({ secrets: this.secrets });
        this.protocol = 'quic';
      } else if (isDtlsRecord(payload)) {
        this.dtls = new DtlsAnalyzer();
        this.protocol = 'dtls';
      } else if (this.opensOpenVpnUdp(dir, payload)) {
        this.startOpenVpn();
        this.openVpnDatagram(dir, payload);
        return;
      } else {
        this.keepSniff(dir, payload);
        // STUN (first byte 0-3, RFC 7983 §7) often precedes DTLS in WebRTC: keep looking a while.
        const stun = payload[0]! <= 3;
        if ((!stun && this.sniffed(0) > 0 && this.sniffed(1) > 0) || this.packets >= (stun ? LIMITS.maxUdpInspectDatagrams : 4)) {
          this.finishInspection();
        }
        return;
      }
    }
    const analyzer = this.quic ?? this.dtls!;
    analyzer.datagram(dir === this.clientDir, payload);
    if (analyzer.done) this.finishInspection();
  }

  /** What the handshake showed, from whichever analyzer read it; null when none did. */
  handshake(): HandshakeSummary | null {
    if (this.tls !== null) return this.tls.summary();
    const a = this.quic ?? this.dtls;
    if (a === null || (a.clientHello === null && a.serverHello === null)) return null;
    const sh = a.serverHello;
    const flight = this.quic?.serverFlight ?? null;
    return {
      clientHello: a.clientHello,
      serverHello: sh,
      helloRetryRequest: a.helloRetryRequest,
      certificates: this.dtls?.certificates ?? flight?.certificates ?? [],
      decryptedAlpn: flight?.alpnSelected ?? null,
      alert: this.dtls?.alert ?? null,
      // QUIC and DTLS 1.3 resume with a PSK the server accepts (RFC 8446 §4.2.11).
      resumed: sh?.hasPreSharedKey ?? false,
      // The server answered with its hello; what follows is encrypted.
      established: sh !== null && (this.dtls?.alert ?? null) === null,
      clientRecordVersion: this.dtls?.clientRecordVersion ?? null,
      quicVersion: this.quic?.version ?? null,
      impliedVersion: this.quic !== null && a.clientHello !== null ? 0x0304 : null,
      history: '',
      anomalies: a.anomalies,
    };
  }

  /** Stop looking at payloads: free every buffer; from now on only counters move. */
  finishInspection(): void {
    if (this.stage === 'done') return;
    this.stage = 'done';
    // The QUIC/DTLS analyzers were told "from client" by the first guess; their hellos may
    // show the guess was wrong (a capture that starts with the server's datagram).
    if (this.quic?.directionSwapped === true || this.dtls?.directionSwapped === true) {
      this.clientDir = this.clientDir === 0 ? 1 : 0;
    }
    if (this.protocol === null) this.protocol = this.guessProtocol();
    if (this.streams !== null) {
      this.streams[0].stop();
      this.streams[1].stop();
    }
    this.sniff = this.sniffLen = null;
  }

  /** End of the flow (close, timeout or end of capture): deliver what reassembly still holds. */
  finish(): void {
    if (this.stage === 'inspect' && this.streams !== null) {
      this.streams[0].finish();
      this.streams[1].finish();
    }
    if (this.protocol === null) this.protocol = this.guessProtocol();
    this.finishInspection();
    this.keepReassemblyAnomalies();
  }

  /**
   * Inspection is done and the session stage has taken what the handshake said: the analyzers,
   * hello models, certificates and reassembly state go now rather than when the flow ends, so a
   * long connection keeps only its counters (and that state dies young, never reaching V8's
   * old space). handshake() is null from here on.
   */
  releaseAnalyzers(): void {
    this.keepReassemblyAnomalies();
    this.tls = this.quic = this.dtls = null;
    this.streams = null;
    this.openVpn = null;
    this.early = null;
  }

  private keepReassemblyAnomalies(): void {
    if (this.streams !== null) {
      for (const s of this.streams) for (const a of s.anomalies) this.anomaly(a);
    }
    if (this.openVpn !== null) {
      for (const x of this.openVpn) for (const a of x.anomalies) this.anomaly(a);
    }
  }

  private guessProtocol(): AppProtocol {
    const c = this.sniffView(this.clientDir);
    const s = this.sniffView((1 - this.clientDir) as 0 | 1);
    const p = detectProtocol(this.transport, c, s);
    // A TCP connection whose start the capture missed may be TLS in full swing: its bytes
    // start inside a record, but record headers follow.
    if (p === 'unknown' && this.transport === 'tcp' && !this.clientFromSyn && (findMidstreamTlsRecord(c) >= 0 || findMidstreamTlsRecord(s) >= 0)) {
      this.anomaly('tls_midstream');
      return 'tls';
    }
    return p;
  }

  private sniffView(dir: 0 | 1): Uint8Array {
    const b = this.sniff?.[dir] ?? null;
    return b === null ? NO_BYTES : b.subarray(0, this.sniffed(dir));
  }

  /** Appends (a copy of) the start of `bytes` to the kept first bytes, up to `cap` in all. */
  private keepSniff(dir: 0 | 1, bytes: Uint8Array, cap = SNIFF_BYTES): void {
    const have = this.sniffed(dir);
    if (have >= cap) return;
    const sniff = (this.sniff ??= [null, null]);
    let buf = sniff[dir];
    if (buf === null || buf.length < Math.min(cap, have + bytes.length)) {
      // Grow geometrically, within the cap: most flows never need more than one segment.
      const grown = new Uint8Array(Math.min(cap, Math.max(SNIFF_BYTES, have + bytes.length, (buf?.length ?? 0) * 2)));
      if (buf !== null) grown.set(buf.subarray(0, have));
      buf = sniff[dir] = grown;
    }
    const n = Math.min(bytes.length, cap - have);
    buf.set(bytes.subarray(0, n), have);
    (this.sniffLen ??= [0, 0])[dir] = have + n;
  }

  /** The reassembled bytes of one raw direction, in order. */
  private consumer(dir: 0 | 1): StreamConsumer {
    return {
      data: (bytes) => this.streamData(dir, bytes),
      gap: () => {
        this.anomaly('tcp_gap');
        this.openVpn?.[dir].gap();
        if (this.tls !== null) this.tls.gap(dir);
      },
    };
  }

  private streamData(dir: 0 | 1, bytes: Uint8Array): void {
    if (this.stage === 'done') return;
    if ((this.tlsStartedDirs & (1 << dir)) !== 0) {
      this.feedTls(dir, bytes);
      return;
    }
    // Before TLS starts in this direction: keep the first bytes (to name the protocol, and
    // because a record header may be split across segments), and look for where TLS starts:
    // at offset 0 for TLS proper, or after a plaintext preamble (STARTTLS dialogue, HTTP
    // CONNECT, SOCKS) within LIMITS.maxPreambleBytes.
    const before = this.sniffed(dir);
    if (before === 0 && this.openVpn === null && isTlsRecordHeader(bytes) && !this.opensOpenVpn(dir, bytes)) {
      // The usual case, a direction that opens with a whole TLS record header: no copy needed.
      this.startTls(dir, 0);
      this.feedTls(dir, bytes);
      return;
    }
    this.keepSniff(dir, bytes, LIMITS.maxPreambleBytes);
    const kept = this.sniffView(dir);
    if (this.openVpn === null && this.opensOpenVpn(dir, kept)) this.startOpenVpn();
    // OpenVPN: the whole direction goes through its control-channel extractor.
    const start = this.openVpn !== null ? 0 : this.tlsStartIn(dir, kept, Math.max(0, before - 5));
    if (start >= 0) {
      this.startTls(dir, start);
      // The kept copy holds everything from `start` on, including this chunk (when it fit).
      const fromKept = kept.subarray(start);
      this.feedTls(dir, fromKept);
      const keptOfChunk = kept.length - before;
      if (keptOfChunk < bytes.length) this.feedTls(dir, bytes.subarray(keptOfChunk));
      return;
    }
    if (this.payloadBytes[dir] > LIMITS.maxPreambleBytes || this.payloadBytes[0] + this.payloadBytes[1] > 2 * LIMITS.maxPreambleBytes) {
      this.finishInspection();
    }
  }

  /** TLS starts in this direction at offset `start` of its bytes (after a plaintext preamble when > 0). */
  private startTls(dir: 0 | 1, start: number): void {
    this.tlsStartedDirs |= 1 << dir;
    if (this.tls === null) this.tls = new TlsAnalyzer(this.clientDir, this.secrets);
    if (this.protocol === null) this.protocol = 'tls';
    if (start > 0) this.anomaly('tls_after_plaintext_preamble');
  }

  /** Bytes of a direction where TLS has started: to the TLS analyzer, or first out of OpenVPN's framing. */
  private feedTls(dir: 0 | 1, bytes: Uint8Array): void {
    if (this.openVpn === null) {
      this.tls!.push(dir, bytes);
      return;
    }
    this.openVpn[dir].push(bytes);
    if (this.openVpn[0].stopped && this.openVpn[1].stopped) this.finishInspection();
  }

  /** OpenVPN over TCP, by the first packet of this direction (a hard reset); it carries TLS in its control channel. */
  private opensOpenVpn(dir: 0 | 1, kept: Uint8Array): boolean {
    if (this.transport !== 'tcp') return false;
    return dir === this.clientDir ? sniffOpenVpnTcp(kept, NO_BYTES) === 'client' : sniffOpenVpnTcp(NO_BYTES, kept) === 'server';
  }

  /**
   * OpenVPN over UDP, by a hard reset in either direction (a capture may start with the server's).
   * Its sender names the client, as a ClientHello would; the TLS analyzer is not made yet.
   */
  private opensOpenVpnUdp(dir: 0 | 1, payload: Uint8Array): boolean {
    const side = sniffOpenVpnUdp(payload, payload);
    if (side === null) return false;
    this.clientDir = side === 'client' ? dir : ((1 - dir) as 0 | 1);
    return true;
  }

  /**
   * One OpenVPN-over-UDP datagram: one whole packet for this direction's extractor. The TLS inside
   * is ordinary TLS records carried by OpenVPN's own reliability layer — neither QUIC nor DTLS —
   * so its hello model keeps transport 't' and JA4 starts with 't', as JA4.md reads it (Arkime
   * prints 'q' for it because it keys the prefix on the IP protocol, UDP).
   */
  private openVpnDatagram(dir: 0 | 1, payload: Uint8Array): void {
    const x = this.openVpn!;
    x[dir].datagram(payload);
    if (this.tls?.done === true || (x[0].stopped && x[1].stopped) || this.packets >= LIMITS.maxUdpInspectDatagrams) {
      this.finishInspection();
    }
  }

  /** The session stays "openvpn"; the TLS of its control channel fills the session's TLS fields. */
  private startOpenVpn(): void {
    this.protocol = 'openvpn';
    this.tls ??= new TlsAnalyzer(this.clientDir, this.secrets);
    const tls = this.tls;
    const extractor = (dir: 0 | 1): OpenVpnTlsExtractor =>
      new OpenVpnTlsExtractor((b) => {
        this.anomaly('tls_inside_openvpn');
        tls.push(dir, b);
      });
    this.openVpn = [extractor(0), extractor(1)];
  }

  /** Offset in the kept first bytes of this direction where TLS starts, or -1. */
  private tlsStartIn(dir: 0 | 1, kept: Uint8Array, searchFrom: number): number {
    // A direction whose very first bytes open a TLS record (or an SSLv2 hello) is TLS.
    if (kept.length < 5) return -1;
    if (isTlsRecordHeader(kept) || isSslv2ClientHello(kept) || isSslv2ServerHello(kept)) return 0;
    // An SSH session is not a preamble to TLS (its encrypted packets could look like one).
    if (dir === this.clientDir && sniffSsh(kept, NO_BYTES) === 'client') return -1;
    // The client's TLS starts with a ClientHello, the server's with a ServerHello (searched on
    // its own: a capture may miss the client's side, as in FoxIO's socks4-https.pcap).
    return findTlsStart(kept, dir === this.clientDir ? 1 : 2, searchFrom);
  }
}
