/**
 * ServerHello body → ServerHelloModel (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3; DTLS uses the
 * TLS 1.2 form, RFC 6347 §4.2.1), and the DTLS HelloVerifyRequest (RFC 6347 §4.2.1).
 *
 *   struct {
 *       ProtocolVersion legacy_version;
 *       Random random;                                  // 32 bytes
 *       opaque legacy_session_id_echo<0..32>;
 *       CipherSuite cipher_suite;
 *       uint8 legacy_compression_method;
 *       Extension extensions<6..2^16-1>;                // absent in SSL 3.0-era hellos
 *   } ServerHello;
 *
 * A HelloRetryRequest is a ServerHello whose random is the SHA-256 of "HelloRetryRequest"
 * (RFC 8446 §4.1.3); its key_share carries only `selected_group`.
 *
 * Errors: server_hello_truncated, server_hello_bad_session_id.
 * Anomalies: server_hello_bad_extensions (extensions before the damage are kept), server_hello_trailing_bytes, extensions_duplicate, extensions_limit_reached,
 *   alpn_empty_protocol_name, ext_bad_<extension>.
 * The body is copied once; the model's views point into that copy.
 */

import { ByteReader } from '../bytes/reader.js';
import { newServerHello, type ServerHelloModel } from '../model/handshake.js';
import { applyServerExtension, decodeEachExtension, readExtensions } from './extensions.js';
import { fail, type ParseResult } from './parse-result.js';
import { readHelloStart } from './hello-start.js';

/**
 * RFC 8446 §4.1.3: "For reasons of backward compatibility with middleboxes … the
 * HelloRetryRequest message uses the same structure as the ServerHello, but with Random set to
 * the special value of the SHA-256 of "HelloRetryRequest":
 *   CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91
 *   C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C"
 */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

export function isHelloRetryRequestRandom(random: Uint8Array): boolean {
  if (random.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (random[i] !== HELLO_RETRY_REQUEST_RANDOM[i]) return false;
  return true;
}

/**
 * TLS 1.3 draft versions 0x7f00-0x7f15 (drafts 0-21), Google's experiments 0x7e01/0x7e02, and
 * 0x0304 itself in the version field: the final RFC 8446 §4.1.3 says "legacy_version ... MUST be
 * set to 0x0303", so 0x0304 there means an early draft that had no draft number yet (draft-14).
 */
export function isEarlyDraftVersion(version: number): boolean {
  return (version >= 0x7f00 && version <= 0x7f15) || version === 0x7e01 || version === 0x7e02 || version === 0x0304;
}

export function parseServerHello(
  body: Uint8Array,
  transport: 't' | 'q' | 'd',
  recordVersion: number,
): ParseResult<ServerHelloModel> {
  const start = readHelloStart(body);
  if (start === null) return fail('server_hello_truncated');
  const { r, version, random } = start;

  // TLS 1.3 drafts up to 21 (and the experiments built on them) dropped the session id and
  // compression method: "struct { ProtocolVersion version; Random random; CipherSuite
  // cipher_suite; Extension extensions<0..2^16-1>; } ServerHello;" (draft-ietf-tls-tls13-21
  // §4.1.3). Draft 22 brought the legacy fields back for middlebox compatibility.
  const draft = isEarlyDraftVersion(version);
  let sessionId = r.bytes(0);
  if (!draft) {
    const sessionIdLen = r.u8();
    if (!r.ok || sessionIdLen > 32 || !r.has(sessionIdLen)) return fail('server_hello_bad_session_id');
    sessionId = r.bytes(sessionIdLen);
  }

  const cipher = r.u16();
  const compressionMethod = draft ? 0 : r.u8();
  if (!r.ok) return fail('server_hello_truncated');

  const m = newServerHello({
    transport,
    recordVersion,
    version,
    random,
    sessionId,
    cipher,
    compressionMethod,
    helloRetryRequest: isHelloRetryRequestRandom(random),
  });

  if (r.remaining === 0) return { ok: true, value: m };

  if (readExtensions(r, m.extensions, m.anomalies) !== null) m.anomalies.push('server_hello_bad_extensions');
  m.hasExtensionsBlock = true;
  if (r.remaining > 0) m.anomalies.push('server_hello_trailing_bytes');

  decodeEachExtension(m.extensions, m.anomalies, (type, r) => applyServerExtension(m, type, r));
  return { ok: true, value: m };
}

export interface HelloVerifyRequest {
  /** server_version (a DTLS version, e.g. 0xfeff). */
  version: number;
  /** The cookie, an owned copy. */
  cookie: Uint8Array;
}

/**
 * DTLS HelloVerifyRequest (handshake type 3), RFC 6347 §4.2.1:
 *   struct { ProtocolVersion server_version; opaque cookie<0..2^8-1>; } HelloVerifyRequest;
 */
export function parseHelloVerifyRequest(body: Uint8Array): ParseResult<HelloVerifyRequest> {
  const r = new ByteReader(body);
  const version = r.u16();
  const cookie = r.vec8();
  if (!r.ok) return fail('hello_verify_request_truncated');
  if (r.remaining !== 0) return fail('hello_verify_request_trailing_bytes');
  return { ok: true, value: { version, cookie: cookie.slice() } };
}
