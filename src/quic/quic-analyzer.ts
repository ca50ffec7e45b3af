/**
 * Per-flow QUIC state: reads the TLS hellos out of the Initial packets of one UDP flow (and,
 * given a key log, the server's certificate out of its Handshake packets), the way Suricata's
 * QUIC parser does (style/anchors.md, Anchor 3):
 *
 *  1. Each datagram is split into its coalesced long-header packets (RFC 9000 §12.2). A short
 *     header packet (1-RTT) ends the datagram; 0-RTT packets are skipped.
 *  2. Initial keys are derived once per (version, client DCID) (RFC 9001 §5.2): the DCID of the
 *     client's first Initial, or after a Retry the Retry's Source Connection ID (RFC 9000
 *     §17.2.5.2: the client "MUST use the value from the Source Connection ID field of the Retry
 *     packet in the Destination Connection ID field of subsequent packets"). The server's
 *     Initials are opened with the server keys of that same DCID.
 *  3. Header protection is removed, the packet is opened (AES-128-GCM), its frames are walked,
 *     and CRYPTO data is reassembled by offset per level and direction (CryptoStream), capped.
 *  4. The ClientHello and ServerHello go to the same parsers as TCP (transport 'q'): the same
 *     hello model, so JA3/JA4 (with the 'q' prefix) come out of the same pure functions.
 *  5. With a key log holding the connection's SERVER_HANDSHAKE_TRAFFIC_SECRET, the server's
 *     Handshake packets are opened with keys from it ("quic key"/"quic iv"/"quic hp", RFC 9001
 *     §5.1, in the ServerHello's cipher suite) and its EncryptedExtensions and Certificate read.
 *
 * Nothing throws out of `datagram()`: every oddity is a named anomaly in `anomalies`; an
 * unexpected exception becomes `quic_violation` and the analyzer stops (anchors principle 4).
 * Anomaly names (stable): quic_decrypt_failed, quic_packet_too_short, quic_header_malformed,
 * quic_unknown_version, quic_gquic_crypto, quic_reserved_bits_set, quic_frame_malformed,
 * quic_unexpected_frame, quic_crypto_limit_reached, quic_crypto_fragments_limit_reached,
 * quic_keys_limit_reached, quic_unexpected_handshake_message, quic_server_initial_before_client,
 * keylog_decrypt_failed, keylog_missing_secret, keylog_unsupported_cipher_suite,
 * handshake_message_limit_reached, udp_inspect_limit_reached, quic_violation, and the hello
 * parsers' own (client_hello_truncated ...).
 */
import { LIMITS } from '../config/limits.js';
import type { SecretsLookup } from '../keylog/key-log.js';
import { tls13Suite } from '../keylog/key-schedule.js';
import { ServerFlight } from '../keylog/server-flight.js';
import type { ClientHelloModel, ServerHelloModel } from '../model/handshake.js';
import { parseClientHello } from '../tls/client-hello.js';
import { parseServerHello } from '../tls/server-hello.js';
import { CryptoStream } from './crypto-stream.js';
import { walkFrames, walkGoogleFrames, type FrameSink } from './frames.js';
import { HeaderKind, LongHeader, parseLongHeader } from './long-header.js';
import { initialKeys, type InitialKeys, openLongHeaderPacket, packetKeys, type PacketKeys } from './packet-protection.js';
import { isGoogleCryptoVersion, isReservedVersion, PacketType, type QuicVersionParams } from './versions.js';
import { isGoogleQuicPublicHeader } from '../protocol/quic.js';
import { sameBytes } from '../bytes/equal.js';

export interface QuicAnalyzerOptions {
  /** A key log (--keylog, pcapng secrets blocks): opens the server's Handshake packets. */
  secrets?: SecretsLookup | null;
}

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;

/** Encryption levels whose CRYPTO streams are read: Initial and Handshake. */
const LEVEL_INITIAL = 0;
const LEVEL_HANDSHAKE = 1;

export interface QuicConnectionClose {
  fromClient: boolean;
  errorCode: number;
  frameType: number | null;
  reason: string;
}

export class QuicAnalyzer {
  /** The first ClientHello (fingerprints use it). */
  clientHello: ClientHelloModel | null = null;
  /** A second ClientHello (after a HelloRetryRequest). */
  retryClientHello: ClientHelloModel | null = null;
  /** The first ServerHello that is not a HelloRetryRequest. */
  serverHello: ServerHelloModel | null = null;
  helloRetryRequest: ServerHelloModel | null = null;
  /**
   * The QUIC version of the connection: the version of the server's Initial packets once one
   * was opened (that is the negotiated one, RFC 9368), else of the client's first Initial.
   */
  version: number | null = null;
  /** Version of the client's first Initial (may differ after version negotiation). */
  clientVersion: number | null = null;
  /** Versions listed in a Version Negotiation packet from the server, or null. */
  versionNegotiation: number[] | null = null;
  /** True when the server sent a Retry. */
  retry = false;
  /** The server's decrypted handshake flight (needs a key log), or null. */
  serverFlight: ServerFlight | null = null;
  connectionClose: QuicConnectionClose | null = null;
  /**
   * True when the hellos showed that the side the caller calls "client" is the server (its
   * first Initial opened with client keys): the caller should swap its client/server sides.
   */
  directionSwapped = false;
  readonly anomalies = new Set<string>();

  private readonly secrets: SecretsLookup | null;
  private datagrams = 0;
  private broken = false;
  /** The client speaks a version without TLS inside or unknown here: nothing to read. */
  private unreadable = false;
  /** The DCID whose Initial keys protect this connection (see step 2). */
  private keysDcid: Uint8Array | null = null;
  /** Source Connection IDs of the server's Retry packets. */
  private readonly retryScids: Uint8Array[] = [];
  private readonly keySets = new Map<string, InitialKeys>();
  /** Largest packet number opened per [level][client=0/server=1]. */
  private readonly largestPn = [
    [-1, -1],
    [-1, -1],
  ];
  private readonly streams: [[CryptoStream, CryptoStream], [CryptoStream | null, CryptoStream | null]];
  private handshakeKeys: PacketKeys | null = null;
  /**
   * Handshake-level keys: 'none' until both hellos are known, 'missing' when the key log has no
   * secret for this connection, 'ready', or 'failed' (wrong secret or suite).
   */
  private handshakeKeysState: 'none' | 'missing' | 'ready' | 'failed' = 'none';
  private readonly header = new LongHeader();
  private readonly frameSink: FrameSink;
  /** Set while frames of one packet are walked. */
  private curLevel = LEVEL_INITIAL;
  private curFromClient = true;

  constructor(options: QuicAnalyzerOptions = {}) {
    this.secrets = options.secrets ?? null;
    this.streams = [
      [
        new CryptoStream({ onHandshake: (t, b) => this.onClientInitialMessage(t, b) }),
        new CryptoStream({ onHandshake: (t, b) => this.onServerInitialMessage(t, b) }),
      ],
      [null, null],
    ];
    this.frameSink = {
      crypto: (offset, data) => this.onCrypto(offset, data),
      connectionClose: (errorCode, frameType, reason) => {
        if (this.connectionClose === null) {
          this.connectionClose = { fromClient: this.curFromClient, errorCode, frameType, reason: Buffer.from(reason).toString('utf8') };
        }
      },
    };
  }

  /**
   * True when later datagrams can teach nothing: both hellos are read (and the server's
   * certificate too when a key log has its secrets), or the flow is broken or looked at long enough.
   */
  get done(): boolean {
    if (this.broken || this.unreadable) return true;
    if (this.datagrams >= LIMITS.maxUdpInspectDatagrams) return true;
    if (this.clientHello === null || this.serverHello === null) return false;
    if (this.handshakeKeysState === 'ready') {
      const f = this.serverFlight;
      return f !== null && (f.finished || f.certificates.length > 0);
    }
    return this.handshakeKeysState !== 'none' || !this.wantsHandshake();
  }

  /** One UDP datagram; `fromClient` is the caller's idea of the direction. Never throws. */
  datagram(fromClient: boolean, payload: Uint8Array): void {
    if (this.broken || payload.length === 0) return;
    if (this.datagrams >= LIMITS.maxUdpInspectDatagrams) {
      this.anomalies.add('udp_inspect_limit_reached');
      return;
    }
    this.datagrams++;
    try {
      this.walkDatagram(fromClient !== this.directionSwapped, payload);
    } catch {
      this.anomalies.add('quic_violation');
      this.broken = true;
    }
  }

  private walkDatagram(fromClient: boolean, d: Uint8Array): void {
    let off = 0;
    const h = this.header;
    if (this.keysDcid === null && isGoogleQuicPublicHeader(d)) {
      // Google QUIC up to Q043: the public header with the version at byte 9, QUIC Crypto inside.
      this.anomalies.add('quic_gquic_crypto');
      if (fromClient) this.clientVersion ??= ((d[9]! << 24) | (d[10]! << 16) | (d[11]! << 8) | d[12]!) >>> 0;
      this.unreadable = true;
      return;
    }
    while (off < d.length) {
      // RFC 9000 §17.3: a short header packet "MUST be the last packet included in a UDP
      // datagram"; trailing zero bytes (padding after coalesced packets) end it too.
      if ((d[off]! & 0x80) === 0) return;
      const kind = parseLongHeader(d, off, d.length, h);
      switch (kind) {
        case HeaderKind.Malformed:
          this.anomalies.add('quic_header_malformed');
          return;
        case HeaderKind.VersionNegotiation:
          if (!fromClient && this.versionNegotiation === null) this.versionNegotiation = h.versions;
          return;
        case HeaderKind.UnknownVersion:
          if (isGoogleCryptoVersion(h.version)) this.anomalies.add('quic_gquic_crypto');
          else if (!isReservedVersion(h.version)) this.anomalies.add('quic_unknown_version');
          if (fromClient && this.keysDcid === null && !isReservedVersion(h.version)) {
            this.clientVersion ??= h.version;
            this.unreadable = true;
          }
          return;
        case HeaderKind.Retry:
          if (!fromClient) this.onRetry(h);
          return;
        case HeaderKind.Packet:
          if (h.type === PacketType.Initial) this.onInitial(fromClient, d, h);
          else if (h.type === PacketType.Handshake && !fromClient) this.onServerHandshake(d, h);
          off = h.end;
          continue;
      }
    }
  }

  /**
   * RFC 9000 §17.2.5.2: the client's next Initial goes to the Retry's Source Connection ID, and
   * the Initial keys are derived from it. "A client MUST accept and process at most one Retry
   * packet" — but which one it took (servers resend them) shows only in its next Initial, so the
   * SCIDs are remembered and the client's DCID picks.
   */
  private onRetry(h: LongHeader): void {
    this.retry = true;
    if (this.retryScids.length < LIMITS.maxQuicKeySets && !this.retryScids.some((s) => sameBytes(s, h.scid))) {
      this.retryScids.push(h.scid.slice());
    }
  }

  private onInitial(fromClient: boolean, d: Uint8Array, h: LongHeader): void {
    const params = h.params!;
    if (fromClient) {
      if (this.keysDcid === null || (this.clientVersion !== null && h.version !== this.clientVersion && !isReservedVersion(this.clientVersion))) {
        this.startAttempt(h);
      }
      this.clientVersion ??= h.version;
      if (this.version === null) this.version = h.version;
      if (this.retryScids.length > 0 && !sameBytes(h.dcid, this.keysDcid!) && this.retryScids.some((s) => sameBytes(s, h.dcid))) {
        this.keysDcid = h.dcid.slice();
      }
      const keys = this.keysFor(params, this.keysDcid!);
      if (keys !== null && this.open(d, h, keys.client, LEVEL_INITIAL, true)) return;
      // Not the connection's keys: a client that changed its mind about the DCID (a new
      // attempt on the same ports) while its ClientHello is still incomplete.
      if (this.clientHello === null && !sameBytes(h.dcid, this.keysDcid!)) {
        const other = this.keysFor(params, h.dcid);
        if (other !== null && this.open(d, h, other.client, LEVEL_INITIAL, true, true)) {
          this.keysDcid = h.dcid.slice();
          return;
        }
      }
      this.anomalies.add('quic_decrypt_failed');
      return;
    }

    if (this.keysDcid === null) {
      // The first Initial of a connection is the client's: if it opens with client keys derived
      // from its own DCID, the caller had the directions the wrong way round.
      const keys = this.keysFor(params, h.dcid);
      if (keys !== null && this.open(d, h, keys.client, LEVEL_INITIAL, true)) {
        this.directionSwapped = true;
        this.keysDcid = h.dcid.slice();
        this.clientVersion = h.version;
        this.version = h.version;
        return;
      }
      this.anomalies.add('quic_server_initial_before_client');
      return;
    }
    const keys = this.keysFor(params, this.keysDcid);
    if (keys !== null && this.open(d, h, keys.server, LEVEL_INITIAL, false)) {
      this.version = h.version;
      return;
    }
    this.anomalies.add('quic_decrypt_failed');
  }

  /** A client Initial with a new version (after Version Negotiation), or the first one. */
  private startAttempt(h: LongHeader): void {
    const first = this.keysDcid === null;
    this.keysDcid = h.dcid.slice();
    if (!first) {
      this.clientVersion = h.version;
      this.version = h.version;
      // A new connection attempt: packet numbers and CRYPTO offsets start again.
      this.largestPn[LEVEL_INITIAL]![0] = -1;
      this.largestPn[LEVEL_INITIAL]![1] = -1;
      if (this.clientHello === null) this.streams[LEVEL_INITIAL][0].reset();
    }
  }

  /** Initial keys for (version, DCID), derived once and cached (LIMITS.maxQuicKeySets per flow). */
  private keysFor(params: QuicVersionParams, dcid: Uint8Array): InitialKeys | null {
    const id = `${params.version}:${Buffer.from(dcid.buffer, dcid.byteOffset, dcid.length).toString('hex')}`;
    let k = this.keySets.get(id);
    if (k === undefined) {
      if (this.keySets.size >= LIMITS.maxQuicKeySets) {
        this.anomalies.add('quic_keys_limit_reached');
        return null;
      }
      k = initialKeys(params, dcid);
      this.keySets.set(id, k);
    }
    return k;
  }

  /**
   * Removes protection from the packet `h` with `keys` and walks its frames. Returns false when it
   * does not open (the caller decides what that means). `quiet` skips the too-short anomaly.
   */
  private open(d: Uint8Array, h: LongHeader, keys: PacketKeys, level: number, fromClient: boolean, quiet = false): boolean {
    // Header protection is removed in place: work on a private copy of the packet.
    const packet = d.slice(h.start, h.end);
    const side = fromClient ? 0 : 1;
    const res = openLongHeaderPacket(packet, h.pnOffset - h.start, keys, this.largestPn[level]![side]!);
    if (res === 'too_short') {
      if (!quiet) this.anomalies.add('quic_packet_too_short');
      return false;
    }
    if (res === 'decrypt_failed') return false;
    if (res.pn > this.largestPn[level]![side]!) this.largestPn[level]![side] = res.pn;
    // RFC 9000 §17.2: "The value included prior to protection MUST be set to 0" (bits 0x0c).
    if ((res.firstByte & 0x0c) !== 0) this.anomalies.add('quic_reserved_bits_set');
    this.curLevel = level;
    this.curFromClient = fromClient;
    const stop = h.params!.googleFrames ? walkGoogleFrames(res.payload, this.frameSink) : walkFrames(res.payload, this.frameSink);
    if (stop !== null) this.anomalies.add(stop);
    return true;
  }

  private onCrypto(offset: number, data: Uint8Array): void {
    const stream = this.streams[this.curLevel as 0 | 1][this.curFromClient ? 0 : 1];
    if (stream === null) return;
    const a = stream.add(offset, data);
    if (a !== null) this.anomalies.add(a);
  }

  private onClientInitialMessage(type: number, body: Uint8Array): void {
    if (type !== HS_CLIENT_HELLO) {
      this.anomalies.add('quic_unexpected_handshake_message');
      return;
    }
    const r = parseClientHello(body, 'q', 0);
    if (!r.ok) {
      this.anomalies.add(r.error);
      return;
    }
    if (this.clientHello === null) this.clientHello = r.value;
    else if (this.helloRetryRequest !== null && this.retryClientHello === null) this.retryClientHello = r.value;
  }

  private onServerInitialMessage(type: number, body: Uint8Array): void {
    if (type !== HS_SERVER_HELLO) {
      this.anomalies.add('quic_unexpected_handshake_message');
      return;
    }
    const r = parseServerHello(body, 'q', 0);
    if (!r.ok) {
      this.anomalies.add(r.error);
      return;
    }
    if (r.value.helloRetryRequest) {
      this.helloRetryRequest ??= r.value;
      return;
    }
    if (this.serverHello !== null) return;
    this.serverHello = r.value;
    // Known now whether the key log can open the Handshake packets: if not, nothing more to read.
    if (this.wantsHandshake() && this.clientHello !== null && this.secrets!.lookup(this.clientHello.random)?.serverHandshakeTrafficSecret === undefined) {
      this.anomalies.add('keylog_missing_secret');
      this.handshakeKeysState = 'missing';
    }
  }

  /** True when a key log is in use, so the server's Handshake packets are worth opening. */
  private wantsHandshake(): boolean {
    return this.secrets !== null && this.secrets.size > 0;
  }

  private onServerHandshake(d: Uint8Array, h: LongHeader): void {
    if (!this.readyHandshakeKeys(h.params!)) return;
    if (!this.open(d, h, this.handshakeKeys!, LEVEL_HANDSHAKE, false)) {
      this.anomalies.add('keylog_decrypt_failed');
      this.handshakeKeysState = 'failed';
    }
  }

  /** Derives the server's Handshake keys from the key log once both hellos are known. */
  private readyHandshakeKeys(params: QuicVersionParams): boolean {
    if (this.handshakeKeysState === 'ready') return true;
    if (this.handshakeKeysState === 'failed' || !this.wantsHandshake()) return false;
    // ('missing': the key log may have grown since, e.g. a later pcapng secrets block.)
    const ch = this.clientHello;
    const sh = this.serverHello;
    if (ch === null || sh === null) return false;
    const secret = this.secrets!.lookup(ch.random)?.serverHandshakeTrafficSecret;
    if (secret === undefined) {
      this.anomalies.add('keylog_missing_secret');
      this.handshakeKeysState = 'missing';
      return false;
    }
    this.anomalies.delete('keylog_missing_secret');
    const suite = tls13Suite(sh.cipher);
    if (suite === null || secret.length !== suite.hashLength) {
      this.anomalies.add('keylog_unsupported_cipher_suite');
      this.handshakeKeysState = 'failed';
      return false;
    }
    this.handshakeKeys = packetKeys(secret, suite, params.labelPrefix);
    this.handshakeKeysState = 'ready';
    const flight = new ServerFlight();
    this.serverFlight = flight;
    this.streams[LEVEL_HANDSHAKE][1] = new CryptoStream({
      onHandshake: (t, b) => {
        flight.message(t, b);
        for (const a of flight.anomalies) this.anomalies.add(a);
      },
    });
    return true;
  }
}
