/**
 * The TLS analyzer's side of key-log decryption over TCP, in one object: given the connection's
 * ClientHello and (TLS 1.3) ServerHello, it finds the server_handshake_traffic_secret in the key
 * log by client random, then takes the server's records after the ServerHello in order and reads
 * the decrypted flight (EncryptedExtensions -> ALPN, Certificate / CompressedCertificate -> DER
 * chain). It stops after the server's Finished, or at the first failure.
 *
 * Anomalies (stable names, on `anomalies`): keylog_missing_secret (a key log is in use but lacks
 * this connection), keylog_decrypt_failed (wrong secret), tls13_unsupported_cipher_suite,
 * keylog_secret_wrong_length, tls13_handshake_records_limit_reached, and ServerFlight's own.
 */
import type { ClientHelloModel, ServerHelloModel } from '../model/handshake.js';
import type { SecretsLookup } from './key-log.js';
import { ServerFlight } from './server-flight.js';
import { Tls13HandshakeDecryptor } from './tls13-decryptor.js';

export class Tls13FlightReader {
  readonly flight = new ServerFlight();
  readonly anomalies: string[] = [];
  private readonly decryptor: Tls13HandshakeDecryptor | null;
  private stopped = false;

  /** `secret` null: the key log lacks this connection. */
  private constructor(secret: Uint8Array | null, cipherSuite: number) {
    this.decryptor = secret === null ? null : new Tls13HandshakeDecryptor(secret, cipherSuite);
    if (this.decryptor === null) this.stop('keylog_missing_secret');
    else if (this.decryptor.error !== null) this.stop(this.decryptor.error);
  }

  /**
   * A reader for this connection, or null when there is nothing to decrypt (no key log in use,
   * or not a TLS 1.3 ServerHello). When the key log lacks the connection, the reader exists but
   * is already done with `keylog_missing_secret`, so the absence is reported per session.
   */
  static start(secrets: SecretsLookup | null, ch: ClientHelloModel, sh: ServerHelloModel): Tls13FlightReader | null {
    if (secrets === null || secrets.size === 0 || sh.helloRetryRequest) return null;
    if ((sh.selectedVersion ?? sh.version) !== 0x0304) return null;
    return new Tls13FlightReader(secrets.lookup(ch.random)?.serverHandshakeTrafficSecret ?? null, sh.cipher);
  }

  /** True once the flight is read (server Finished) or decryption gave up: no more records wanted. */
  get done(): boolean {
    return this.stopped;
  }

  /** One record of the server's direction after the ServerHello; `body` is read during the call. */
  record(contentType: number, version: number, body: Uint8Array): void {
    if (this.stopped || this.decryptor === null) return;
    const r = this.decryptor.record(contentType, version, body);
    if (!r.ok) return this.stop(r.error);
    for (const m of r.messages) this.flight.message(m.type, m.body);
    for (const a of this.flight.anomalies) if (!this.anomalies.includes(a)) this.anomalies.push(a);
    if (this.decryptor.finished || r.alert !== null) this.stopped = true;
  }

  private stop(anomaly: string): void {
    this.stopped = true;
    if (!this.anomalies.includes(anomaly)) this.anomalies.push(anomaly);
  }
}
