/** Small shared helpers for rules (no thresholds here: each rule keeps its own). */
import type { CertificateRecord, SessionRecord } from '../../model/session.js';

/** Certificates of the session's server chain carrying a fact, with their chain position. */
export function certsWithFact(s: SessionRecord, fact: string): { cert: CertificateRecord; position: number }[] {
  const out: { cert: CertificateRecord; position: number }[] = [];
  s.tls?.certificates.forEach((cert, position) => { if (cert.facts.includes(fact)) out.push({ cert, position }); });
  return out;
}

export function certEvidence(c: CertificateRecord, position: number): Record<string, unknown> {
  return { position: position === 0 ? 'leaf' : position, subject: c.subject, issuer: c.issuer, serial: c.serial, sha256: c.sha256 };
}

/** The session speaks TLS (or QUIC/DTLS) with at least a ClientHello visible. */
export function hasClientHello(s: SessionRecord): boolean {
  return s.tls !== null && (s.tls.ja3 !== null || s.tls.ja4 !== null);
}

/** An IPv4 or IPv6 literal (with or without brackets). */
export function isIpLiteral(name: string): boolean {
  const n = name.replace(/^\[|\]$/g, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(n) || (n.includes(':') && /^[0-9a-f:.]+$/i.test(n));
}

/** Special-use and private TLDs (RFC 2606, RFC 6761, RFC 6762, RFC 8375 home.arpa, common internal suffixes). */
const INTERNAL_TLDS = new Set(['test', 'example', 'invalid', 'localhost', 'local', 'internal', 'lan', 'home', 'corp', 'intranet', 'private', 'localdomain', 'arpa']);

/** A name that could be on the public Internet (has a dot, no internal TLD, not an IP). */
export function isPublicLookingName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(n) || !n.includes('.')) return false;
  const tld = n.slice(n.lastIndexOf('.') + 1);
  if (INTERNAL_TLDS.has(tld) || /(^|\.)example\.(com|net|org)$/.test(n)) return false;
  return /^[a-z]{2,63}$|^xn--[a-z0-9-]+$/.test(tld);
}
