/**
 * A small DER reader (ITU-T X.690 §8 and §10) for certificates: TLV framing, OBJECT IDENTIFIER,
 * INTEGER, BIT STRING, and the two ASN.1 time types. Nothing here throws and nothing copies:
 * a TLV is offsets into the caller's buffer, and a failure is `null`.
 *
 * It is deliberately lenient where an analyzer gains from reading on (non-minimal lengths,
 * UTCTime without seconds), and strict where leniency would be unsafe (indefinite lengths,
 * lengths that overrun the enclosing value, more than 4 length octets).
 */
import { LIMITS } from '../config/limits.js';

/** Universal tag numbers used by X.509 (X.680 §8.4). */
export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

export const CLASS_UNIVERSAL = 0x00;
export const CLASS_CONTEXT = 0x80;

/** One TLV: offsets into the buffer it was read from. */
export interface Tlv {
  /** Class bits of the identifier octet: 0x00 universal, 0x40 application, 0x80 context, 0xc0 private. */
  cls: number;
  constructed: boolean;
  /** Tag number (high-tag-number form decoded). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
  /** One past the last content octet. */
  end: number;
}

/**
 * Reads the TLV at `buf[off]`, which must end at or before `limit`.
 * X.690 §8.1.2 (identifier, incl. high tag numbers) and §8.1.3 (definite lengths only: DER
 * forbids the indefinite form, §10.1).
 */
export function readTlv(buf: Uint8Array, off: number, limit: number): Tlv | null {
  if (limit > buf.length) limit = buf.length;
  if (off < 0 || off + 2 > limit) return null;
  const id = buf[off]!;
  let p = off + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // High tag number: base-128 digits, at most 4 of them (tag < 2^28).
    tag = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i === 4) return null;
      const b = buf[p++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= limit) return null;
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return null; // indefinite length, or longer than any certificate
    if (p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  const end = p + len;
  if (end > limit) return null;
  return { cls: id & 0xc0, constructed: (id & 0x20) !== 0, tag, start: off, valueStart: p, end };
}

/** True when `t` is the universal type `tag`. */
export function isUniversal(t: Tlv | null | undefined, tag: number): t is Tlv {
  return t != null && t.cls === CLASS_UNIVERSAL && t.tag === tag;
}

/** True when `t` is the context-specific tag `[tag]`. */
export function isContext(t: Tlv | null | undefined, tag: number): t is Tlv {
  return t != null && t.cls === CLASS_CONTEXT && t.tag === tag;
}

/**
 * The elements inside a constructed value, in order. Null when they do not tile the content
 * exactly or when there are more than `max` of them.
 */
export function readChildren(buf: Uint8Array, parent: Tlv, max: number = LIMITS.maxElements): Tlv[] | null {
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    if (out.length >= max) return null;
    const t = readTlv(buf, p, parent.end);
    if (t === null) return null;
    out.push(t);
    p = t.end;
  }
  return out;
}

/** The content octets of `t` as a view (no copy). */
export function contents(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.valueStart, t.end);
}

/** The whole TLV (identifier, length and content) as a view. */
export function encoded(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function toHex(buf: Uint8Array, start = 0, end = buf.length): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start)).toString('hex');
}

/**
 * OBJECT IDENTIFIER content → dotted decimal (X.690 §8.19). Arcs beyond 2^53 (UUID OIDs under
 * 2.25) are computed with BigInt. Null for an empty, over-long or truncated encoding.
 */
export function oidString(buf: Uint8Array, start: number, end: number): string | null {
  if (end <= start || end - start > LIMITS.maxOidBytes || end > buf.length) return null;
  const arcs: string[] = [];
  let v = 0;
  let big: bigint | null = null;
  let first = true;
  for (let p = start; p < end; p++) {
    const b = buf[p]!;
    if (big !== null) big = big * 128n + BigInt(b & 0x7f);
    else if (v > 2 ** 45) big = BigInt(v) * 128n + BigInt(b & 0x7f);
    else v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      // The first subidentifier packs two arcs: 40 * X + Y, with X in 0..2.
      first = false;
      if (big !== null) arcs.push('2', (big - 80n).toString());
      else if (v < 40) arcs.push('0', String(v));
      else if (v < 80) arcs.push('1', String(v - 40));
      else arcs.push('2', String(v - 80));
    } else {
      arcs.push(big !== null ? big.toString() : String(v));
    }
    v = 0;
    big = null;
  }
  if (buf[end - 1]! & 0x80) return null; // last subidentifier unfinished
  return arcs.join('.');
}

/** The OID in TLV `t` (which must be a universal OBJECT IDENTIFIER), or null. */
export function readOid(buf: Uint8Array, t: Tlv | null | undefined): string | null {
  if (!isUniversal(t, TAG.OID)) return null;
  return oidString(buf, t.valueStart, t.end);
}

/**
 * INTEGER content as lowercase hex without leading zero octets ("0" for zero). Negative values
 * (a non-DER serial) keep their two's-complement octets, as the wire has them.
 */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  let s = t.valueStart;
  while (s < t.end && buf[s] === 0) s++;
  if (s >= t.end) return '0';
  return toHex(buf, s, t.end);
}

/** Bit length of a non-negative INTEGER (an RSA modulus, a DSA prime). */
export function integerBits(buf: Uint8Array, t: Tlv): number {
  let s = t.valueStart;
  while (s < t.end && buf[s] === 0) s++;
  if (s >= t.end) return 0;
  return (t.end - s - 1) * 8 + (32 - Math.clz32(buf[s]!));
}

/** Small non-negative INTEGER value (path lengths, versions); null when negative or > 2^31. */
export function smallInteger(buf: Uint8Array, t: Tlv | null | undefined): number | null {
  if (!isUniversal(t, TAG.INTEGER) || t.end === t.valueStart) return null;
  if (buf[t.valueStart]! & 0x80) return null;
  let v = 0;
  for (let p = t.valueStart; p < t.end; p++) {
    v = v * 256 + buf[p]!;
    if (v > 0x7fffffff) return null;
  }
  return v;
}

/** BIT STRING content: the unused-bit count and the bytes after it (X.690 §8.6). */
export function bitString(buf: Uint8Array, t: Tlv | null | undefined): { unused: number; bytes: Uint8Array } | null {
  if (!isUniversal(t, TAG.BIT_STRING) || t.end === t.valueStart) return null;
  const unused = buf[t.valueStart]!;
  if (unused > 7 || (unused > 0 && t.end - t.valueStart === 1)) return null;
  return { unused, bytes: buf.subarray(t.valueStart + 1, t.end) };
}

/** A certificate time: seconds since the epoch (negative before 1970) and its ISO-8601 form. */
export interface DerTime {
  /** Seconds since 1970-01-01T00:00:00Z. */
  epoch: number;
  /** `YYYY-MM-DDTHH:MM:SSZ`, UTC. */
  iso: string;
}

/**
 * UTCTime (YYMMDDHHMM[SS], years 50-99 are 19xx, RFC 5280 §4.1.2.5.1) or GeneralizedTime
 * (YYYYMMDDHH[MM[SS[.f...]]]), each with `Z`, a `+hhmm`/`-hhmm` offset, or (GeneralizedTime,
 * not DER) no zone, taken as UTC. Fractions of a second are dropped. Null when malformed.
 */
export function readTime(buf: Uint8Array, t: Tlv | null | undefined): DerTime | null {
  if (t == null || t.cls !== CLASS_UNIVERSAL) return null;
  if (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME) return null;
  if (t.end - t.valueStart > 32) return null;
  let s = '';
  for (let p = t.valueStart; p < t.end; p++) s += String.fromCharCode(buf[p]!);
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,]\d+)?)?)?(Z|[+-]\d{4})?$/.exec(s);
  if (m === null) return null;
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5] ?? '0');
  const second = Number(m[6] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let epoch = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const zone = m[7];
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    epoch -= (zone[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return { epoch, iso: isoSeconds(epoch) };
}

/** Seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, any year 0..9999). */
export function isoSeconds(epoch: number): string {
  const days = Math.floor(epoch / 86400);
  let rest = epoch - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  const se = rest - mi * 60;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const year = y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
  return `${year}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(se)}Z`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil (H. Hinnant's `civil_from_days`). */
function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/**
 * True when `buf[start, end)` is a sequence of well-formed TLVs whose constructed values nest
 * correctly down to `maxDepth` levels. Iterative (explicit stack), so hostile nesting cannot
 * exhaust the call stack; used for values the structured parser does not descend into.
 */
export function derWellFormed(buf: Uint8Array, start: number, end: number, maxDepth: number = LIMITS.maxDerDepth): boolean {
  const stack: number[] = [end];
  let p = start;
  let elements = 0;
  while (stack.length > 0) {
    const limit = stack[stack.length - 1]!;
    if (p === limit) {
      stack.pop();
      continue;
    }
    const t = readTlv(buf, p, limit);
    if (t === null || ++elements > LIMITS.maxElements * 4) return false;
    if (t.constructed) {
      if (stack.length > maxDepth) return false;
      stack.push(t.end);
      p = t.valueStart;
    } else {
      p = t.end;
    }
  }
  return true;
}
