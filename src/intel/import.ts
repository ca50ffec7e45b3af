/**
 * Intel list import: recognise each indicator-list format of ../shared/intel (the project ships
 * none of these files; they are read at run time) and turn it into typed rows.
 *
 * Formats (detected from the content, never from the file name):
 *  - abuse.ch SSLBL certificate list: `#` comment header whose last comment line is
 *    `# Listingdate,SHA1,Listingreason`, or a plain `listing_date_utc_minute,sha1,listing_reason`
 *    header (the addendum)                                  -> cert_sha1, malicious
 *  - abuse.ch SSLBL JA3 list: `# ja3_md5,Firstseen,Lastseen,Listingreason` -> ja3, malicious
 *  - salesforce JA3 lists: `md5,"application(s)"` rows without header, a leading quoted
 *    copyright record                                       -> ja3, benign (known good)
 *  - generic `kind,value,label,verdict,source[,match,note]` (fingerprints.csv): kinds as given,
 *    verdict `unknown` -> info
 *  - C2 traits `framework,category,verdict,field,value,match,...` (parsed by classify/c2-traits.ts)
 *                                                           -> c2_trait (value `field|match|framework|value`)
 *  - MISP Mozilla CA fingerprints `ca_type,hash_type,fingerprint` -> ca_fingerprint, benign
 *  - Microsoft Azure CAs `ca_type,ca_name,serial_hex,sha1_thumbprint` -> ca_fingerprint, benign
 *  - popular domains, one column `domain`                   -> domain_popular, info
 *  - provider domains `provider,domain,match,source`        -> domain_provider (".x" = suffix), info
 *  - provider issuer seed `provider,sni_suffixes,expected_issuer_o,...` -> provider_issuer, one row
 *    per suffix, the expected issuer O values in `extra`, info
 * Anything else is a one-line Error naming the file (ET Open and FoxIO files included: their
 * rows reach the tool through fingerprints.csv).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseC2Traits, parseCsv } from '../classify/c2-traits.js';

export type IntelKind =
  | 'ja3' | 'ja3s' | 'ja4' | 'ja4s' | 'ja4x' | 'ja4t' | 'ja4ts'
  | 'cert_sha1' | 'cert_sha256' | 'cert_md5' | 'cert_subject' | 'cert_issuer' | 'cert_serial'
  | 'ca_fingerprint' | 'domain_popular' | 'domain_provider' | 'provider_issuer' | 'c2_trait';

export const INTEL_KINDS: readonly IntelKind[] = [
  'ja3', 'ja3s', 'ja4', 'ja4s', 'ja4x', 'ja4t', 'ja4ts', 'cert_sha1', 'cert_sha256', 'cert_md5', 'cert_subject', 'cert_issuer',
  'cert_serial', 'ca_fingerprint', 'domain_popular', 'domain_provider', 'provider_issuer', 'c2_trait',
];

export type IntelVerdict = 'malicious' | 'benign' | 'info';

export interface IntelRow {
  kind: IntelKind;
  /** Normalised: hashes lower-case hex without colons, domains lower-case without trailing dot. */
  value: string;
  label: string;
  verdict: IntelVerdict;
  /** The list the row comes from, e.g. "abuse.ch-sslbl" or "et-open:sid:2013409". */
  source: string;
  listedAt: string | null;
  /** Kind-specific details (c2_trait: confidence, category, notes; provider_issuer: issuers). */
  extra: Record<string, unknown> | null;
}

export type IntelFormat =
  | 'abuse.ch-sslbl' | 'abuse.ch-sslbl-ja3' | 'salesforce-ja3' | 'fingerprints' | 'c2-traits'
  | 'mozilla-ca' | 'azure-ca' | 'popular-domains' | 'provider-domains' | 'provider-issuers';

export interface ParsedIntel {
  format: IntelFormat;
  rows: IntelRow[];
}

const HEX = /^[0-9a-f]+$/;
const hex = (s: string): string => s.trim().toLowerCase().replace(/^0x/, '').replace(/[:\s]/g, '');
const domain = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');
const norm = (h: string[]): string[] => h.map((c) => c.trim().toLowerCase().replace(/^#\s*/, ''));

function row(kind: IntelKind, value: string, label: string, verdict: IntelVerdict, source: string, listedAt: string | null = null, extra: Record<string, unknown> | null = null): IntelRow {
  return { kind, value, label, verdict, source, listedAt, extra };
}

/** The `#` comment line naming the columns (the last non-empty comment line with a comma). */
function commentHeader(text: string): string[] | null {
  let header: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const body = line.replace(/^#+\s*/, '').trim();
    if (body.includes(',')) header = body.split(',').map((c) => c.trim().toLowerCase());
  }
  return header;
}

function dataRows(text: string): string[][] {
  return parseCsv(text.split(/\r?\n/).filter((l) => !l.startsWith('#')).join('\n'));
}

const sameHeader = (h: string[], want: readonly string[]): boolean => want.every((c, i) => h[i] === c);

function verdictOf(v: string): IntelVerdict {
  const x = v.trim().toLowerCase();
  return x === 'malicious' ? 'malicious' : x === 'benign' ? 'benign' : 'info';
}

function fpValue(kind: IntelKind, v: string): string {
  switch (kind) {
    case 'ja3': case 'ja3s': case 'cert_sha1': case 'cert_sha256': case 'cert_md5': case 'cert_serial': case 'ca_fingerprint':
      return hex(v);
    case 'ja4': case 'ja4s': case 'ja4x': case 'ja4t': case 'ja4ts':
      return v.trim().toLowerCase();
    default:
      return v.trim();
  }
}

/**
 * Detect the format of one list and parse it. `name` (the file) is only used in messages.
 * Throws a one-line Error naming the file when the format is unknown or a row is unusable.
 */
export function parseIntel(text: string, name: string): ParsedIntel {
  const t = text.replace(/^\uFEFF/, '');
  const fail = (why: string): never => {
    throw new Error(`${name}: ${why}`);
  };
  const comment = commentHeader(t);
  if (comment && sameHeader(comment, ['listingdate', 'sha1', 'listingreason'])) return sslbl(dataRows(t), 0, 1, 2, fail);
  if (comment && sameHeader(comment, ['ja3_md5', 'firstseen', 'lastseen', 'listingreason'])) {
    const rows = dataRows(t).map((r, i) => {
      const v = hex(r[0] ?? '');
      if (v.length !== 32 || !HEX.test(v)) fail(`row ${i + 1}: "${r[0] ?? ''}" is not a JA3 MD5`);
      return row('ja3', v, (r[3] ?? '').trim() || 'abuse.ch JA3', 'malicious', 'abuse.ch-sslbl-ja3', (r[1] ?? '').trim() || null, { last_seen: (r[2] ?? '').trim() || null });
    });
    return { format: 'abuse.ch-sslbl-ja3', rows };
  }
  const all = parseCsv(t);
  const header = norm(all[0] ?? []);
  const body = all.slice(1);
  if (sameHeader(header, ['listing_date_utc_minute', 'sha1', 'listing_reason'])) return sslbl(body, 0, 1, 2, fail);
  if (sameHeader(header, ['kind', 'value', 'label', 'verdict', 'source'])) {
    const known = new Set<string>(INTEL_KINDS);
    const rows = body.map((r, i) => {
      const kind = (r[0] ?? '').trim().toLowerCase();
      if (!known.has(kind)) fail(`row ${i + 2}: unknown kind "${kind}"`);
      const k = kind as IntelKind;
      const value = fpValue(k, r[1] ?? '');
      if (value === '') fail(`row ${i + 2}: empty value`);
      const match = (r[5] ?? '').trim();
      return row(k, value, (r[2] ?? '').trim(), verdictOf(r[3] ?? ''), (r[4] ?? '').trim() || basename(name), null,
        match !== '' && match !== 'exact' ? { match } : null);
    });
    return { format: 'fingerprints', rows };
  }
  if (sameHeader(header, ['framework', 'category', 'verdict', 'field', 'value', 'match'])) {
    const rows = parseC2Traits(t).map((c) => row('c2_trait', `${c.field}|${c.match}|${c.framework.replace(/\|/g, '/')}|${c.value}`, c.framework, verdictOf(c.verdict), c.source || basename(name), null,
      { category: c.category, confidence: c.confidence, notes: c.notes }));
    return { format: 'c2-traits', rows };
  }
  if (sameHeader(header, ['ca_type', 'hash_type', 'fingerprint'])) {
    const rows = body.map((r) => {
      const type = (r[0] ?? '').trim().toLowerCase();
      const alg = (r[1] ?? '').trim().toLowerCase();
      return row('ca_fingerprint', hex(r[2] ?? ''), `Mozilla ${type} CA (${alg})`, 'benign',
        type === 'intermediate' ? 'misp-warninglists:mozilla-IntermediateCA' : 'misp-warninglists:mozilla-CA', null, { hash: alg, ca_type: type });
    });
    return { format: 'mozilla-ca', rows };
  }
  if (sameHeader(header, ['ca_type', 'ca_name', 'serial_hex', 'sha1_thumbprint'])) {
    const rows = body.filter((r) => hex(r[3] ?? '') !== '').map((r) => row('ca_fingerprint', hex(r[3] ?? ''), `${(r[1] ?? '').trim()} (Microsoft Azure ${(r[0] ?? '').trim()})`,
      'benign', 'microsoft-azure-ca-details', null, { hash: 'sha1', ca_type: (r[0] ?? '').trim(), provider: 'Microsoft', serial: hex(r[2] ?? '') }));
    return { format: 'azure-ca', rows };
  }
  if (header.length === 1 && header[0] === 'domain') {
    const rows = body.filter((r) => (r[0] ?? '').trim() !== '').map((r) => row('domain_popular', domain(r[0]!), 'popular domain', 'info', 'misp-warninglists:majestic_million'));
    return { format: 'popular-domains', rows };
  }
  if (sameHeader(header, ['provider', 'domain', 'match'])) {
    const rows = body.filter((r) => (r[1] ?? '').trim() !== '').map((r) => {
      const suffix = (r[2] ?? '').trim().toLowerCase() === 'suffix' || (r[1] ?? '').trim().startsWith('.');
      const d = domain(r[1]!).replace(/^\.+/, '');
      return row('domain_provider', suffix ? `.${d}` : d, (r[0] ?? '').trim(), 'info', (r[3] ?? '').trim() || basename(name));
    });
    return { format: 'provider-domains', rows };
  }
  if (sameHeader(header, ['provider', 'sni_suffixes', 'expected_issuer_o'])) {
    const idx = (c: string): number => header.indexOf(c);
    const rows: IntelRow[] = [];
    for (const r of body) {
      const provider = (r[0] ?? '').trim();
      const issuers = (r[2] ?? '').split('|').map((s) => s.trim()).filter((s) => s !== '');
      const extra = { expected_issuer_o: issuers, confidence: (r[idx('confidence')] ?? '').trim() || null, caveats: (r[idx('caveats')] ?? '').trim() || null };
      for (const s of (r[1] ?? '').split(';').map((x) => domain(x)).filter((x) => x !== '')) {
        rows.push(row('provider_issuer', s, provider, 'info', 'provider-issuers-seed', null, extra));
      }
    }
    return { format: 'provider-issuers', rows };
  }
  if (isSalesforce(all)) {
    const rows = all.filter((r) => r.length >= 2 && /^[0-9a-f]{32}$/i.test((r[0] ?? '').trim()))
      .map((r) => row('ja3', hex(r[0]!), (r[1] ?? '').trim(), 'benign', 'salesforce-ja3-osx-nix'));
    return { format: 'salesforce-ja3', rows };
  }
  if (sameHeader(header, ['sid', 'rev', 'enabled'])) fail('ET Open indicator file: not imported directly, import fingerprints.csv (it carries its JA3/JA3S/certificate rows)');
  if (header.includes('ja4') && header.includes('application')) fail('FoxIO JA4+ mapping: not imported directly, import fingerprints.csv (it carries its rows, tagged foxio-ja4plus-mapping)');
  return fail('unknown intel list format (expected an abuse.ch SSLBL/JA3 CSV, a salesforce JA3 list, fingerprints.csv, c2_cert_traits.csv, a MISP CA or domain list, or a providers/ list)');
}

function sslbl(rows: string[][], date: number, sha: number, reason: number, fail: (why: string) => never): ParsedIntel {
  return {
    format: 'abuse.ch-sslbl',
    rows: rows.map((r, i) => {
      const v = hex(r[sha] ?? '');
      if (v.length !== 40 || !HEX.test(v)) fail(`row ${i + 1}: "${r[sha] ?? ''}" is not a certificate SHA-1`);
      return row('cert_sha1', v, (r[reason] ?? '').trim() || 'abuse.ch SSLBL', 'malicious', 'abuse.ch-sslbl', (r[date] ?? '').trim() || null);
    }),
  };
}

/** Two-column `md5,"app"` records (a leading notice record is allowed), most of them JA3s. */
function isSalesforce(rows: string[][]): boolean {
  const md5 = rows.filter((r) => r.length === 2 && /^[0-9a-f]{32}$/i.test((r[0] ?? '').trim())).length;
  return md5 > 0 && md5 >= rows.length - 1;
}

/** Read and parse one file; throws a one-line Error naming it. */
export function readIntelFile(path: string): ParsedIntel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return parseIntel(text, path);
}
