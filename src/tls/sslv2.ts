/**
 * SSL 2.0 hellos: the SSLv2-compatible ClientHello that old clients send to reach SSL 3.0/TLS
 * servers (RFC 5246 Appendix E.2, RFC 6101 Appendix E.1), and the SSL 2.0 ServerHello
 * (draft-hickman-netscape-ssl-00 "SERVER-HELLO"). Both come from an SSL 2.0 record with a
 * two-byte header; the record stream strips that header and passes the record body, which
 * starts with the message type.
 *
 * Errors: sslv2_client_hello_truncated, sslv2_bad_cipher_specs, sslv2_server_hello_truncated.
 * Anomalies: sslv2_cipher_kinds_dropped, sslv2_bad_challenge_length, sslv2_trailing_bytes,
 *   sslv2_no_cipher_specs.
 */

import { ByteReader } from '../bytes/reader.js';
import { newClientHello, newServerHello, type ClientHelloModel, type ServerHelloModel } from '../model/handshake.js';
import { fail, type ParseResult } from './parse-result.js';
import { VERSION } from './registry/versions.js';

export const SSLV2_MT_CLIENT_HELLO = 1;
export const SSLV2_MT_SERVER_HELLO = 4;

/**
 * RFC 5246 Appendix E.2:
 *   uint16 msg_length;          // the record header, stripped by the caller
 *   uint8 msg_type;             // 1
 *   Version version;
 *   uint16 cipher_spec_length;  // "the total length of the field cipher_specs … cannot be zero
 *                               //  and MUST be a multiple of the V2CipherSpec length (3)"
 *   uint16 session_id_length;
 *   uint16 challenge_length;    // "Historically, permissible values are between 16 and 32
 *                               //  bytes inclusive" (anomaly if not)
 *   V2CipherSpec cipher_specs[V2ClientHello.cipher_spec_length];
 *   opaque session_id[V2ClientHello.session_id_length];
 *   opaque challenge[V2ClientHello.challenge_length];
 *
 * The model keeps the cipher specs whose first byte is 0 (TLS cipher suites in SSLv2 dress,
 * "V2CipherSpec (see TLS name) = { 0x00, CipherSuite }") as 16-bit numbers; SSL 2.0-only kinds
 * (first byte non-zero) are dropped and noted once as `sslv2_cipher_kinds_dropped`. `random` is
 * the challenge as sent (16..32 bytes; a TLS server right-aligns it in a 32-byte Random). The
 * record version is reported as 0x0002 (SSL 2.0 framing); there are no compression methods and
 * no extensions.
 */
export function parseSslv2ClientHello(recordBody: Uint8Array): ParseResult<ClientHelloModel> {
  const own = recordBody.slice();
  const r = new ByteReader(own);
  r.u8(); // msg_type, checked by the caller
  const version = r.u16();
  const specsLen = r.u16();
  const sessionIdLen = r.u16();
  const challengeLen = r.u16();
  if (!r.ok || !r.has(specsLen + sessionIdLen + challengeLen)) return fail('sslv2_client_hello_truncated');
  if (specsLen === 0 || specsLen % 3 !== 0) return fail('sslv2_bad_cipher_specs');

  const ciphers: number[] = [];
  let dropped = false;
  for (const end = r.pos + specsLen; r.pos < end; ) {
    const kind = r.u8();
    const low = r.u16();
    if (kind === 0) ciphers.push(low);
    else dropped = true;
  }
  const sessionId = r.bytes(sessionIdLen);
  const challenge = r.bytes(challengeLen);

  const anomalies: string[] = [];
  if (dropped) anomalies.push('sslv2_cipher_kinds_dropped');
  if (challengeLen < 16 || challengeLen > 32) anomalies.push('sslv2_bad_challenge_length');
  if (r.remaining > 0) anomalies.push('sslv2_trailing_bytes');

  return {
    ok: true,
    value: newClientHello({
      transport: 't',
      recordVersion: VERSION.SSL2,
      version,
      sslv2: true,
      random: challenge,
      sessionId,
      ciphers,
      anomalies,
    }),
  };
}

export interface Sslv2ServerHello {
  hello: ServerHelloModel;
  /** CERTIFICATE-DATA (an X.509 DER certificate when certificate type is 1), or null when empty. A view into the model's own copy. */
  certificate: Uint8Array | null;
  /** Every cipher kind the server listed, as 24-bit numbers (see SSLV2_CIPHER_KINDS). */
  cipherKinds: number[];
}

/**
 * draft-hickman-netscape-ssl-00, SERVER-HELLO:
 *   char MSG-SERVER-HELLO                       // 4
 *   char SESSION-ID-HIT
 *   char CERTIFICATE-TYPE
 *   char SERVER-VERSION-MSB, SERVER-VERSION-LSB
 *   char CERTIFICATE-LENGTH-MSB, -LSB
 *   char CIPHER-SPECS-LENGTH-MSB, -LSB
 *   char CONNECTION-ID-LENGTH-MSB, -LSB
 *   char CERTIFICATE-DATA[…], CIPHER-SPECS-DATA[…], CONNECTION-ID-DATA[…]
 *
 * SSL 2.0 has no chosen cipher in the ServerHello (the client picks one of the listed kinds
 * later), so the model's `cipher` is the first listed kind as a 24-bit number (0 when none).
 * `random` is the CONNECTION-ID, `sessionId` is empty, `version` is SERVER-VERSION (0x0002).
 */
export function parseSslv2ServerHello(recordBody: Uint8Array): ParseResult<Sslv2ServerHello> {
  const own = recordBody.slice();
  const r = new ByteReader(own);
  r.u8(); // msg_type, checked by the caller
  r.u8(); // session id hit
  r.u8(); // certificate type
  const version = r.u16();
  const certLen = r.u16();
  const specsLen = r.u16();
  const connIdLen = r.u16();
  if (!r.ok || !r.has(certLen + specsLen + connIdLen)) return fail('sslv2_server_hello_truncated');
  if (specsLen % 3 !== 0) return fail('sslv2_bad_cipher_specs');
  const certificate = r.bytes(certLen);
  const cipherKinds: number[] = [];
  for (const end = r.pos + specsLen; r.pos < end; ) cipherKinds.push(r.u24());
  const connectionId = r.bytes(connIdLen);

  const anomalies: string[] = [];
  if (cipherKinds.length === 0) anomalies.push('sslv2_no_cipher_specs');
  if (r.remaining > 0) anomalies.push('sslv2_trailing_bytes');

  return {
    ok: true,
    value: {
      hello: newServerHello({
        transport: 't',
        recordVersion: VERSION.SSL2,
        version,
        random: connectionId,
        sessionId: own.subarray(0, 0),
        cipher: cipherKinds[0] ?? 0,
        sslv2: true,
        anomalies,
      }),
      certificate: certLen > 0 ? certificate : null,
      cipherKinds,
    },
  };
}
