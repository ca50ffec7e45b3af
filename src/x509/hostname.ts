/**
 * Does the certificate name the server the client asked for (SNI)? RFC 6125 §6, as chosen here:
 *
 * - DNS-IDs (subjectAltName dNSName) are checked first. The subject's CN is used only when the
 *   certificate has no dNSName at all (§6.4.4); every CN is then tried.
 * - Comparison is case-insensitive ASCII on A-labels (§6.4.2): the SNI and any non-ASCII CN go
 *   through node:url domainToASCII (UTS #46); one trailing dot is ignored on both sides.
 * - Wildcards (§6.4.3): only a left-most label that is exactly "*" is a wildcard. It matches
 *   exactly one non-empty label, never across dots, and needs at least two labels after it
 *   ("*.com" and "*" match nothing). Partial wildcards ("f*.example.com", "*x.example.com",
 *   "xn--*.example.com") match nothing: we take §6.4.3's SHOULD NOT as a MUST NOT, like
 *   browsers and Go. A "*" anywhere else makes the identifier unmatchable.
 * - An SNI that is an IP literal (RFC 6066 forbids it, clients still send it) is compared with
 *   the iPAddress SANs only, octet for octet; never with CN or dNSName.
 * - A presented name holding NUL, control characters, spaces or non-ASCII octets matches
 *   nothing (the "www.bank.com\0.evil.com" trick cannot match "www.bank.com").
 *
 * The answer is null when there is no SNI or no readable certificate.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import type { ParsedCertificate } from './certificate.js';
import { sameBytes } from '../bytes/equal.js';

/** RFC 6125 check of the leaf against the SNI (see the file comment). Never throws. */
export function sniMatchesCertificate(sni: string | null | undefined, leaf: ParsedCertificate | null | undefined): boolean | null {
  if (sni == null || sni === '' || leaf == null) return null;
  const ip = ipLiteralBytes(sni);
  const san = leaf.ext.san ?? [];
  if (ip !== null) {
    for (const g of san) if (g.kind === 'ip' && g.ip !== undefined && sameBytes(g.ip, ip)) return true;
    return false;
  }
  const reference = referenceName(sni);
  if (reference === null) return false;
  const dns = san.filter((g) => g.kind === 'dns');
  if (dns.length > 0) return dns.some((g) => matchPresented(reference, g.value, false));
  return leaf.subject.commonNames.some((cn) => matchPresented(reference, cn, true));
}

/**
 * The reference identifier (the SNI) as lowercase A-labels without a trailing dot, or null when
 * it cannot be a host name.
 */
export function referenceName(name: string): string | null {
  const n = stripDot(name);
  if (n === '' || n.includes('*') || n.startsWith('.')) return null;
  const ascii = toALabels(n);
  return ascii !== null && ascii.length > 0 && !ascii.includes('..') ? ascii : null;
}

/**
 * One presented identifier against a reference already normalised by `referenceName`.
 * `allowUnicode`: the presented name may be a U-label (a CN is a DirectoryString); a dNSName
 * must already be ASCII (RFC 5280 §4.2.1.6).
 */
export function matchPresented(reference: string, presented: string, allowUnicode = false): boolean {
  let p = stripDot(presented);
  if (p === '') return false;
  if (!/^[\x21-\x7e]*$/.test(p)) {
    if (!allowUnicode || hasControlOrSpace(p)) return false;
    const wild = p.startsWith('*.');
    const ascii = toALabels(wild ? p.slice(2) : p);
    if (ascii === null) return false;
    p = wild ? '*.' + ascii : ascii;
  }
  p = p.toLowerCase();
  const star = p.indexOf('*');
  if (star < 0) return p === reference;
  // Only "*.<at least two labels>" is a wildcard; "*" anywhere else never matches.
  if (star !== 0 || p[1] !== '.' || p.indexOf('*', 1) >= 0) return false;
  const rest = p.slice(2);
  if (rest.split('.').length < 2 || rest.split('.').some((l) => l === '')) return false;
  const dot = reference.indexOf('.');
  if (dot <= 0) return false;
  return reference.slice(dot + 1) === rest;
}

/** C0 controls, space, DEL and C1 controls: never part of a host name. */
function hasControlOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** UTS #46 ToASCII via node:url; a plain ASCII name that WHATWG rejects (e.g. with "_") is kept as is. */
function toALabels(name: string): string | null {
  const lower = name.toLowerCase();
  if (hasControlOrSpace(lower)) return null;
  const a = domainToASCII(lower);
  if (a !== '') return a;
  return /^[\x21-\x7e]+$/.test(lower) ? lower : null;
}

/** The octets of an IPv4 or IPv6 literal (brackets allowed), or null when `s` is not one. */
export function ipLiteralBytes(s: string): Uint8Array | null {
  const t = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  if (isIPv4(t)) return Uint8Array.from(t.split('.').map(Number));
  // Every IPv6 literal has a colon: a host name is turned away before isIPv6's long pattern.
  if (!t.includes(':') || !isIPv6(t) || t.includes('%')) return null;
  return ipv6Bytes(t);
}

function ipv6Bytes(t: string): Uint8Array | null {
  let s = t;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    // Embedded IPv4 in the last 32 bits (RFC 4291 §2.2 form 3).
    if (!isIPv4(last)) return null;
    const o = last.split('.').map(Number);
    tail = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => (/^[0-9a-fA-F]{1,4}$/.test(h) ? parseInt(h, 16) : NaN)));
  const head = parse(halves[0]!);
  let words: number[];
  if (halves.length === 2) {
    const back = parse(halves[1]!);
    const fill = 8 - head.length - back.length - tail.length;
    if (fill < 1) return null;
    words = [...head, ...Array<number>(fill).fill(0), ...back, ...tail];
  } else {
    words = [...head, ...tail];
  }
  if (words.length !== 8 || words.some((w) => Number.isNaN(w))) return null;
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}
