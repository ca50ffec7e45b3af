/**
 * IntelLookup over imported intel rows: every relevant kind is loaded once per run into Maps, so
 * each lookup is a hash probe (or one per parent domain).
 *
 * Verdict resolution when one value is on several lists (../shared/intel/README.md §9: 39
 * conflicts, 31 of them JA3s where an abuse.ch "Adware"/"Tofsee" JA3 equals a Chrome or Java build):
 *  - client/server fingerprints (JA3, JA3S, JA4): a value on a malicious list AND a known-good
 *    list (salesforce, benign FoxIO/ET rows) is reported as "unknown" with both labels, so the
 *    intel.* fingerprint rules give info instead of medium; a known-good value alone is "benign",
 *    which the rules never report. Known-good lists never produce a bad finding.
 *  - certificate hashes (SHA-1/SHA-256) do not collide: malicious wins over unknown over benign.
 * Popular/provider domains, public CA fingerprints and C2 traits feed cert.impersonation and the
 * C2 default rules.
 */
import type { C2Trait } from '../classify/c2-traits.js';
import type { IntelLookup, IntelMatch, ProviderMatch } from '../classify/rule.js';
import type { IntelKind, IntelRow } from './import.js';
import { IntelStore } from './store.js';

/** Kinds an IntelLookup uses (the others are stored for reference only). */
export const LOOKUP_KINDS: readonly IntelKind[] = [
  'ja3', 'ja3s', 'ja4', 'cert_sha1', 'cert_sha256', 'ca_fingerprint', 'domain_popular', 'domain_provider', 'provider_issuer', 'c2_trait',
];

const RANK = { malicious: 2, info: 1, benign: 0 } as const;

function toMatch(r: IntelRow): IntelMatch {
  return { list: r.source, label: r.label, verdict: r.verdict === 'info' ? 'unknown' : r.verdict, source: r.source };
}

/** Several hits on one fingerprint value -> one match (see the resolution rules above). */
export function resolveFingerprint(rows: readonly IntelRow[]): IntelMatch | null {
  const bad = rows.find((r) => r.verdict === 'malicious');
  const good = rows.find((r) => r.verdict === 'benign');
  if (bad && good) {
    return { list: bad.source, label: `${bad.label} (also listed as known-good "${good.label}" by ${good.source})`, verdict: 'unknown', source: `${bad.source}; ${good.source}` };
  }
  const best = bad ?? rows.find((r) => r.verdict === 'info') ?? good;
  return best ? toMatch(best) : null;
}

export function resolveCertificate(rows: readonly IntelRow[]): IntelMatch | null {
  const best = [...rows].sort((a, b) => RANK[b.verdict] - RANK[a.verdict])[0];
  return best ? toMatch(best) : null;
}

function group(rows: readonly IntelRow[], kinds: readonly IntelKind[]): Map<string, IntelRow[]> {
  const m = new Map<string, IntelRow[]>();
  for (const r of rows) {
    if (!kinds.includes(r.kind)) continue;
    const list = m.get(r.value);
    if (list) list.push(r);
    else m.set(r.value, [r]);
  }
  return m;
}

/** The name and its parent domains with at least two labels ("a.b.c.com" -> a.b.c.com, b.c.com, c.com). */
function parents(name: string): string[] {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export function buildIntelLookup(rows: readonly IntelRow[]): IntelLookup {
  const cache = <T>(map: Map<string, IntelRow[]>, resolve: (r: IntelRow[]) => T | null) => {
    const done = new Map<string, T | null>();
    return (value: string): T | null => {
      const key = value.toLowerCase().replace(/:/g, '');
      if (!done.has(key)) {
        const hits = map.get(key);
        done.set(key, hits ? resolve(hits) : null);
      }
      return done.get(key)!;
    };
  };
  const ja3 = cache(group(rows, ['ja3']), resolveFingerprint);
  const ja3s = cache(group(rows, ['ja3s']), resolveFingerprint);
  const ja4 = cache(group(rows, ['ja4']), resolveFingerprint);
  const certSha1 = cache(group(rows, ['cert_sha1']), resolveCertificate);
  const certSha256 = cache(group(rows, ['cert_sha256']), resolveCertificate);
  const publicCa = cache(group(rows, ['ca_fingerprint']), (r) => toMatch(r[0]!));
  const popular = new Map<string, IntelRow>();
  for (const r of rows) if (r.kind === 'domain_popular' && !popular.has(r.value)) popular.set(r.value, r);
  const providerExact = new Map<string, IntelRow>();
  const providerSuffix = new Map<string, IntelRow>();
  for (const r of rows) {
    if (r.kind !== 'domain_provider') continue;
    if (r.value.startsWith('.')) { if (!providerSuffix.has(r.value.slice(1))) providerSuffix.set(r.value.slice(1), r); }
    else if (!providerExact.has(r.value)) providerExact.set(r.value, r);
  }
  const seed = new Map<string, IntelRow>();
  for (const r of rows) if (r.kind === 'provider_issuer' && r.value !== '*' && !seed.has(r.value)) seed.set(r.value, r);

  return {
    ja3, ja3s, ja4, certSha1, certSha256, publicCa,
    popularDomain(name) {
      for (const p of parents(name)) {
        const r = popular.get(p);
        if (r) return { list: r.source, label: `${p} (${r.label})`, verdict: 'unknown', source: r.source };
      }
      return null;
    },
    providerOf(name): ProviderMatch | null {
      const ps = parents(name);
      for (const p of ps) {
        const s = seed.get(p);
        if (s) {
          const issuers = Array.isArray(s.extra?.expected_issuer_o) ? (s.extra.expected_issuer_o as unknown[]).map(String) : [];
          const confidence = typeof s.extra?.confidence === 'string' ? s.extra.confidence : null;
          return { provider: s.label, domain: p, list: s.source, expectedIssuers: issuers, issuerConfidence: confidence };
        }
      }
      for (const [i, p] of ps.entries()) {
        const r = (i === 0 ? providerExact.get(p) : undefined) ?? providerSuffix.get(p);
        if (r) return { provider: r.label, domain: r.value, list: r.source, expectedIssuers: [], issuerConfidence: null };
      }
      return null;
    },
  };
}

/** C2 traits stored as c2_trait rows (value `field|match|framework|value`) back to classify/c2-traits.ts records. */
export function c2TraitsFromRows(rows: readonly IntelRow[]): C2Trait[] {
  const out: C2Trait[] = [];
  for (const r of rows) {
    if (r.kind !== 'c2_trait') continue;
    const a = r.value.indexOf('|');
    const f = r.value.indexOf('|', a + 1);
    const b = r.value.indexOf('|', f + 1);
    if (a === -1 || f === -1 || b === -1) continue;
    const match = r.value.slice(a + 1, f);
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const confidence = str(r.extra?.confidence);
    out.push({
      framework: r.label, category: str(r.extra?.category), verdict: r.verdict === 'info' ? 'unknown' : r.verdict,
      field: r.value.slice(0, a), value: r.value.slice(b + 1),
      match: match === 'contains' || match === 'regex' ? match : 'exact',
      confidence: confidence === 'high' || confidence === 'low' ? confidence : 'medium',
      notes: str(r.extra?.notes), source: r.source,
    });
  }
  return out;
}

export interface LoadedIntel {
  lookup: IntelLookup;
  c2Traits: C2Trait[];
  rows: number;
}

/** The intel of a run database, or null when none was imported. */
export function loadIntel(dbPath: string): LoadedIntel | null {
  const store = IntelStore.open(dbPath, { create: false });
  try {
    if (store.total() === 0) return null;
    const rows = store.rows(LOOKUP_KINDS);
    return { lookup: buildIntelLookup(rows), c2Traits: c2TraitsFromRows(rows), rows: rows.length };
  } finally {
    store.close();
  }
}
