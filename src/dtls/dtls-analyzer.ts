/**
 * Per-flow DTLS state: reads the plaintext handshake of DTLS 1.0/1.2 (RFC 4347, RFC 6347) and
 * the plaintext hellos of DTLS 1.3 (RFC 9147) out of the datagrams of one UDP flow, into the
 * same hello models as TLS (transport 'd', so JA4 gets its 'd' prefix).
 *
 * RFC 6347 §4.1:
 *   struct {
 *        ContentType type;
 *        ProtocolVersion version;
 *        uint16 epoch;                                    // New field
 *        uint48 sequence_number;                          // New field
 *        uint16 length;
 *        opaque fragment[DTLSPlaintext.length];
 *   } DTLSPlaintext;
 * "Multiple DTLS records may be placed in a single datagram"; §4.1.1 "Each DTLS record MUST fit
 * within a single datagram". Records of epoch > 0 are encrypted and only counted.
 * RFC 9147 §4: encrypted DTLS 1.3 records use the unified header whose first byte is 001CSLEE;
 * its length is present only when L is set, and a connection ID (C) has a negotiated length we
 * cannot know, so such a record ends what can be read of the datagram.
 * RFC 7983 §7 (DTLS multiplexed with STUN/RTP/TURN on one port): "If the value of the first byte
 * is between 20 and 63 (inclusive) ... the packet is DTLS"; other datagrams are skipped here.
 *
 * HelloVerifyRequest (RFC 6347 §4.2.1): the client sends its ClientHello again with the cookie;
 * the FIRST ClientHello is the fingerprinted one, the second is `retryClientHello` (the same
 * field holds the ClientHello that follows a DTLS 1.3 HelloRetryRequest).
 *
 * Anomaly names (stable): dtls_bad_record_header, dtls_record_truncated, dtls_connection_id_record,
 * dtls_handshake_malformed, dtls_fragment_mismatch, dtls_fragments_limit_reached,
 * handshake_message_limit_reached, dtls_unexpected_client_hello, udp_inspect_limit_reached,
 * dtls_violation, and the parsers' own (client_hello_truncated ...).
 */
import { LIMITS } from '../config/limits.js';
import type { ClientHelloModel, ServerHelloModel } from '../model/handshake.js';
import { parseCertificateMessage } from '../tls/certificate-message.js';
import { parseClientHello } from '../tls/client-hello.js';
import { alertName } from '../tls/registry/alerts.js';
import { type HelloVerifyRequest, parseHelloVerifyRequest, parseServerHello } from '../tls/server-hello.js';
import { DtlsHandshakeReassembler } from './handshake-reassembler.js';

const RECORD_HEADER = 13;
const CT_CHANGE_CIPHER_SPEC = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
/** RFC 9146 tls12_cid: a connection ID of negotiated length sits in the header. */
const CT_TLS12_CID = 25;
/** RFC 9147 §7 ack. */
const CT_ACK = 26;

const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_HELLO_VERIFY_REQUEST = 3;
const HS_CERTIFICATE = 11;
const HS_SERVER_HELLO_DONE = 14;

/** DTLS 1.0 (0xfeff), 1.2 (0xfefd), 1.3 (0xfefc) and OpenSSL's pre-0.9.8f 0x0100. */
function isDtlsVersion(v: number): boolean {
  return v === 0xfeff || v === 0xfefd || v === 0xfefc || v === 0x0100;
}

export class DtlsAnalyzer {
  /** The first ClientHello (fingerprints use it). */
  clientHello: ClientHelloModel | null = null;
  /** The ClientHello sent again after a HelloVerifyRequest or HelloRetryRequest (with the cookie). */
  retryClientHello: ClientHelloModel | null = null;
  helloVerifyRequest: HelloVerifyRequest | null = null;
  /** DTLS 1.3 HelloRetryRequest. */
  helloRetryRequest: ServerHelloModel | null = null;
  /** The first ServerHello that is not a HelloRetryRequest. */
  serverHello: ServerHelloModel | null = null;
  /** DER certificates of the server's Certificate message (DTLS <= 1.2), leaf first. */
  certificates: Uint8Array[] = [];
  /** First plaintext alert: its name and who sent it. */
  alert: string | null = null;
  alertFromClient = false;
  /** Record version of the record that carried the first ClientHello. */
  clientRecordVersion: number | null = null;
  /**
   * True when the hellos showed that the side the caller calls "client" is the server (the
   * ClientHello came from it): the caller should swap its client/server sides.
   */
  directionSwapped = false;
  readonly anomalies = new Set<string>();

  private readonly reassemblers: [DtlsHandshakeReassembler, DtlsHandshakeReassembler];
  /** Per raw caller direction (0 = fromClient): a record of epoch > 0 or an encrypted DTLS 1.3 record was seen. */
  private readonly encrypted: [boolean, boolean] = [false, false];
  private serverHelloDone = false;
  private datagrams = 0;
  private broken = false;
  /** Caller direction of the message being delivered (true = fromClient as the caller said). */
  private curFromCaller = true;

  constructor() {
    this.reassemblers = [
      new DtlsHandshakeReassembler({ onMessage: (t, _s, b, v) => this.onMessage(t, b, v) }),
      new DtlsHandshakeReassembler({ onMessage: (t, _s, b, v) => this.onMessage(t, b, v) }),
    ];
  }

  /** The negotiated version: the ServerHello's supported_versions, else its legacy version. */
  get version(): number | null {
    const sh = this.serverHello;
    return sh === null ? null : (sh.selectedVersion ?? sh.version);
  }

  /**
   * True when later datagrams can teach nothing: the plaintext handshake is over (DTLS 1.3
   * after the ServerHello; DTLS <= 1.2 once the server finished its flight or went encrypted),
   * an alert ended it, the flow is broken, or it was looked at long enough.
   */
  get done(): boolean {
    if (this.broken || this.alert !== null) return true;
    if (this.datagrams >= LIMITS.maxUdpInspectDatagrams) return true;
    if (this.serverHello === null) return false;
    if (this.version === 0xfefc) return true;
    const serverSide = this.directionSwapped ? 0 : 1;
    return this.serverHelloDone || this.encrypted[serverSide];
  }

  /** One UDP datagram; `fromClient` is the caller's idea of the direction. Never throws. */
  datagram(fromClient: boolean, payload: Uint8Array): void {
    if (this.broken || payload.length === 0) return;
    if (this.datagrams >= LIMITS.maxUdpInspectDatagrams) {
      this.anomalies.add('udp_inspect_limit_reached');
      return;
    }
    // RFC 7983: STUN, ZRTP, TURN channels and RTP share the port; only 20..63 is DTLS.
    const first = payload[0]!;
    if (first < 20 || first > 63) return;
    this.datagrams++;
    try {
      this.walk(fromClient, payload);
    } catch {
      this.anomalies.add('dtls_violation');
      this.broken = true;
    }
  }

  private walk(fromClient: boolean, d: Uint8Array): void {
    const dir = fromClient ? 0 : 1;
    let off = 0;
    while (off < d.length) {
      const type = d[off]!;
      if ((type & 0xe0) === 0x20) {
        // RFC 9147 §4 unified header: an encrypted DTLS 1.3 record.
        this.encrypted[dir] = true;
        const cid = (type & 0x10) !== 0;
        const hasLength = (type & 0x04) !== 0;
        if (cid || !hasLength) return; // cannot find where it ends: it takes the rest
        const seqLen = (type & 0x08) !== 0 ? 2 : 1;
        const lenAt = off + 1 + seqLen;
        if (lenAt + 2 > d.length) return this.note('dtls_record_truncated');
        off = lenAt + 2 + ((d[lenAt]! << 8) | d[lenAt + 1]!);
        continue;
      }
      if (d.length - off < RECORD_HEADER) return this.note('dtls_record_truncated');
      const version = (d[off + 1]! << 8) | d[off + 2]!;
      const epoch = (d[off + 3]! << 8) | d[off + 4]!;
      if (type < CT_CHANGE_CIPHER_SPEC || type > CT_ACK || !isDtlsVersion(version)) return this.note('dtls_bad_record_header');
      if (type === CT_TLS12_CID) {
        this.encrypted[dir] = true;
        return this.note('dtls_connection_id_record');
      }
      const length = (d[off + 11]! << 8) | d[off + 12]!;
      const bodyStart = off + RECORD_HEADER;
      if (bodyStart + length > d.length) return this.note('dtls_record_truncated');
      const body = d.subarray(bodyStart, bodyStart + length);
      off = bodyStart + length;
      if (epoch !== 0) {
        this.encrypted[dir] = true;
        continue;
      }
      if (type === CT_HANDSHAKE) {
        this.curFromCaller = fromClient;
        const a = this.reassemblers[dir].record(body, version);
        if (a !== null) this.note(a);
      } else if (type === CT_ALERT && length === 2 && this.alert === null) {
        // A warning close_notify is not a failure.
        if (!(body[0] === 1 && body[1] === 0)) {
          this.alert = alertName(body[1]!);
          this.alertFromClient = fromClient !== this.directionSwapped;
        }
      }
    }
  }

  private onMessage(type: number, body: Uint8Array, recordVersion: number): void {
    const fromCaller = this.curFromCaller;
    switch (type) {
      case HS_CLIENT_HELLO: {
        const r = parseClientHello(body, 'd', recordVersion);
        if (!r.ok) return this.note(r.error);
        if (this.clientHello === null) {
          this.clientHello = r.value;
          this.clientRecordVersion = recordVersion;
          if (!fromCaller && this.serverHello === null && this.helloVerifyRequest === null) this.directionSwapped = true;
        } else if (this.retryClientHello === null && (this.helloVerifyRequest !== null || this.helloRetryRequest !== null)) {
          this.retryClientHello = r.value;
        } else {
          // A ClientHello retransmitted with a new message_seq, or a second connection.
          this.note('dtls_unexpected_client_hello');
        }
        return;
      }
      case HS_HELLO_VERIFY_REQUEST: {
        const r = parseHelloVerifyRequest(body);
        if (!r.ok) return this.note(r.error);
        this.helloVerifyRequest ??= r.value;
        return;
      }
      case HS_SERVER_HELLO: {
        const r = parseServerHello(body, 'd', recordVersion);
        if (!r.ok) return this.note(r.error);
        if (r.value.helloRetryRequest) this.helloRetryRequest ??= r.value;
        else if (this.serverHello === null) {
          this.serverHello = r.value;
          if (fromCaller && this.clientHello === null) this.directionSwapped = true;
        }
        return;
      }
      case HS_CERTIFICATE: {
        // The server's certificate: sent by the side that is not the client.
        const fromServer = fromCaller === this.directionSwapped;
        if (!fromServer || this.certificates.length > 0) return;
        const r = parseCertificateMessage(body, false);
        if (!r.ok) return this.note(r.error);
        this.certificates = r.value;
        for (const a of r.anomalies) this.note(a);
        return;
      }
      case HS_SERVER_HELLO_DONE:
        this.serverHelloDone = true;
        return;
    }
  }

  private note(name: string): void {
    this.anomalies.add(name);
  }
}
