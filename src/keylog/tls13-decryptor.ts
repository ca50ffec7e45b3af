/**
 * Decrypts the server's TLS 1.3 handshake flight over TCP (the records after the ServerHello)
 * with the server_handshake_traffic_secret from a key log (RFC 8446 §7.3, §5.2, §5.3):
 *
 *   [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 *   [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 *
 *   struct {
 *       ContentType opaque_type = application_data; // 23
 *       ProtocolVersion legacy_record_version = 0x0303;
 *       uint16 length;
 *       opaque encrypted_record[TLSCiphertext.length];
 *   } TLSCiphertext;
 *
 *   additional_data = TLSCiphertext.opaque_type || TLSCiphertext.legacy_record_version || TLSCiphertext.length
 *   nonce = write_iv XOR (64-bit record sequence number, left-padded)
 *
 *   struct {
 *       opaque content[TLSPlaintext.length];
 *       ContentType type;
 *       uint8 zeros[length_of_padding];
 *   } TLSInnerPlaintext;
 *
 * "The sequence number ... is set to zero whenever the key is changed" — the first encrypted
 * record after the ServerHello is sequence 0. ChangeCipherSpec records (middlebox compatibility,
 * §D.4) are not protected and do not count. Handshake messages may span records; they go
 * through the same HandshakeFramer as plaintext TLS.
 *
 * Usage: one decryptor per connection, fed the server's records in order, starting with the first
 * record after the ServerHello. It stops after the server's Finished (the keys change there).
 * A wrong key shows as `keylog_decrypt_failed` on the first record; the decryptor then stays
 * failed. Nothing throws.
 */
import { LIMITS } from '../config/limits.js';
import { HandshakeFramer } from '../tls/handshake-framer.js';
import { aeadOpen } from './aead.js';
import { hkdfExpandLabel, tls13Suite, type Tls13Suite, xorNonce } from './key-schedule.js';
import { ServerFlight } from './server-flight.js';

/** RFC 8446 §5.1 ContentType values. */
const CHANGE_CIPHER_SPEC = 20;
const ALERT = 21;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
/** HandshakeType finished (RFC 8446 §4). */
const FINISHED = 20;
/** RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes." */
const MAX_CIPHERTEXT = 16384 + 256;

/** A decrypted handshake message: its type and its body (an owned copy, without the 4-byte header). */
export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
}

export type DecryptRecordResult =
  | {
      ok: true;
      /** Complete handshake messages this record finished (may be none: a message can span records). */
      messages: HandshakeMessage[];
      /** An alert carried inside the encrypted record: [level, description]. */
      alert: [number, number] | null;
    }
  | { ok: false; error: string };

/** Traffic key and IV of one direction, from a TLS 1.3 traffic secret (RFC 8446 §7.3). */
export interface TrafficKeys {
  suite: Tls13Suite;
  key: Uint8Array;
  iv: Uint8Array;
}

export function trafficKeys(secret: Uint8Array, cipherSuite: number): TrafficKeys | null {
  const suite = tls13Suite(cipherSuite);
  if (suite === null) return null;
  const empty = new Uint8Array(0);
  return {
    suite,
    key: hkdfExpandLabel(suite.hash, secret, 'key', empty, suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', empty, suite.ivLength),
  };
}

export class Tls13HandshakeDecryptor {
  /** Why the decryptor stopped for good, or null while it works. */
  error: string | null = null;
  /** True once the server's Finished was decrypted: later records use other keys. */
  finished = false;
  /** Records decrypted so far (the next record's sequence number). */
  private seq = 0;
  private readonly keys: TrafficKeys | null;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(5);
  private readonly framer: HandshakeFramer;
  private pending: HandshakeMessage[] = [];

  /**
   * @param secret the server_handshake_traffic_secret (SERVER_HANDSHAKE_TRAFFIC_SECRET in the key log)
   * @param cipherSuite the ServerHello's cipher_suite (0x1301..0x1305)
   */
  constructor(secret: Uint8Array, cipherSuite: number) {
    this.keys = trafficKeys(secret, cipherSuite);
    if (this.keys === null) this.error = 'tls13_unsupported_cipher_suite';
    else if (secret.length !== this.keys.suite.hashLength) this.error = 'keylog_secret_wrong_length';
    this.framer = new HandshakeFramer({
      onHandshake: (type, body) => {
        this.pending.push({ type, body: body.slice() });
        if (type === FINISHED) this.finished = true;
      },
    });
  }

  /**
   * One record of the server's direction after the ServerHello: its header's content type and
   * version, and its body (valid only during the call).
   */
  record(contentType: number, version: number, body: Uint8Array): DecryptRecordResult {
    if (this.error !== null) return { ok: false, error: this.error };
    if (this.finished) return { ok: true, messages: [], alert: null };
    // Plaintext records between the hellos and the encrypted flight: the compatibility
    // ChangeCipherSpec, or a plaintext alert. Not protected, not counted.
    if (contentType === CHANGE_CIPHER_SPEC) return { ok: true, messages: [], alert: null };
    if (contentType === ALERT && body.length === 2) return { ok: true, messages: [], alert: [body[0]!, body[1]!] };
    if (contentType !== APPLICATION_DATA) return this.fail('tls13_unexpected_plaintext_record');
    if (body.length > MAX_CIPHERTEXT) return this.fail('tls_record_limit_reached');
    if (this.seq >= LIMITS.maxEncryptedHandshakeRecords) return this.fail('tls13_handshake_records_limit_reached');

    const keys = this.keys!;
    const aad = this.aad;
    aad[0] = contentType;
    aad[1] = version >> 8;
    aad[2] = version & 0xff;
    aad[3] = body.length >> 8;
    aad[4] = body.length & 0xff;
    const plain = aeadOpen(keys.suite.aead, keys.key, xorNonce(keys.iv, this.seq, this.nonce), aad, body, keys.suite.tagLength);
    if (plain === null) return this.fail('keylog_decrypt_failed');
    this.seq++;

    // RFC 8446 §5.4: strip the zero padding; the last non-zero byte is the real content type.
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) return this.fail('tls13_inner_plaintext_empty');
    const innerType = plain[end - 1]!;
    const content = plain.subarray(0, end - 1);

    if (innerType === HANDSHAKE) {
      if (!this.framer.push(content, 0, content.length, 0x0303)) return this.fail('handshake_message_limit_reached');
      const messages = this.pending;
      this.pending = [];
      return { ok: true, messages, alert: null };
    }
    if (innerType === ALERT && content.length === 2) return { ok: true, messages: [], alert: [content[0]!, content[1]!] };
    // Application data (or anything else) under handshake keys breaks RFC 8446 §5.1.
    return this.fail('tls13_unexpected_inner_content_type');
  }

  private fail(error: string): { ok: false; error: string } {
    this.error = error;
    this.pending = [];
    return { ok: false, error };
  }
}

/** One TLS record as framed on the wire: header type and version, and its body. */
export interface TlsRecord {
  type: number;
  version: number;
  body: Uint8Array;
}

/**
 * Convenience over Tls13HandshakeDecryptor + ServerFlight: decrypts the server's records that
 * follow its ServerHello, in order, until its Finished, and reads the flight. `error` is the first
 * failure (e.g. keylog_decrypt_failed), or null.
 */
export function decryptServerHandshakeFlight(
  secret: Uint8Array,
  cipherSuite: number,
  records: Iterable<TlsRecord>,
): { flight: ServerFlight; error: string | null; alert: [number, number] | null } {
  const d = new Tls13HandshakeDecryptor(secret, cipherSuite);
  const flight = new ServerFlight();
  let alert: [number, number] | null = null;
  if (d.error !== null) return { flight, error: d.error, alert };
  for (const rec of records) {
    const r = d.record(rec.type, rec.version, rec.body);
    if (!r.ok) return { flight, error: r.error, alert };
    for (const m of r.messages) flight.message(m.type, m.body);
    alert ??= r.alert;
    if (d.finished || alert !== null) break;
  }
  return { flight, error: null, alert };
}
