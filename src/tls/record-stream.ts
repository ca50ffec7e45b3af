/**
 * TLS record framing for one direction of a reassembled TCP stream (RFC 8446 §5.1,
 * RFC 5246 §6.2.1), with SSL 2.0-framed hellos (RFC 5246 Appendix E.2).
 *
 *   struct {
 *       ContentType type;                  // 20..24
 *       ProtocolVersion legacy_record_version;
 *       uint16 length;                     // "MUST NOT exceed 2^14 bytes" (+2048 for TLS 1.2 ciphertext)
 *       opaque fragment[TLSPlaintext.length];
 *   } TLSPlaintext;
 *
 * Events go to a `TlsStreamSink` in stream order, and are the same however the bytes are split
 * across `push()` calls. What is buffered:
 *  - a record header that straddles pushes (≤ 5 bytes);
 *  - handshake bytes, through a HandshakeFramer: a message straddling records or pushes is
 *    copied once into a buffer of its size (≤ LIMITS.maxHandshakeMessageBytes);
 *  - the body of a first SSL 2.0 record (a hello; ≤ LIMITS.maxTlsRecordBytes).
 * Application data, encrypted records and heartbeats are never buffered: only their header is
 * looked at (`onRecord`), their bodies are skipped.
 *
 * Stopping: a bad record header, a cap, or a bad SSL 2.0 hello calls `onMalformed(name)` once
 * and the stream ignores everything after it (`stopped`). `gap()` stops it silently, because
 * record boundaries cannot be found again after lost bytes.
 *
 * Malformed names: tls_bad_record_header, tls_record_limit_reached,
 *   handshake_message_limit_reached, and the SSL 2.0 hello errors of sslv2.ts.
 * Anomaly names (`onAnomaly`, the stream goes on): tls_empty_handshake_record,
 *   tls_interleaved_handshake, tls_bad_change_cipher_spec, tls_bad_alert.
 */

import { LIMITS } from '../config/limits.js';
import type { ClientHelloModel, ServerHelloModel } from '../model/handshake.js';
import { HandshakeFramer } from './handshake-framer.js';
import { CONTENT_TYPE } from './registry/handshake-types.js';
import { VERSION } from './registry/versions.js';
import {
  parseSslv2ClientHello,
  parseSslv2ServerHello,
  SSLV2_MT_CLIENT_HELLO,
  SSLV2_MT_SERVER_HELLO,
} from './sslv2.js';

/**
 * The content type `onRecord` reports for an SSL 2.0 record (which has none). 0x80 is not a
 * TLS ContentType; it echoes the high bit that marks an SSL 2.0 two-byte header.
 */
export const SSLV2_RECORD = 0x80;

export interface TlsStreamSink {
  /**
   * Every record, when its header has been read (before its body). SSL 2.0 records report
   * `SSLV2_RECORD` and version 0x0002.
   */
  onRecord(contentType: number, version: number, length: number): void;
  /**
   * A complete plaintext handshake message, reassembled across records and pushes; several may
   * come from one record. `body` excludes the 4-byte header and is valid only during the call:
   * parsers that keep bytes copy them (parseClientHello does). `recordVersion` is the version of
   * the record in which the message started.
   */
  onHandshake(msgType: number, body: Uint8Array, recordVersion: number): void;
  /**
   * A ChangeCipherSpec record (while not `encrypted`). For TLS <= 1.2 the owner sets
   * `stream.encrypted = true` here: records after it in this direction are then opaque,
   * whatever their type.
   */
  onChangeCipherSpec(): void;
  /** A plaintext alert (a record of exactly two bytes while not `encrypted`). */
  onAlert(level: number, description: number): void;
  /**
   * A ClientHello the record layer decoded itself: only an SSL 2.0-framed hello (first record of
   * the stream, `hello.sslv2 === true`), which has no handshake message. TLS ClientHellos come
   * through `onHandshake(1, …)`. The model owns its bytes.
   */
  onClientHello(hello: ClientHelloModel): void;
  /**
   * Likewise an SSL 2.0 ServerHello (`hello.sslv2 === true`). `certificate` is the server's
   * certificate (DER when the certificate type is X.509) as a view into the model's own copy,
   * or null.
   */
  onServerHello(hello: ServerHelloModel, certificate: Uint8Array | null): void;
  /** The bytes are not TLS (or hit a cap): the stream has stopped, nothing follows. */
  onMalformed(name: string): void;
  /** A non-fatal oddity; the stream goes on. Optional. */
  onAnomaly?(name: string): void;
  /**
   * The whole body of an encrypted record (application_data, or any record once `encrypted`),
   * only while the owner has set `captureEncrypted` (TLS 1.3 handshake decryption with a key
   * log). `body` is valid only during the call.
   */
  onEncryptedRecord?(contentType: number, version: number, body: Uint8Array): void;
}

/** What to do with the body of the current record. */
const Body = {
  Skip: 0,
  Handshake: 1,
  ChangeCipherSpec: 2,
  Alert: 3,
  Sslv2Hello: 4,
  Encrypted: 5,
} as const;
type BodyMode = (typeof Body)[keyof typeof Body];

const TLS_HEADER = 5;
const SSLV2_HEADER = 2;

export class TlsRecordStream {
  /**
   * Set by the owner after a TLS <= 1.2 ChangeCipherSpec in this direction: every record is
   * then encrypted and only reported through `onRecord`.
   */
  encrypted = false;
  /**
   * Set by the owner while it decrypts the handshake (a key log holds this connection's
   * secrets): encrypted record bodies are then buffered, within LIMITS.maxTlsRecordBytes, and
   * handed to `onEncryptedRecord`. Otherwise they are only counted, never buffered.
   */
  captureEncrypted = false;

  private done = false;
  /** Body of the encrypted record being captured. */
  private encryptedBody: Uint8Array | null = null;
  private encryptedFill = 0;
  /** True until the first TLS record: SSL 2.0 records may only come first. */
  private sslv2Allowed = true;
  private records = 0;

  /** A record header that straddles pushes. */
  private head: Uint8Array | null = null;
  private headFill = 0;

  /** The record whose body is being read. */
  private bodyLeft = 0;
  private bodyMode: BodyMode = Body.Skip;
  private recType = 0;
  private recVersion = 0;
  private recLength = 0;
  /** First two body bytes of a ChangeCipherSpec or alert record. */
  private b0 = -1;
  private b1 = -1;
  /** Body of a first SSL 2.0 record. */
  private sslv2Body: Uint8Array | null = null;
  private sslv2Fill = 0;

  private readonly handshake: HandshakeFramer;

  constructor(private readonly sink: TlsStreamSink) {
    this.handshake = new HandshakeFramer(sink);
  }

  /** True once the stream gave up (malformed, cap, gap): later pushes are ignored. */
  get stopped(): boolean {
    return this.done;
  }

  /**
   * The next bytes of the stream. `data` is only read during the call (what must outlive it is
   * copied). Do not call push() from inside a sink callback.
   */
  push(data: Uint8Array): void {
    let off = 0;
    const n = data.length;
    while (off < n && !this.done) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, n - off);
        this.body(data, off, off + take);
        off += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0 && !this.done) this.endRecord();
        continue;
      }

      // At a record header: 2 bytes for an SSL 2.0 record, else 5.
      const first = this.headFill > 0 ? this.head![0]! : data[off]!;
      const headerLen = this.sslv2Allowed && (first & 0x80) !== 0 ? SSLV2_HEADER : TLS_HEADER;
      if (this.headFill === 0 && n - off >= headerLen) {
        this.startRecord(data, off);
        off += headerLen;
        continue;
      }
      this.head ??= new Uint8Array(TLS_HEADER);
      const take = Math.min(headerLen - this.headFill, n - off);
      this.head.set(data.subarray(off, off + take), this.headFill);
      this.headFill += take;
      off += take;
      if (this.headFill === headerLen) {
        this.headFill = 0;
        this.startRecord(this.head, 0);
      }
    }
  }

  /** Bytes were lost: record boundaries cannot be trusted again, so the stream stops. */
  gap(): void {
    this.stop();
  }

  private startRecord(h: Uint8Array, at: number): void {
    const first = h[at]!;
    this.records++;
    if (this.sslv2Allowed && (first & 0x80) !== 0) {
      this.startSslv2Record(((first & 0x7f) << 8) | h[at + 1]!);
      return;
    }

    const type = first;
    const version = (h[at + 1]! << 8) | h[at + 2]!;
    const length = (h[at + 3]! << 8) | h[at + 4]!;
    // Not TLS: a content type outside 20..24 (DTLS-only types included) or a major version
    // other than 3 (SSL 3.0 .. TLS 1.3 all use 0x03xx on the record layer).
    if (type < CONTENT_TYPE.changeCipherSpec || type > CONTENT_TYPE.heartbeat || version >> 8 !== 3 || (version & 0xff) > 4) {
      this.malformed('tls_bad_record_header');
      return;
    }
    if (length > LIMITS.maxTlsRecordBytes) {
      this.malformed('tls_record_limit_reached');
      return;
    }
    this.sslv2Allowed = false;
    this.recType = type;
    this.recVersion = version;
    this.recLength = length;
    this.b0 = -1;
    this.b1 = -1;
    this.sink.onRecord(type, version, length);

    // RFC 8446 §5.1: "if a handshake message is split over two or more records, there MUST NOT
    // be any other records between them." A partial message cannot complete now: drop it.
    const plainHandshake = type === CONTENT_TYPE.handshake && !this.encrypted;
    if (!plainHandshake && this.handshake.pending) {
      this.handshake.reset();
      this.anomaly('tls_interleaved_handshake');
    }

    if (this.captureEncrypted && (this.encrypted || type === CONTENT_TYPE.applicationData)) {
      this.bodyMode = Body.Encrypted;
      this.encryptedBody = new Uint8Array(length);
      this.encryptedFill = 0;
    } else if (this.encrypted) this.bodyMode = Body.Skip;
    else if (type === CONTENT_TYPE.handshake) this.bodyMode = Body.Handshake;
    else if (type === CONTENT_TYPE.changeCipherSpec) this.bodyMode = Body.ChangeCipherSpec;
    else if (type === CONTENT_TYPE.alert) this.bodyMode = Body.Alert;
    else this.bodyMode = Body.Skip;

    this.bodyLeft = length;
    if (length === 0) this.endRecord();
  }

  private startSslv2Record(length: number): void {
    this.recType = SSLV2_RECORD;
    this.recVersion = VERSION.SSL2;
    this.recLength = length;
    if (this.records === 1) {
      // The first record must be a hello: buffer it (small in practice, capped anyway).
      if (length === 0) {
        this.malformed('tls_bad_record_header');
        return;
      }
      if (length > LIMITS.maxTlsRecordBytes) {
        this.malformed('tls_record_limit_reached');
        return;
      }
      this.sslv2Body = new Uint8Array(length);
      this.sslv2Fill = 0;
      this.bodyMode = Body.Sslv2Hello;
    } else {
      // Later SSL 2.0 records (CLIENT-MASTER-KEY, encrypted messages) are only counted.
      this.bodyMode = Body.Skip;
    }
    this.sink.onRecord(SSLV2_RECORD, VERSION.SSL2, length);
    this.bodyLeft = length;
    if (length === 0) this.endRecord();
  }

  private body(data: Uint8Array, start: number, end: number): void {
    switch (this.bodyMode) {
      case Body.Skip:
        return;
      case Body.Handshake:
        if (!this.handshake.push(data, start, end, this.recVersion)) {
          this.malformed('handshake_message_limit_reached');
        }
        return;
      case Body.ChangeCipherSpec:
      case Body.Alert:
        // Only the first two bytes matter; the length is checked at the end of the record.
        for (let i = start; i < end && this.b1 < 0; i++) {
          if (this.b0 < 0) this.b0 = data[i]!;
          else this.b1 = data[i]!;
        }
        return;
      case Body.Sslv2Hello:
        this.sslv2Body!.set(data.subarray(start, end), this.sslv2Fill);
        this.sslv2Fill += end - start;
        return;
      case Body.Encrypted:
        this.encryptedBody!.set(data.subarray(start, end), this.encryptedFill);
        this.encryptedFill += end - start;
        return;
    }
  }

  private endRecord(): void {
    switch (this.bodyMode) {
      case Body.Skip:
        return;
      case Body.Handshake:
        // RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
        if (this.recLength === 0) this.anomaly('tls_empty_handshake_record');
        return;
      case Body.ChangeCipherSpec:
        // RFC 5246 §7.1: "The message consists of a single byte of value 1."
        if (this.recLength !== 1 || this.b0 !== 1) this.anomaly('tls_bad_change_cipher_spec');
        this.sink.onChangeCipherSpec();
        return;
      case Body.Alert:
        // RFC 8446 §6: "struct { AlertLevel level; AlertDescription description; } Alert;"
        if (this.recLength === 2) this.sink.onAlert(this.b0, this.b1);
        else this.anomaly('tls_bad_alert');
        return;
      case Body.Sslv2Hello:
        this.endSslv2Hello();
        return;
      case Body.Encrypted: {
        const body = this.encryptedBody!;
        this.encryptedBody = null;
        this.sink.onEncryptedRecord?.(this.recType, this.recVersion, body);
        return;
      }
    }
  }

  private endSslv2Hello(): void {
    const body = this.sslv2Body!;
    this.sslv2Body = null;
    const msgType = body[0];
    if (msgType === SSLV2_MT_CLIENT_HELLO) {
      const r = parseSslv2ClientHello(body);
      if (r.ok) this.sink.onClientHello(r.value);
      else this.malformed(r.error);
    } else if (msgType === SSLV2_MT_SERVER_HELLO) {
      const r = parseSslv2ServerHello(body);
      if (r.ok) this.sink.onServerHello(r.value.hello, r.value.certificate);
      else this.malformed(r.error);
    } else {
      // A first record with the high bit set that is no SSL 2.0 hello: not TLS at all.
      this.malformed('tls_bad_record_header');
    }
  }

  private anomaly(name: string): void {
    this.sink.onAnomaly?.(name);
  }

  private malformed(name: string): void {
    if (this.done) return;
    this.stop();
    this.sink.onMalformed(name);
  }

  private stop(): void {
    this.done = true;
    this.bodyLeft = 0;
    this.headFill = 0;
    this.head = null;
    this.sslv2Body = null;
    this.handshake.reset();
  }
}
