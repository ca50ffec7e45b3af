/**
 * Per-connection TLS state: feeds both reassembled byte streams through record framing, keeps
 * the hellos, the server's certificate list, alerts and the handshake history, and says when
 * the plaintext part of the handshake is over so the flow can stop looking at bytes
 * (anchors principle 7: "stop as soon as the interesting part is over").
 *
 * Direction 0 is the side that sent the first ClientHello (the client), 1 the other side.
 * Until a ClientHello is seen, the owner's guess (SYN sender, else the side not on the
 * service port) decides; a ClientHello from the other side swaps them (`clientDir`).
 */
import { LIMITS } from '../config/limits.js';
import type { ClientHelloModel, HandshakeSummary, ServerHelloModel } from '../model/handshake.js';
import type { SecretsLookup } from '../keylog/key-log.js';
import { Tls13FlightReader } from '../keylog/tls13-flight-reader.js';
import { negotiatedVersion } from '../model/handshake.js';
import { alertName } from './registry/alerts.js';
import { parseClientHello } from './client-hello.js';
import { parseServerHello } from './server-hello.js';
import { parseCertificateMessage } from './certificate-message.js';
import { TlsRecordStream, type TlsStreamSink } from './record-stream.js';
import { sameBytes } from '../bytes/equal.js';

/** RFC 8446 §5.1 ContentType. */
const CHANGE_CIPHER_SPEC = 20;
const ALERT = 21;
const APPLICATION_DATA = 23;

/** RFC 8446 §4 / RFC 5246 §7.4 HandshakeType values this analyzer acts on. */
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_SERVER_HELLO_DONE = 14;

/**
 * History letters, one per handshake message or notable record (Zeek's ssl_history idea):
 * upper-case when the client sent it, lower-case for the server.
 */
const HISTORY_LETTER: Readonly<Record<number, string>> = {
  0: 'q', // hello_request
  1: 'h', // client_hello
  2: 's', // server_hello
  3: 'v', // hello_verify_request (DTLS)
  4: 't', // new_session_ticket
  5: 'e', // end_of_early_data
  8: 'x', // encrypted_extensions
  11: 'c', // certificate
  12: 'k', // server_key_exchange
  13: 'r', // certificate_request
  14: 'd', // server_hello_done
  15: 'y', // certificate_verify
  16: 'm', // client_key_exchange
  20: 'f', // finished
  22: 'u', // certificate_status
  24: 'z', // key_update
};

export class TlsAnalyzer {
  /** First ClientHello of the connection (fingerprints use it, even after a HelloRetryRequest). */
  clientHello: ClientHelloModel | null = null;
  /** The ClientHello sent again after a HelloRetryRequest. */
  retryClientHello: ClientHelloModel | null = null;
  helloRetryRequest: ServerHelloModel | null = null;
  /** The ServerHello that was not a HelloRetryRequest. */
  serverHello: ServerHelloModel | null = null;
  /** DER certificates of the server's TLS <= 1.2 Certificate message, leaf first (copies). */
  certificates: Uint8Array[] = [];
  /** Name of the first plaintext alert, and who sent it. */
  alert: string | null = null;
  alertFromClient = false;
  /** A fatal alert (level 2) ends the handshake; a warning (e.g. unrecognized_name) does not. */
  fatalAlert = false;
  /** Record-layer version of the record that carried the first ClientHello. */
  clientRecordVersion: number | null = null;
  /** Which raw direction (as the owner numbers them) is the client; null until a hello decides. */
  clientDir: 0 | 1 | null = null;
  history = '';
  readonly anomalies = new Set<string>();
  /** True once the bytes stopped looking like TLS (record framing broke). */
  broken = false;

  private readonly streams: [TlsRecordStream, TlsRecordStream];
  private readonly changeCipherSpec: [boolean, boolean] = [false, false];
  /** Application-data records seen after the final ServerHello, per raw direction. */
  private readonly appDataAfterHello: [boolean, boolean] = [false, false];
  private readonly handshakeBytes: [number, number] = [0, 0];
  private serverDone = false;
  /** Decrypts the server's TLS 1.3 handshake flight when a key log holds this connection. */
  private flightReader: Tls13FlightReader | null = null;

  constructor(
    private readonly guessedClientDir: 0 | 1,
    /** Key log secrets (--keylog, pcapng Decryption Secrets Blocks), or null. */
    private readonly secrets: SecretsLookup | null = null,
  ) {
    this.streams = [new TlsRecordStream(this.sinkFor(0)), new TlsRecordStream(this.sinkFor(1))];
  }

  /** The handshake as the session record needs it. */
  summary(): HandshakeSummary {
    const flight = this.flightReader?.flight ?? null;
    return {
      clientHello: this.clientHello,
      serverHello: this.serverHello,
      helloRetryRequest: this.helloRetryRequest,
      certificates: this.certificates.length > 0 ? this.certificates : (flight?.certificates ?? []),
      decryptedAlpn: flight?.alpnSelected ?? null,
      alert: this.alert,
      resumed: this.resumed,
      established: this.established,
      clientRecordVersion: this.clientRecordVersion,
      quicVersion: null,
      impliedVersion: null,
      history: this.history,
      anomalies: [...this.anomalies, ...(this.flightReader?.anomalies ?? [])],
    };
  }

  /** Bytes of the reassembled stream of one raw direction, in order. */
  push(dir: 0 | 1, bytes: Uint8Array): void {
    if (this.done) return;
    this.handshakeBytes[dir] += bytes.length;
    if (this.handshakeBytes[dir] > LIMITS.maxHandshakeBytesPerDirection) {
      this.anomalies.add('handshake_bytes_limit_reached');
      this.broken = true;
      return;
    }
    this.streams[dir].push(bytes);
  }

  /** Bytes were lost in one direction: framing cannot resume reliably after a gap. */
  gap(dir: 0 | 1): void {
    if (this.done) return;
    this.anomalies.add('tls_stream_gap');
    this.streams[dir].gap();
  }

  /** The plaintext handshake is over (or will never make sense): later bytes need no look. */
  get done(): boolean {
    if (this.broken || this.fatalAlert) return true;
    const sh = this.serverHello;
    if (sh === null) return false;
    if (sh.sslv2) return true;
    if (negotiatedVersion(sh) >= 0x0304 || (negotiatedVersion(sh) & 0xff00) === 0x7f00) {
      // TLS 1.3: everything after the ServerHello is encrypted; wait until both sides sent
      // application_data records so that "established" can be judged (and, with a key log,
      // until the server's flight is decrypted).
      return this.appDataAfterHello[0] && this.appDataAfterHello[1] && (this.flightReader === null || this.flightReader.done);
    }
    // TLS <= 1.2: both ChangeCipherSpec seen means both Finished are on their way, encrypted.
    return this.changeCipherSpec[0] && this.changeCipherSpec[1];
  }

  /** Whether the handshake looks completed: both sides switched to encrypted traffic, no alert. */
  get established(): boolean {
    const sh = this.serverHello;
    if (sh === null || this.fatalAlert) return false;
    if (sh.sslv2) return true;
    const v = negotiatedVersion(sh);
    if (v >= 0x0304 || (v & 0xff00) === 0x7f00) return this.appDataAfterHello[0] && this.appDataAfterHello[1];
    return this.changeCipherSpec[0] && this.changeCipherSpec[1];
  }

  /** Session resumed: TLS 1.3 PSK accepted, or TLS <= 1.2 session id echoed / abbreviated handshake. */
  get resumed(): boolean {
    const sh = this.serverHello;
    const ch = this.clientHello;
    if (sh === null || ch === null) return false;
    const v = negotiatedVersion(sh);
    if (v >= 0x0304 || (v & 0xff00) === 0x7f00) return sh.hasPreSharedKey;
    if (ch.sessionId.length > 0 && sameBytes(ch.sessionId, sh.sessionId)) return true;
    // Ticket resumption (RFC 5077 §3.1): the server goes to ChangeCipherSpec without a Certificate.
    const server = this.serverDir();
    return server !== null && this.changeCipherSpec[server] && !this.serverDone && this.certificates.length === 0;
  }

  private serverDir(): 0 | 1 | null {
    return this.clientDir === null ? null : ((1 - this.clientDir) as 0 | 1);
  }

  private isClient(dir: 0 | 1): boolean {
    return (this.clientDir ?? this.guessedClientDir) === dir;
  }

  private sinkFor(dir: 0 | 1): TlsStreamSink {
    return {
      onRecord: (contentType) => {
        if (contentType === APPLICATION_DATA && this.serverHello !== null) this.appDataAfterHello[dir] = true;
      },
      onHandshake: (msgType, body, recordVersion) => this.onHandshake(dir, msgType, body, recordVersion),
      onChangeCipherSpec: () => {
        this.changeCipherSpec[dir] = true;
        this.history += this.isClient(dir) ? 'G' : 'g';
        // TLS <= 1.2 (RFC 5246 §7.1): what follows ChangeCipherSpec in this direction is
        // encrypted. In TLS 1.3 the record is only a middlebox-compatibility dummy (RFC 8446
        // §D.4) and encrypted records are application_data anyway; but after a
        // HelloRetryRequest the server's ServerHello and the client's second ClientHello still
        // follow the dummy CCS in clear.
        const afterRetry = this.helloRetryRequest !== null;
        const clearHelloFollows = this.isClient(dir) ? afterRetry && this.retryClientHello === null : afterRetry && this.serverHello === null;
        if (!clearHelloFollows) this.streams[dir].encrypted = true;
      },
      onAlert: (level, description) => {
        this.history += this.isClient(dir) ? 'A' : 'a';
        if (level === 2) this.fatalAlert = true;
        // Only the first plaintext alert is kept; a warning close_notify is not a failure.
        if (this.alert === null && !(level === 1 && description === 0)) {
          this.alert = alertName(description);
          this.alertFromClient = this.isClient(dir);
        }
      },
      onMalformed: (name) => {
        this.anomalies.add(name);
        this.broken = true;
      },
      onEncryptedRecord: (contentType, version, body) => {
        const reader = this.flightReader;
        if (reader === null || this.isClient(dir)) return;
        reader.record(contentType, version, body);
        if (reader.done) this.streams[dir].captureEncrypted = false;
      },
      onClientHello: (model) => this.onClientHello(dir, model),
      // SSL 2.0 servers send their certificate inside the ServerHello.
      onServerHello: (model, certificate) => {
        this.onServerHello(model);
        if (certificate !== null && this.certificates.length === 0) this.certificates = [certificate.slice()];
      },
    };
  }

  private onHandshake(dir: 0 | 1, msgType: number, body: Uint8Array, recordVersion: number): void {
    switch (msgType) {
      case HS_CLIENT_HELLO: {
        const r = parseClientHello(body, 't', recordVersion);
        if (r.ok) this.onClientHello(dir, r.value);
        else this.anomalies.add(r.error);
        return;
      }
      case HS_SERVER_HELLO: {
        const r = parseServerHello(body, 't', recordVersion);
        if (r.ok) this.onServerHello(r.value);
        else this.anomalies.add(r.error);
        return;
      }
      case HS_CERTIFICATE:
        // Server certificates only (a client certificate is not the server's identity).
        if (!this.isClient(dir) && this.certificates.length === 0) {
          const r = parseCertificateMessage(body, false);
          if (!r.ok) this.anomalies.add(r.error);
          else {
            this.certificates = r.value;
            // certificates_limit_reached, certificate_empty_entry...: as the DTLS and key-log paths do.
            for (const a of r.anomalies) this.anomalies.add(a);
          }
        }
        break;
      case HS_SERVER_HELLO_DONE:
        this.serverDone = true;
        break;
    }
    const letter = HISTORY_LETTER[msgType] ?? '?';
    this.history += this.isClient(dir) ? letter.toUpperCase() : letter;
  }

  private onClientHello(dir: 0 | 1, model: ClientHelloModel): void {
    if (this.clientDir === null) this.clientDir = dir;
    if (this.clientHello === null) {
      this.clientHello = model;
      this.clientRecordVersion = model.recordVersion;
    } else if (this.helloRetryRequest !== null && this.retryClientHello === null) {
      this.retryClientHello = model;
    } else {
      this.anomalies.add('tls_unexpected_client_hello');
    }
    this.history += dir === this.clientDir ? 'H' : 'h';
  }

  private onServerHello(model: ServerHelloModel): void {
    if (model.helloRetryRequest) {
      if (this.helloRetryRequest === null) this.helloRetryRequest = model;
      else this.anomalies.add('tls_second_hello_retry_request');
      this.history += 'r';
      return;
    }
    if (this.serverHello === null) {
      this.serverHello = model;
      // TLS 1.3 hides the server's certificate; a key log holding this connection opens it.
      if (this.clientHello !== null) {
        this.flightReader = Tls13FlightReader.start(this.secrets, this.clientHello, model);
        const server = this.serverDir() ?? ((1 - this.guessedClientDir) as 0 | 1);
        if (this.flightReader !== null && !this.flightReader.done) this.streams[server].captureEncrypted = true;
      }
    } else this.anomalies.add('tls_unexpected_server_hello');
    this.history += 's';
  }
}

export { CHANGE_CIPHER_SPEC, ALERT };
