/**
 * Decoders for the hello extensions the fingerprints and the session record need
 * (RFC 8446 §4.2 and the RFCs cited beside each one). Every other extension stays raw, by number,
 * on the model.
 *
 * Each decoder reads one extension body through a `ByteReader` that spans exactly that body, and
 * returns false when the body does not follow its grammar (including trailing bytes). The hello
 * parser then records `ext_bad_<name>` on the model and goes on: a bad extension is an anomaly
 * of the hello, not a failure of it. Decoders write into the model only on success, so a
 * rejected body leaves the field empty.
 */

import { ByteReader } from '../bytes/reader.js';
import { LIMITS } from '../config/limits.js';
import type { ClientHelloModel, RawExtension, ServerHelloModel } from '../model/handshake.js';
import { EXT } from './registry/extension-types.js';

/** SNI bytes are decoded as UTF-8; bad sequences become U+FFFD instead of throwing. */
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads `Extension extensions<0..2^16-1>` (each `{ uint16 extension_type; opaque
 * extension_data<0..2^16-1>; }`) into `out` as views. Stops keeping entries at
 * LIMITS.maxExtensions but still checks the framing of the rest. Returns null when the framing
 * is sound, else a short reason; `r` is left just after the block.
 * Shared by the ClientHello and ServerHello parsers.
 */
export function readExtensions(r: ByteReader, out: RawExtension[], anomalies: string[]): string | null {
  const blockLen = r.u16();
  if (!r.ok) return 'overrun';
  // A block longer than the message (a lie, or a hello cut short) is still read as far as it
  // goes: the extensions before the damage are evidence too (tls-parser's "read values rather
  // than fail"); the caller records the damage.
  const overrun = !r.has(blockLen);
  const blockEnd = overrun ? r.end : r.pos + blockLen;
  const outerEnd = r.end;
  r.end = blockEnd; // an extension may not run past its block
  let capped = false;
  while (r.remaining > 0) {
    const type = r.u16();
    const data = r.vec16();
    if (!r.ok) {
      r.end = outerEnd;
      return 'bad_extension_length';
    }
    if (out.length < LIMITS.maxExtensions) {
      out.push({ type, data });
    } else if (!capped) {
      capped = true;
      anomalies.push('extensions_limit_reached');
    }
  }
  r.end = outerEnd;
  return overrun ? 'overrun' : null;
}

/**
 * True when an earlier extension has the same type as `exts[i]`. RFC 8446 §4.2: "There MUST NOT
 * be more than one extension of the same type in a given extension block." Quadratic, but the
 * list is capped at LIMITS.maxExtensions and real hellos carry about twenty.
 */
export function isRepeatedType(exts: RawExtension[], i: number): boolean {
  const type = exts[i]!.type;
  for (let j = 0; j < i; j++) if (exts[j]!.type === type) return true;
  return false;
}

/**
 * Decodes a hello's extensions through `apply`, one reader reset onto each body in turn; a type
 * already seen is skipped (RFC 8446 §4.2: "There MUST NOT be more than one extension of the same
 * type") and named once as `extensions_duplicate` in `anomalies`.
 */
export function decodeEachExtension(
  exts: RawExtension[],
  anomalies: string[],
  apply: (type: number, r: ByteReader, index: number) => void,
): void {
  const r = new ByteReader();
  let duplicate = false;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i]!;
    if (isRepeatedType(exts, i)) {
      duplicate = true;
      continue;
    }
    apply(e.type, r.reset(e.data), i);
  }
  if (duplicate) anomalies.push('extensions_duplicate');
}

/** True when the reader has read its whole span without running past it. */
function done(r: ByteReader): boolean {
  return r.ok && r.remaining === 0;
}

/** Reads `len` bytes of 16-bit values into `out`. False when `len` is odd or overruns. */
function u16List(r: ByteReader, len: number, out: number[]): boolean {
  if (len % 2 !== 0 || !r.has(len)) return false;
  for (const end = r.pos + len; r.pos < end; ) out.push(r.u16());
  return true;
}

/** Reads `len` bytes of 8-bit values into `out`. */
function u8List(r: ByteReader, len: number, out: number[]): boolean {
  if (!r.has(len)) return false;
  for (const end = r.pos + len; r.pos < end; ) out.push(r.u8());
  return true;
}

/** Keeps what a list decoder read only when it succeeded and consumed the whole body. */
function keepIf(ok: boolean, r: ByteReader, out: number[]): boolean {
  if (ok && done(r)) return true;
  out.length = 0;
  return false;
}

/**
 * server_name (0), RFC 6066 §3:
 *   struct { NameType name_type; select (name_type) { case host_name: HostName; } name; } ServerName;
 *   enum { host_name(0), (255) } NameType;
 *   opaque HostName<1..2^16-1>;
 *   struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
 * Keeps the first host_name. "The ServerNameList MUST NOT contain more than one name of the
 * same name_type" — later ones are ignored. Other name types are skipped by their length.
 */
export function decodeServerName(r: ByteReader, m: ClientHelloModel): boolean {
  const listLen = r.u16();
  if (!r.ok || listLen === 0 || listLen !== r.remaining) return false;
  let host: Uint8Array | null = null;
  while (r.remaining > 0) {
    const nameType = r.u8();
    const name = r.vec16();
    if (!r.ok || name.length === 0) return false;
    if (nameType === 0 && host === null) host = name;
  }
  if (host !== null) m.sni = utf8.decode(host);
  return true;
}

/**
 * application_layer_protocol_negotiation (16), RFC 7301 §3.1:
 *   opaque ProtocolName<1..2^8-1>;
 *   struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
 * Names stay raw bytes (views into the hello's own copy). A zero-length name breaks the `<1..>`
 * rule but is kept (JA4 has a rule for an empty first ALPN value), with its own anomaly.
 */
export function decodeAlpnList(r: ByteReader, out: Uint8Array[], anomalies: string[]): boolean {
  const listLen = r.u16();
  if (!r.ok || listLen !== r.remaining) return false;
  const start = out.length;
  let sawEmpty = false;
  while (r.remaining > 0) {
    const name = r.vec8();
    if (!r.ok) {
      out.length = start;
      return false;
    }
    if (name.length === 0) sawEmpty = true;
    out.push(name);
  }
  if (sawEmpty) anomalies.push('alpn_empty_protocol_name');
  return true;
}

/** supported_groups (10), RFC 8446 §4.2.7: `NamedGroup named_group_list<2..2^16-1>;` */
export function decodeSupportedGroups(r: ByteReader, out: number[]): boolean {
  return keepIf(u16List(r, r.u16(), out), r, out);
}

/** ec_point_formats (11), RFC 8422 §5.1.2: `ECPointFormat ec_point_format_list<1..2^8-1>;` (8-bit). */
export function decodeEcPointFormats(r: ByteReader, out: number[]): boolean {
  return keepIf(u8List(r, r.u8(), out), r, out);
}

/**
 * signature_algorithms (13), RFC 8446 §4.2.3:
 * `SignatureScheme supported_signature_algorithms<2..2^16-2>;` (also the TLS 1.2 pairs, RFC 5246 §7.4.1.4.1).
 */
export function decodeSignatureAlgorithms(r: ByteReader, out: number[]): boolean {
  return keepIf(u16List(r, r.u16(), out), r, out);
}

/** supported_versions (43) in a ClientHello, RFC 8446 §4.2.1: `ProtocolVersion versions<2..254>;` */
export function decodeSupportedVersionsList(r: ByteReader, out: number[]): boolean {
  return keepIf(u16List(r, r.u8(), out), r, out);
}

/**
 * key_share (51) in a ClientHello, RFC 8446 §4.2.8:
 *   struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
 *   struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
 * Only the groups are kept.
 */
export function decodeKeyShareClient(r: ByteReader, out: number[]): boolean {
  const listLen = r.u16();
  if (!r.ok || listLen !== r.remaining) return false;
  while (r.remaining > 0) {
    out.push(r.u16());
    r.vec16();
    if (!r.ok) break;
  }
  return keepIf(true, r, out);
}

/** psk_key_exchange_modes (45), RFC 8446 §4.2.9: `PskKeyExchangeMode ke_modes<1..255>;` */
export function decodePskModes(r: ByteReader, out: number[]): boolean {
  return keepIf(u8List(r, r.u8(), out), r, out);
}

/**
 * pre_shared_key (41) in a ClientHello, RFC 8446 §4.2.11:
 *   struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity;
 *   opaque PskBinderEntry<32..255>;
 *   struct { PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>; } OfferedPsks;
 * Only the structure is checked; the model records presence.
 */
export function checkPreSharedKeyClient(r: ByteReader): boolean {
  const identitiesLen = r.u16();
  if (!r.has(identitiesLen)) return false;
  for (const end = r.pos + identitiesLen; r.ok && r.pos < end; ) {
    r.vec16();
    r.u32();
  }
  const bindersLen = r.u16();
  if (!r.has(bindersLen)) return false;
  for (const end = r.pos + bindersLen; r.ok && r.pos < end; ) r.vec8();
  return done(r);
}

/**
 * encrypted_client_hello (0xfe0d) in a ClientHello, draft-ietf-tls-esni §5:
 *   enum { outer(0), inner(1) } ECHClientHelloType;
 *   struct { ECHClientHelloType type; select (type) {
 *     case outer: HpkeSymmetricCipherSuite cipher_suite; uint8 config_id;
 *                 opaque enc<0..2^16-1>; opaque payload<1..2^16-1>;
 *     case inner: Empty; }; } ECHClientHello;
 * Only the structure is checked; the model records presence.
 */
export function checkEchClient(r: ByteReader): boolean {
  const type = r.u8();
  if (type === 1) return done(r);
  if (type !== 0) return false;
  r.u16(); // kdf_id
  r.u16(); // aead_id
  r.u8(); // config_id
  r.vec16(); // enc
  const payload = r.vec16();
  return done(r) && payload.length > 0;
}

/**
 * Decodes one ClientHello extension body into the model (first occurrence of each type only;
 * the caller skips duplicates). `r` must span exactly the body.
 */
export function applyClientExtension(m: ClientHelloModel, type: number, r: ByteReader): void {
  switch (type) {
    case EXT.serverName:
      if (!decodeServerName(r, m)) m.anomalies.push('ext_bad_server_name');
      break;
    case EXT.alpn:
      if (!decodeAlpnList(r, m.alpn, m.anomalies)) m.anomalies.push('ext_bad_alpn');
      break;
    case EXT.supportedGroups:
      if (!decodeSupportedGroups(r, m.supportedGroups)) m.anomalies.push('ext_bad_supported_groups');
      break;
    case EXT.ecPointFormats:
      if (!decodeEcPointFormats(r, m.ecPointFormats)) m.anomalies.push('ext_bad_ec_point_formats');
      break;
    case EXT.signatureAlgorithms:
      if (!decodeSignatureAlgorithms(r, m.signatureAlgorithms)) {
        m.anomalies.push('ext_bad_signature_algorithms');
      }
      break;
    case EXT.supportedVersions:
      if (!decodeSupportedVersionsList(r, m.supportedVersions)) {
        m.anomalies.push('ext_bad_supported_versions');
      }
      break;
    case EXT.keyShare:
      if (!decodeKeyShareClient(r, m.keyShareGroups)) m.anomalies.push('ext_bad_key_share');
      break;
    case EXT.pskKeyExchangeModes:
      if (!decodePskModes(r, m.pskModes)) m.anomalies.push('ext_bad_psk_key_exchange_modes');
      break;
    case EXT.preSharedKey:
      m.hasPreSharedKey = true;
      if (!checkPreSharedKeyClient(r)) m.anomalies.push('ext_bad_pre_shared_key');
      break;
    case EXT.encryptedClientHello:
      m.hasEch = true;
      if (!checkEchClient(r)) m.anomalies.push('ext_bad_encrypted_client_hello');
      break;
    default:
      break; // kept raw by number
  }
}

/**
 * Decodes one ServerHello (or HelloRetryRequest) extension body into the model.
 * - supported_versions: `ProtocolVersion selected_version;` (RFC 8446 §4.2.1)
 * - key_share: ServerHello `KeyShareEntry server_share;`, HelloRetryRequest
 *   `NamedGroup selected_group;` (RFC 8446 §4.2.8)
 * - pre_shared_key: `uint16 selected_identity;` (RFC 8446 §4.2.11)
 * - ALPN: "the "ProtocolNameList" MUST contain exactly one "ProtocolName"" (RFC 7301 §3.1)
 */
export function applyServerExtension(m: ServerHelloModel, type: number, r: ByteReader): void {
  switch (type) {
    case EXT.supportedVersions: {
      const v = r.u16();
      if (done(r)) m.selectedVersion = v;
      else m.anomalies.push('ext_bad_supported_versions');
      break;
    }
    case EXT.keyShare: {
      const group = r.u16();
      if (!m.helloRetryRequest) r.vec16(); // key_exchange, not kept
      if (done(r)) m.keyShareGroup = group;
      else m.anomalies.push('ext_bad_key_share');
      break;
    }
    case EXT.preSharedKey:
      m.hasPreSharedKey = true;
      r.u16();
      if (!done(r)) m.anomalies.push('ext_bad_pre_shared_key');
      break;
    case EXT.alpn: {
      const names: Uint8Array[] = [];
      if (!decodeAlpnList(r, names, m.anomalies) || names.length !== 1) {
        m.anomalies.push('ext_bad_alpn');
      }
      m.alpn = names[0] ?? null;
      break;
    }
    default:
      break; // kept raw by number
  }
}
