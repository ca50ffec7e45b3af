/**
 * ClientHello body → ClientHelloModel (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2; DTLS: RFC 6347 §4.2.2).
 *
 *   struct {
 *       ProtocolVersion legacy_version;
 *       Random random;                                  // 32 bytes
 *       opaque legacy_session_id<0..32>;
 *       opaque cookie<0..2^8-1>;                        // DTLS only
 *       CipherSuite cipher_suites<2..2^16-2>;
 *       opaque legacy_compression_methods<1..2^8-1>;
 *       Extension extensions<8..2^16-1>;                // absent in SSL 3.0-era hellos
 *   } ClientHello;
 *
 * Lengths that overrun the body are a failure (`{ ok: false, error }`); everything else odd is
 * an anomaly on the model and parsing goes on. Anomaly names (stable):
 *   client_hello_no_cipher_suites, client_hello_no_compression_methods,
 *   client_hello_trailing_bytes, extensions_duplicate, extensions_limit_reached,
 *   pre_shared_key_not_last, alpn_empty_protocol_name, ext_bad_<extension> (see extensions.ts),
 *   client_hello_bad_extensions (the block overruns: the extensions before the damage are kept).
 * Errors: client_hello_truncated, client_hello_bad_session_id, client_hello_bad_cookie,
 *   client_hello_bad_cipher_suites, client_hello_bad_compression_methods.
 *
 * The body is copied once; every view on the model (random, sessionId, extension data, ALPN
 * names) points into that copy, so the model owns its bytes and outlives the packet.
 */

import { newClientHello, type ClientHelloModel } from '../model/handshake.js';
import { applyClientExtension, decodeEachExtension, readExtensions } from './extensions.js';
import { fail, type ParseResult } from './parse-result.js';
import { readHelloStart } from './hello-start.js';
import { EXT } from './registry/extension-types.js';

export function parseClientHello(
  body: Uint8Array,
  transport: 't' | 'q' | 'd',
  recordVersion: number,
): ParseResult<ClientHelloModel> {
  const start = readHelloStart(body);
  if (start === null) return fail('client_hello_truncated');
  const { r, version, random } = start;

  // "opaque legacy_session_id<0..32>"
  const sessionIdLen = r.u8();
  if (!r.ok || sessionIdLen > 32 || !r.has(sessionIdLen)) return fail('client_hello_bad_session_id');
  const sessionId = r.bytes(sessionIdLen);

  // RFC 6347 §4.2.2: DTLS adds "opaque cookie<0..2^8-1>;" after the session id.
  if (transport === 'd') {
    r.vec8();
    if (!r.ok) return fail('client_hello_bad_cookie');
  }

  const m = newClientHello({ transport, recordVersion, version, random, sessionId });

  // "CipherSuite cipher_suites<2..2^16-2>": an even number of bytes.
  const suitesLen = r.u16();
  if (!r.ok || suitesLen % 2 !== 0 || !r.has(suitesLen)) return fail('client_hello_bad_cipher_suites');
  for (const end = r.pos + suitesLen; r.pos < end; ) m.ciphers.push(r.u16());
  if (suitesLen === 0) m.anomalies.push('client_hello_no_cipher_suites');

  // "opaque legacy_compression_methods<1..2^8-1>"
  const compLen = r.u8();
  if (!r.ok || !r.has(compLen)) return fail('client_hello_bad_compression_methods');
  for (const end = r.pos + compLen; r.pos < end; ) m.compressionMethods.push(r.u8());
  if (compLen === 0) m.anomalies.push('client_hello_no_compression_methods');

  // RFC 5246 §7.4.1.2: "a server MUST accept ClientHello messages both with and without the
  // extensions field" — nothing after the compression methods means no extensions block.
  if (r.remaining === 0) return { ok: true, value: m };

  // Damaged extensions keep the hello: what was read before the damage is kept, and the
  // damage is an anomaly (peers such as tshark and nDPI report these hellos too).
  if (readExtensions(r, m.extensions, m.anomalies) !== null) m.anomalies.push('client_hello_bad_extensions');
  m.hasExtensionsBlock = true;
  if (r.remaining > 0) m.anomalies.push('client_hello_trailing_bytes');

  decodeClientExtensions(m);
  return { ok: true, value: m };
}

/** Decodes the extensions the model names; only the first of a duplicated type counts. */
function decodeClientExtensions(m: ClientHelloModel): void {
  const last = m.extensions.length - 1;
  decodeEachExtension(m.extensions, m.anomalies, (type, r, i) => {
    applyClientExtension(m, type, r);
    // RFC 8446 §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the
    // ClientHello".
    if (type === EXT.preSharedKey && i !== last) m.anomalies.push('pre_shared_key_not_last');
  });
}
