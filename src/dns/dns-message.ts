/**
 * A DNS message parser (RFC 1035 §4.1): header, questions and answer RRs, with name compression
 * pointers (§4.1.4). Only what DNS correlation needs is kept: the query name, A/AAAA addresses and
 * CNAMEs of the answer section. Never throws: every read is bounds-checked, pointer chains are
 * capped (a loop ends at the cap), and a message that contradicts itself comes back as
 * `{ malformed: reason }`.
 */
import { LIMITS } from '../config/limits.js';
import { ipToString } from '../decode/ip-address.js';

export const DNS_TYPE_A = 1;
export const DNS_TYPE_CNAME = 5;
export const DNS_TYPE_AAAA = 28;
const CLASS_IN = 1;
const HEADER_BYTES = 12;
/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire; a label at most 63. */
const MAX_NAME_WIRE = 255;
/** Compression pointers followed while reading one name; a loop or a long chain stops here. */
export const MAX_POINTER_JUMPS = 32;

export interface DnsAnswer {
  /** Owner name, lower case, no trailing dot ("" for the root). */
  name: string;
  type: number;
  ttl: number;
  /** A/AAAA: the address, formatted as session records format IPs. */
  address?: string;
  /** CNAME: the canonical name it points to. */
  target?: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  truncated: boolean;
  /** Question names (lower case); normally one. */
  questions: string[];
  /** Answer-section records of class IN: A, AAAA and CNAME only (others are skipped). */
  answers: DnsAnswer[];
  /** Answer records counted by the header but not kept (other types, or over the cap). */
  skippedAnswers: number;
}

export interface DnsMalformed {
  malformed: string;
}

export function isMalformed(r: DnsMessage | DnsMalformed): r is DnsMalformed {
  return (r as DnsMalformed).malformed !== undefined;
}

interface NameResult {
  name: string;
  /** Offset just after the name where it appears (after the first pointer, if any). */
  next: number;
}

/**
 * Reads a (possibly compressed) domain name at `off`. Returns a reason string when the name is
 * cut short, uses a reserved label type, is too long, or follows more than MAX_POINTER_JUMPS pointers.
 */
export function readName(buf: Uint8Array, off: number): NameResult | string {
  const labels: string[] = [];
  let pos = off;
  let next = -1;
  let jumps = 0;
  let wire = 0;
  for (;;) {
    if (pos >= buf.length) return 'name_truncated';
    const len = buf[pos]!;
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) return 'name_truncated';
      if (++jumps > MAX_POINTER_JUMPS) return 'name_pointer_loop';
      if (next === -1) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    if (kind !== 0) return 'name_reserved_label_type';
    if (len === 0) {
      if (next === -1) next = pos + 1;
      break;
    }
    wire += len + 1;
    if (wire + 1 > MAX_NAME_WIRE) return 'name_too_long';
    if (pos + 1 + len > buf.length) return 'name_truncated';
    let label = '';
    for (let i = pos + 1; i < pos + 1 + len; i++) {
      const c = buf[i]!;
      // Printable ASCII as is (lower-cased); anything else escaped as \DDD (RFC 4343 §2.1).
      if (c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c) label += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
      else label += '\\' + String(c).padStart(3, '0');
    }
    labels.push(label);
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

/** Parses one DNS message (the UDP payload, or a TCP message without its length prefix). */
export function parseDnsMessage(buf: Uint8Array): DnsMessage | DnsMalformed {
  if (buf.length < HEADER_BYTES) return { malformed: 'header_truncated' };
  const u16 = (o: number): number => (buf[o]! << 8) | buf[o + 1]!;
  const flags = u16(2);
  const qdcount = u16(4);
  const ancount = u16(6);
  const msg: DnsMessage = {
    id: u16(0), response: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 0xf, rcode: flags & 0xf, truncated: (flags & 0x0200) !== 0,
    questions: [], answers: [], skippedAnswers: 0,
  };
  let pos = HEADER_BYTES;
  for (let i = 0; i < qdcount; i++) {
    const n = readName(buf, pos);
    if (typeof n === 'string') return { malformed: `question_${n}` };
    if (n.next + 4 > buf.length) return { malformed: 'question_truncated' };
    if (msg.questions.length < LIMITS.maxDnsRecordsPerMessage) msg.questions.push(n.name);
    pos = n.next + 4;
  }
  for (let i = 0; i < ancount; i++) {
    const n = readName(buf, pos);
    if (typeof n === 'string') return { malformed: `answer_${n}` };
    pos = n.next;
    if (pos + 10 > buf.length) return { malformed: 'answer_truncated' };
    const type = u16(pos);
    const cls = u16(pos + 2);
    const ttl = ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0;
    const rdlength = u16(pos + 8);
    const rdata = pos + 10;
    if (rdata + rdlength > buf.length) return { malformed: 'rdata_truncated' };
    pos = rdata + rdlength;
    if (cls !== CLASS_IN || msg.answers.length >= LIMITS.maxDnsRecordsPerMessage) {
      msg.skippedAnswers++;
      continue;
    }
    if (type === DNS_TYPE_A || type === DNS_TYPE_AAAA) {
      const want = type === DNS_TYPE_A ? 4 : 16;
      if (rdlength !== want) return { malformed: 'address_length' };
      msg.answers.push({ name: n.name, type, ttl, address: ipToString(buf, rdata, type === DNS_TYPE_A ? 4 : 6) });
    } else if (type === DNS_TYPE_CNAME) {
      const t = readName(buf, rdata);
      if (typeof t === 'string') return { malformed: `cname_${t}` };
      if (t.next > pos) return { malformed: 'cname_overruns_rdata' };
      msg.answers.push({ name: n.name, type, ttl, target: t.name });
    } else {
      msg.skippedAnswers++;
    }
  }
  return msg;
}

/** What a response says about its query: the name asked, the CNAME chain followed, the addresses. */
export interface DnsResolution {
  query: string;
  /** query -> ... -> canonical name, in answer order (the query itself first). */
  chain: string[];
  addresses: string[];
}

/** The resolution of a message's first question, following CNAMEs through its answers (capped). */
export function resolution(msg: DnsMessage): DnsResolution | null {
  const query = msg.questions[0];
  if (query === undefined) return null;
  const chain = [query];
  let current = query;
  for (let hops = 0; hops < MAX_POINTER_JUMPS; hops++) {
    const c = msg.answers.find((a) => a.type === DNS_TYPE_CNAME && a.name === current);
    if (c === undefined || c.target === undefined || chain.includes(c.target)) break;
    current = c.target;
    chain.push(current);
  }
  const names = new Set(chain);
  const addresses = msg.answers.filter((a) => a.address !== undefined && names.has(a.name)).map((a) => a.address!);
  return { query, chain, addresses };
}

/**
 * A DNS message carried over TCP (RFC 1035 §4.2.2): a 2-byte length, then the message. Only a
 * segment holding exactly one whole message is parsed (no reassembly); anything else is null.
 */
export function tcpDnsPayload(payload: Uint8Array): Uint8Array | null {
  if (payload.length < 2 + HEADER_BYTES) return null;
  const len = (payload[0]! << 8) | payload[1]!;
  return len === payload.length - 2 ? payload.subarray(2) : null;
}
