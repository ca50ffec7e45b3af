/**
 * X.501 Name → RFC 4514 string.
 *
 *   Name ::= CHOICE { rdnSequence RDNSequence }
 *   RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 *   RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 *   AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY -- DirectoryString }
 *
 * RFC 4514 §2.1: RDNs are written in reverse order of the encoding (most specific first, e.g.
 * "CN=example.com,O=Org,C=US"); the values of a multi-valued RDN are joined with '+' in the
 * order they are encoded. §2.3: a type with a registered short name is written with it, any
 * other as its dotted OID. §2.4: a value of a dotted-OID type, and any value that is not a
 * character string (or whose characters cannot be decoded), is written as '#' + the hex of its
 * BER encoding. Escaping (§2.4): `" + , ; < > \` anywhere, a leading space or '#', a trailing
 * space, and NUL (as \00). We also escape every other C0/C1 control character and DEL as
 * \hh (hex of its UTF-8 octets), which §2.4 permits, so a name never carries raw control bytes.
 */
import { isUniversal, readChildren, readOid, TAG, toHex, type Tlv } from './der.js';
import { ATTRIBUTE_TYPES, OID_COMMON_NAME } from './oids.js';
import { sameBytes } from '../bytes/equal.js';

export interface ParsedName {
  /** RFC 4514 form. */
  text: string;
  /** The commonName values, decoded (unescaped), in encoding order (used for host name checks). */
  commonNames: string[];
  /** True when a value holds a NUL character (the "www.bank.com\0.evil.com" trick). */
  hasNul: boolean;
  /** Number of attributes (0 for an empty name). */
  attributes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** Reads the Name in TLV `t` (a SEQUENCE). Null when it is not a well-formed RDNSequence. */
export function readName(buf: Uint8Array, t: Tlv | null | undefined): ParsedName | null {
  if (!isUniversal(t, TAG.SEQUENCE)) return null;
  const rdns = readChildren(buf, t);
  if (rdns === null) return null;
  const parts: string[] = [];
  const commonNames: string[] = [];
  let hasNul = false;
  let attributes = 0;
  for (const rdn of rdns) {
    if (!isUniversal(rdn, TAG.SET)) return null;
    const atvs = readChildren(buf, rdn);
    if (atvs === null || atvs.length === 0) return null;
    const values: string[] = [];
    for (const atv of atvs) {
      if (!isUniversal(atv, TAG.SEQUENCE)) return null;
      const kids = readChildren(buf, atv, 2);
      if (kids === null || kids.length !== 2) return null;
      const oid = readOid(buf, kids[0]);
      if (oid === null) return null;
      const value = kids[1]!;
      const shortName = ATTRIBUTE_TYPES.get(oid);
      const decoded = shortName !== undefined ? decodeString(buf, value) : null;
      if (decoded !== null && decoded.includes('\0')) hasNul = true;
      if (oid === OID_COMMON_NAME && decoded !== null) commonNames.push(decoded);
      const text = decoded !== null ? escapeValue(decoded) : '#' + toHex(buf, value.start, value.end);
      values.push(`${shortName ?? oid}=${text}`);
      attributes++;
    }
    parts.push(values.join('+'));
  }
  return { text: parts.reverse().join(','), commonNames, hasNul, attributes };
}

/**
 * The characters of an ASN.1 string value, or null when `t` is not a string type or its
 * octets are not valid for it. PrintableString, IA5String, VisibleString, NumericString and
 * TeletexString are read as ASCII, else as UTF-8 when they are valid UTF-8 (a common encoder
 * mistake), else as ISO 8859-1 (what TeletexString holds in practice).
 */
export function decodeString(buf: Uint8Array, t: Tlv): string | null {
  if (t.cls !== 0 || t.constructed) return null;
  const b = buf.subarray(t.valueStart, t.end);
  switch (t.tag) {
    case TAG.UTF8_STRING:
      try {
        return utf8.decode(b);
      } catch {
        return null;
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
    case TAG.NUMERIC_STRING:
    case TAG.T61_STRING:
      return bytesText(b);
    case TAG.BMP_STRING:
      if (b.length % 2 !== 0) return null;
      try {
        return utf16be.decode(b);
      } catch {
        return null;
      }
    case TAG.UNIVERSAL_STRING: {
      if (b.length % 4 !== 0) return null;
      let s = '';
      for (let i = 0; i < b.length; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      return null;
  }
}

/** Octets of an 8-bit string type as text: ASCII, else valid UTF-8, else ISO 8859-1. */
export function bytesText(b: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) { ascii = false; break; }
  if (!ascii) {
    try {
      return utf8.decode(b);
    } catch {
      // fall through to Latin-1
    }
  }
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

/** RFC 4514 §2.4 escaping of one attribute value (see the file comment for the extra controls). */
export function escapeValue(v: string): string {
  let out = '';
  const last = v.length - 1;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      for (const byte of Buffer.from(c, 'utf8')) out += '\\' + byte.toString(16).padStart(2, '0');
    } else if (c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '\\') {
      out += '\\' + c;
    } else if ((i === 0 && (c === ' ' || c === '#')) || (i === last && c === ' ')) {
      out += '\\' + c;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Do two encoded Names denote the same name? Byte equality, else a simplified RFC 5280 §7.1
 * comparison of the RFC 4514 forms (case-insensitive, runs of spaces collapsed), which absorbs
 * the usual PrintableString/UTF8String re-encodings between a certificate and its issuer.
 */
export function sameName(aDer: Uint8Array, a: ParsedName, bDer: Uint8Array, b: ParsedName): boolean {
  return sameBytes(aDer, bDer) || nameKey(a) === nameKey(b);
}

/** Comparison key of a name (see sameName). */
export function nameKey(n: ParsedName): string {
  return n.text.toLowerCase().replace(/ {2,}/g, ' ');
}
