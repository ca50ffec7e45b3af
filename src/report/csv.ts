/**
 * CSV for spreadsheets and other tools: a header, then one row per session (RFC 4180: CRLF line
 * ends, fields quoted when they hold a comma, quote or line break). Every field goes through
 * `csvField` (escape.ts), which also defuses spreadsheet formulas (=, +, -, @ at the start).
 */
import type { SessionRecord } from '../model/session.js';
import { csvField } from './escape.js';
import { endpoint, maxSeverity, rulesOf } from './review.js';

export const CSV_COLUMNS = [
  'session_id', 'start', 'end', 'transport', 'client', 'server', 'protocol', 'version', 'sni',
  'ja3', 'ja4', 'ja3s', 'cipher', 'chain_valid', 'chain_error', 'sni_matches_cert',
  'score', 'verdict', 'max_severity', 'rules', 'anomalies',
] as const;

/** Lists inside one field (rules, anomalies) are joined with this. */
export const CSV_LIST_SEPARATOR = ';';

export function csvRow(s: SessionRecord): string[] {
  const t = s.tls;
  const opt = (v: string | boolean | null | undefined): string => (v == null ? '' : String(v));
  return [
    s.session_id,
    s.start,
    s.end,
    s.transport,
    endpoint(s.client_ip, s.client_port),
    endpoint(s.server_ip, s.server_port),
    s.protocol,
    opt(t?.version),
    opt(t?.sni),
    opt(t?.ja3),
    opt(t?.ja4),
    opt(t?.ja3s),
    opt(t?.cipher),
    opt(t?.chain_valid),
    opt(t?.chain_error),
    opt(t?.sni_matches_cert),
    String(s.score),
    s.verdict,
    opt(maxSeverity(s)),
    rulesOf(s).join(CSV_LIST_SEPARATOR),
    s.anomalies.join(CSV_LIST_SEPARATOR),
  ];
}

export function renderCsv(sessions: readonly SessionRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of sessions) lines.push(csvRow(s).map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
