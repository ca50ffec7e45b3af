/**
 * C2 default-certificate traits, loaded at run time from a CSV with the columns
 * `framework,category,verdict,field,value,match,confidence,notes,source`
 * (the layout of ../shared/intel/c2/c2_cert_traits.csv; the project ships no such data).
 *
 * Fields understood: subject_dn, issuer_dn, subject_cn, issuer_cn, subject_o, subject_ou,
 * issuer_ou, cert_sha256, cert_serial_dec, cert_serial_hex (certificate traits) and ja3, ja3s,
 * ja4 (fingerprint traits). ja4s/ja4x/ja4h/jarm rows are kept but never match: the tool does
 * not compute those fingerprints.
 * Matching: DNs compare RDN by RDN whatever the order (the list writes "C=US, ST=WA, ..."; the
 * record "CN=...,O=...,C=US"); `contains` on a DN with "=" means every listed RDN is present,
 * without "=" a case-insensitive substring of the DN; `regex` is anchored and ignored on an
 * empty value. Text comparisons are case-insensitive.
 */
import type { CertificateRecord, TlsRecord } from '../model/session.js';
import { LIMITS } from '../config/limits.js';
import { Memo } from '../memo.js';

export interface C2Trait {
  framework: string;
  category: string;
  verdict: string;
  field: string;
  value: string;
  match: 'exact' | 'contains' | 'regex';
  confidence: 'high' | 'medium' | 'low';
  notes: string;
  source: string;
}

/** RFC 4180 CSV (quoted fields, "" escapes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const COLUMNS = ['framework', 'category', 'verdict', 'field', 'value', 'match', 'confidence', 'notes', 'source'] as const;

/** Parse the traits CSV; throws a one-line Error when the header is not the expected one. */
export function parseC2Traits(text: string): C2Trait[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.map((h) => h.trim().toLowerCase()) ?? [];
  const idx = COLUMNS.map((c) => header.indexOf(c));
  const missing = COLUMNS.filter((_, i) => idx[i] === -1 && COLUMNS[i] !== 'notes' && COLUMNS[i] !== 'source' && COLUMNS[i] !== 'category');
  if (missing.length > 0) throw new Error(`C2 traits CSV: missing column(s) ${missing.join(', ')}`);
  const get = (r: string[], c: (typeof COLUMNS)[number]): string => {
    const i = idx[COLUMNS.indexOf(c)]!;
    return i === -1 ? '' : (r[i] ?? '').trim();
  };
  const out: C2Trait[] = [];
  for (const r of rows) {
    const match = get(r, 'match').toLowerCase();
    const confidence = get(r, 'confidence').toLowerCase();
    out.push({
      framework: get(r, 'framework'), category: get(r, 'category'), verdict: get(r, 'verdict').toLowerCase(),
      field: get(r, 'field').toLowerCase(), value: get(r, 'value'),
      match: match === 'contains' || match === 'regex' ? match : 'exact',
      confidence: confidence === 'high' || confidence === 'low' ? confidence : 'medium',
      notes: get(r, 'notes'), source: get(r, 'source'),
    });
  }
  return out;
}

export interface DnPair {
  attr: string;
  value: string;
}

const pairsByDn = new Memo<readonly DnPair[]>(LIMITS.maxMemoEntries);

/** Split a DN into "ATTR=value" pairs (escaped "\," and "\+" stay in the value); the result is shared, do not change it. */
export function dnPairs(dn: string | null): readonly DnPair[] {
  return dn ? pairsByDn.get(dn, splitDn) : [];
}

function splitDn(dn: string): DnPair[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\' && i + 1 < dn.length) { cur += dn[i + 1]; i++; continue; }
    if (ch === ',' || ch === '+') { parts.push(cur); cur = ''; continue; }
    cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    return eq === -1 ? { attr: '', value: p } : { attr: p.slice(0, eq).trim().toUpperCase(), value: p.slice(eq + 1).trim() };
  });
}

/** Values of one attribute (e.g. "CN") of a DN. */
export function dnValues(dn: string | null, attr: string): string[] {
  return dnPairs(dn).filter((p) => p.attr === attr).map((p) => p.value);
}

const lc = (s: string): string => s.toLowerCase();

function textMatch(t: C2Trait, actual: string): boolean {
  if (t.match === 'regex') {
    if (actual === '') return false;
    try {
      return new RegExp(`^(?:${t.value})$`, 'i').test(actual);
    } catch {
      return false;
    }
  }
  return t.match === 'contains' ? lc(actual).includes(lc(t.value)) : lc(actual) === lc(t.value);
}

function dnMatch(t: C2Trait, dn: string | null): boolean {
  if (dn === null) return false;
  if (!t.value.includes('=')) return t.match === 'regex' ? textMatch(t, dn) : lc(dn).includes(lc(t.value)) && (t.match === 'contains' || lc(dn) === lc(t.value));
  const want = dnPairs(t.value).map((p) => `${p.attr}=${lc(p.value)}`);
  const have = dnPairs(dn).map((p) => `${p.attr}=${lc(p.value)}`);
  if (t.match === 'contains') return want.every((w) => have.includes(w));
  return want.length === have.length && [...want].sort().join('\n') === [...have].sort().join('\n');
}

function serialEquals(hex: string | null, dec: string): boolean {
  if (!hex || !/^\d+$/.test(dec) || !/^[0-9a-f]+$/i.test(hex)) return false;
  return BigInt('0x' + hex) === BigInt(dec);
}

/** Does a certificate carry this trait? */
export function certHasTrait(t: C2Trait, c: CertificateRecord): boolean {
  switch (t.field) {
    case 'subject_dn': return dnMatch(t, c.subject);
    case 'issuer_dn': return dnMatch(t, c.issuer);
    case 'subject_cn': return dnValues(c.subject, 'CN').some((v) => textMatch(t, v));
    case 'issuer_cn': return dnValues(c.issuer, 'CN').some((v) => textMatch(t, v));
    case 'subject_o': return dnValues(c.subject, 'O').some((v) => textMatch(t, v));
    case 'subject_ou': return dnValues(c.subject, 'OU').some((v) => textMatch(t, v));
    case 'issuer_ou': return dnValues(c.issuer, 'OU').some((v) => textMatch(t, v));
    case 'cert_sha256': return lc(c.sha256) === lc(t.value.replace(/:/g, ''));
    case 'cert_serial_dec': return serialEquals(c.serial, t.value);
    case 'cert_serial_hex': {
      const want = lc(t.value.replace(/[:\s]/g, '')).replace(/^0+/, '');
      const have = lc(c.serial ?? '').replace(/^0+/, '');
      return have !== '' && want !== '' && (t.match === 'contains' ? have.includes(want) : have === want);
    }
    default: return false;
  }
}

/** The fingerprint value of a TLS record a trait looks at ("ja3" | "ja3s" | "ja4"), or null. */
export function fingerprintTraitValue(t: C2Trait, tls: TlsRecord): string | null {
  const v = t.field === 'ja3' ? tls.ja3 : t.field === 'ja3s' ? tls.ja3s : t.field === 'ja4' ? tls.ja4 : null;
  if (!v) return null;
  return lc(v) === lc(t.value) ? v : null;
}
