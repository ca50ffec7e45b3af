/**
 * The rule contract (design.md principle 7, anchors.md principle 11): a rule turns facts of
 * one SessionRecord (plus per-run statistics) into findings. Rules are pure: no I/O, no
 * clock, no bytes; everything they need is in the record or in the ClassifyContext.
 */
import type { Finding, SessionRecord, Severity } from '../model/session.js';
import type { Policy } from './policy.js';
import type { RunIndex } from './run-index.js';
import type { C2Trait } from './c2-traits.js';
import type { DnsLookup } from '../dns/dns-log.js';
import type { BaselineLookup } from '../baseline/baseline.js';

export interface Rule {
  /** Stable id, e.g. "cert.self-signed" (stored, matched by policies: never rename). */
  id: string;
  /** Default severity; a finding may carry another one (e.g. by kind), a policy may override it. */
  severity: Severity;
  title: string;
  /** One line, for `analyze rules`. */
  description: string;
  evaluate(session: SessionRecord, ctx: ClassifyContext): Finding[];
}

/** One indicator-list hit, as the intel store reports it. */
export interface IntelMatch {
  /** Which list matched, e.g. "abuse.ch-sslbl" or "fingerprints.csv". */
  list: string;
  /** What the list says it is, e.g. "Dridex C&C" or "Sliver agent". */
  label: string;
  verdict: 'malicious' | 'unknown' | 'benign';
  source?: string;
}

/** Indicator lookups; each returns null when the value is on no list. */
export interface IntelLookup {
  ja3(hash: string): IntelMatch | null;
  ja4(fingerprint: string): IntelMatch | null;
  ja3s(hash: string): IntelMatch | null;
  certSha1(hex: string): IntelMatch | null;
  certSha256(hex: string): IntelMatch | null;
  /** The name (or a parent domain of it) is on a popular-domain list (e.g. Majestic top 10k). */
  popularDomain?(name: string): IntelMatch | null;
  /** The provider that owns the name (provider domain lists, provider issuer seed), or null. */
  providerOf?(name: string): ProviderMatch | null;
  /** A certificate (SHA-1 or SHA-256 hex) is a publicly trusted CA certificate (Mozilla/CCADB, provider CA lists). */
  publicCa?(hex: string): IntelMatch | null;
}

/** A well-known provider owning a name, and the issuer organisations it is expected to use. */
export interface ProviderMatch {
  provider: string;
  /** The listed domain or suffix that matched (".google.com" = suffix). */
  domain: string;
  list: string;
  /** Issuer O values the provider uses for its own names (empty: unknown, no issuer check). */
  expectedIssuers: string[];
  /** Confidence of the issuer list (the seed is hand-compiled and unverified). */
  issuerConfidence: string | null;
}

/** The lookup used until intel is imported: nothing matches. */
export const EMPTY_INTEL: IntelLookup = {
  ja3: () => null, ja4: () => null, ja3s: () => null, certSha1: () => null, certSha256: () => null,
};

export interface ClassifyContext {
  /** What the run has seen so far: fingerprint counts, beacon groups (run-index.ts). */
  index: RunIndex;
  policy: Policy;
  intel: IntelLookup;
  /** C2 default-certificate traits loaded at run time (empty when no file was given). */
  c2Traits: readonly C2Trait[];
  /** Ports where anything but TLS/QUIC/DTLS is out of place. */
  tlsPorts: ReadonlySet<number>;
  // --- DNS correlation and site baseline (dns.*, baseline.* rules) ---
  /** What the capture's DNS responses said (EMPTY_DNS when none were parsed). */
  dns: DnsLookup;
  /** The site baseline (`analyze learn`), or null when the store holds none. */
  baseline: BaselineLookup | null;
}

/** Build a finding; `evidence` names the exact values that made the rule fire. */
export function finding(rule: Rule, message: string, evidence: Record<string, unknown>, severity?: Severity): Finding {
  return { rule: rule.id, severity: severity ?? rule.severity, message, evidence };
}
