/**
 * Certificate extensions (RFC 5280 §4.1.2.9, §4.2): the list with critical flags, and decoders
 * for the few a TLS analyzer reasons about. Decoders are looked up by OID in a registry; an
 * unknown OID is kept as a raw extension, and a decoder that fails marks only that extension
 * (`error`), never the certificate (x509-parser's ParseError-per-extension idea).
 *
 *   Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 *   Extension  ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
 *                             extnValue OCTET STRING -- DER of the extension's own type }
 */
import { ipToString } from '../decode/ip-address.js';
import {
  bitString,
  CLASS_CONTEXT,
  contents,
  derWellFormed,
  isContext,
  isUniversal,
  oidString,
  readChildren,
  readOid,
  readTlv,
  smallInteger,
  TAG,
  toHex,
  type Tlv,
} from './der.js';
import { LIMITS } from '../config/limits.js';
import { readName, bytesText } from './name.js';
import { EXTENSIONS } from './oids.js';

export interface Extension {
  oid: string;
  /** OpenSSL short name, or null for an OID we do not name. */
  name: string | null;
  critical: boolean;
  /** extnValue content (a view into the certificate). */
  value: Uint8Array;
  /** Set when a decoder exists for this OID and the value did not fit its grammar. */
  error: string | null;
}

/** GeneralName (RFC 5280 §4.2.1.6), as the record shows it and as host name checks need it. */
export interface GeneralName {
  kind: 'dns' | 'ip' | 'email' | 'uri' | 'dirName' | 'rid' | 'otherName' | 'x400' | 'edi';
  /** "DNS:example.com", "IP:10.0.0.1", "email:a@b", "URI:https://x", "DirName:CN=x", "RID:1.2.3", "othername:1.3.6..." */
  text: string;
  /** The decoded value without the prefix (a DNS name, an e-mail address, a URI...). */
  value: string;
  /** The address octets of an iPAddress (4 or 16 octets expected). */
  ip?: Uint8Array;
}

/** KeyUsage bits (RFC 5280 §4.2.1.3): bit n of `keyUsage` is the named bit n. */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  nonRepudiation: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

export interface DecodedExtensions {
  list: Extension[];
  /** basicConstraints, or null when absent (or malformed). */
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  /** KeyUsage bits (see KEY_USAGE), or null when absent. */
  keyUsage: number | null;
  /** ExtendedKeyUsage purpose OIDs, or null when absent. */
  extKeyUsage: string[] | null;
  /** subjectAltName entries (at most maxSanEntries), or null when the extension is absent. */
  san: GeneralName[] | null;
  /** SAN entries beyond the cap, not kept. */
  sanTruncated: number;
  /** subjectKeyIdentifier, lowercase hex. */
  ski: string | null;
  /** authorityKeyIdentifier keyIdentifier, lowercase hex. */
  aki: string | null;
  /** Odd-but-readable things: duplicate_extension, bad_extension_<name>, bad_extensions. */
  problems: string[];
}

type Decoder = (buf: Uint8Array, value: Tlv, out: DecodedExtensions) => boolean;

/** OID → decoder. The value handed over is the TLV inside extnValue. */
const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ['2.5.29.19', decodeBasicConstraints],
  ['2.5.29.15', decodeKeyUsage],
  ['2.5.29.37', decodeExtKeyUsage],
  ['2.5.29.17', decodeSubjectAltName],
  ['2.5.29.14', decodeSubjectKeyIdentifier],
  ['2.5.29.35', decodeAuthorityKeyIdentifier],
]);

export function emptyExtensions(): DecodedExtensions {
  return { list: [], basicConstraints: null, keyUsage: null, extKeyUsage: null, san: null, sanTruncated: 0, ski: null, aki: null, problems: [] };
}

/** Reads the `[3] EXPLICIT Extensions` field of a TBSCertificate. Never fails as a whole: problems are noted. */
export function readExtensions(buf: Uint8Array, explicit: Tlv): DecodedExtensions {
  const out = emptyExtensions();
  const seq = readTlv(buf, explicit.valueStart, explicit.end);
  const items = isUniversal(seq, TAG.SEQUENCE) && seq.end === explicit.end ? readChildren(buf, seq) : null;
  if (items === null) {
    out.problems.push('bad_extensions');
    return out;
  }
  const seen = new Set<string>();
  for (const item of items) {
    const kids = isUniversal(item, TAG.SEQUENCE) ? readChildren(buf, item, 3) : null;
    if (kids === null || kids.length < 2) {
      out.problems.push('bad_extensions');
      continue;
    }
    const oid = readOid(buf, kids[0]);
    let i = 1;
    let critical = false;
    if (isUniversal(kids[1], TAG.BOOLEAN)) {
      critical = kids[1].end > kids[1].valueStart && buf[kids[1].valueStart] !== 0;
      i = 2;
    }
    const octets = kids[i];
    if (oid === null || !isUniversal(octets, TAG.OCTET_STRING) || i !== kids.length - 1) {
      out.problems.push('bad_extensions');
      continue;
    }
    const ext: Extension = { oid, name: EXTENSIONS.get(oid) ?? null, critical, value: contents(buf, octets), error: null };
    out.list.push(ext);
    if (seen.has(oid)) {
      // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
      out.problems.push('duplicate_extension');
      continue;
    }
    seen.add(oid);
    const decoder = DECODERS.get(oid);
    if (decoder === undefined) {
      // No decoder: the value must still be DER (RFC 5280 §4.1: extnValue holds a DER encoding).
      if (!derWellFormed(buf, octets.valueStart, octets.end)) {
        ext.error = 'malformed';
        out.problems.push(`bad_extension_${ext.name ?? oid}`);
      }
      continue;
    }
    const inner = readTlv(buf, octets.valueStart, octets.end);
    if (inner === null || inner.end !== octets.end || !decoder(buf, inner, out)) {
      ext.error = 'malformed';
      out.problems.push(`bad_extension_${ext.name ?? oid}`);
    }
  }
  return out;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
function decodeBasicConstraints(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(buf, t, 2) : null;
  if (kids === null) return false;
  let ca = false;
  let pathLen: number | null = null;
  let i = 0;
  if (isUniversal(kids[i], TAG.BOOLEAN)) {
    ca = kids[i]!.end > kids[i]!.valueStart && buf[kids[i]!.valueStart] !== 0;
    i++;
  }
  if (i < kids.length) {
    pathLen = smallInteger(buf, kids[i]);
    if (pathLen === null) return false;
    i++;
  }
  if (i !== kids.length) return false;
  out.basicConstraints = { ca, pathLen };
  return true;
}

/** KeyUsage ::= BIT STRING { digitalSignature (0), ..., decipherOnly (8) } */
function decodeKeyUsage(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  const bits = bitString(buf, t);
  if (bits === null) return false;
  let v = 0;
  for (let bit = 0; bit < 9; bit++) {
    const byte = bits.bytes[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) v |= 1 << bit;
  }
  out.keyUsage = v;
  return true;
}

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OBJECT IDENTIFIER) */
function decodeExtKeyUsage(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(buf, t) : null;
  if (kids === null) return false;
  const oids: string[] = [];
  for (const k of kids) {
    const oid = readOid(buf, k);
    if (oid === null) return false;
    oids.push(oid);
  }
  out.extKeyUsage = oids;
  return true;
}

/** SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING) */
function decodeSubjectKeyIdentifier(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  if (!isUniversal(t, TAG.OCTET_STRING)) return false;
  out.ski = toHex(buf, t.valueStart, t.end);
  return true;
}

/**
 * AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL,
 *   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 */
function decodeAuthorityKeyIdentifier(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(buf, t, 3) : null;
  if (kids === null) return false;
  for (const k of kids) {
    if (k.cls !== CLASS_CONTEXT || k.tag > 2) return false;
    if (k.tag === 0 && !k.constructed) out.aki = toHex(buf, k.valueStart, k.end);
  }
  return true;
}

/** SubjectAltName ::= GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
function decodeSubjectAltName(buf: Uint8Array, t: Tlv, out: DecodedExtensions): boolean {
  const kids = isUniversal(t, TAG.SEQUENCE) ? readChildren(buf, t, Number.MAX_SAFE_INTEGER) : null;
  if (kids === null) return false;
  const names: GeneralName[] = [];
  for (const k of kids) {
    const g = readGeneralName(buf, k);
    if (g === null) return false;
    if (names.length < LIMITS.maxSanEntries) names.push(g);
    else out.sanTruncated++;
  }
  out.san = names;
  return true;
}

/**
 * GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String, dNSName [2] IA5String,
 *   x400Address [3], directoryName [4] Name, ediPartyName [5], uniformResourceIdentifier [6] IA5String,
 *   iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }   (all IMPLICIT, [4] EXPLICIT)
 */
export function readGeneralName(buf: Uint8Array, k: Tlv): GeneralName | null {
  if (k.cls !== CLASS_CONTEXT) return null;
  const raw = buf.subarray(k.valueStart, k.end);
  switch (k.tag) {
    case 0: {
      const kids = k.constructed ? readChildren(buf, k, 2) : null;
      const oid = kids !== null ? readOid(buf, kids[0]) : null;
      if (oid === null) return null;
      return { kind: 'otherName', text: `othername:${oid}`, value: oid };
    }
    case 1:
    case 2:
    case 6: {
      if (k.constructed) return null;
      const v = bytesText(raw);
      const kind = k.tag === 1 ? 'email' : k.tag === 2 ? 'dns' : 'uri';
      const prefix = k.tag === 1 ? 'email' : k.tag === 2 ? 'DNS' : 'URI';
      return { kind, text: `${prefix}:${v}`, value: v };
    }
    case 3:
      return { kind: 'x400', text: 'X400Name:<unsupported>', value: '' };
    case 4: {
      const inner = k.constructed ? readTlv(buf, k.valueStart, k.end) : null;
      const name = inner !== null && inner.end === k.end ? readName(buf, inner) : null;
      if (name === null) return null;
      return { kind: 'dirName', text: `DirName:${name.text}`, value: name.text };
    }
    case 5:
      return { kind: 'edi', text: 'EdiPartyName:<unsupported>', value: '' };
    case 7: {
      if (k.constructed) return null;
      const v = raw.length === 4 ? ipToString(raw, 0, 4) : raw.length === 16 ? ipToString(raw, 0, 6) : '#' + toHex(raw);
      return { kind: 'ip', text: `IP:${v}`, value: v, ip: raw };
    }
    case 8: {
      const oid = k.constructed ? null : oidString(buf, k.valueStart, k.end);
      if (oid === null) return null;
      return { kind: 'rid', text: `RID:${oid}`, value: oid };
    }
    default:
      return null;
  }
}

/** True when `t` is the `[3]` wrapper of the extensions field. */
export function isExtensionsField(t: Tlv | null | undefined): t is Tlv {
  return isContext(t, 3) && t.constructed;
}
