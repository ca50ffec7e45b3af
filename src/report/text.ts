/**
 * The human summary of one analysed capture (`--format text`, the default): what was read,
 * counts by protocol and TLS version, top SNIs and fingerprints, then one line per session
 * (at most MAX_TEXT_OK_ROWS ok and MAX_TEXT_FLAGGED_ROWS flagged ones).
 * Every string from the capture goes through `printable` (escape.ts).
 */
import type { SessionRecord } from '../model/session.js';
import { printable } from './escape.js';
import { maxSeverity } from '../classify/severity.js';
import { SummaryCounter, type Count } from './summary.js';
import { compareSessionOrder, endpointsKey } from '../session/session-order.js';

export interface TextHeader {
  file: string;
  packets: number;
  bytes: number;
  format: string;
  seconds: number;
  problems: string[];
}

/** Sessions listed at most: ok ones, and flagged ones (the store and `analyze report` keep them all). */
export const MAX_TEXT_OK_ROWS = 1_000;
export const MAX_TEXT_FLAGGED_ROWS = 10_000;

interface Row {
  start: string;
  order: string;
  lines: string;
}

/**
 * The text report, built one session at a time as the run streams them: counters for the
 * summary and the listed sessions' lines (not the records), so its memory is bounded.
 */
export class TextReport {
  private readonly counter = new SummaryCounter();
  private readonly rows: Row[] = [];
  private okRows = 0;
  private flaggedRows = 0;
  private unlistedOk = 0;
  private unlistedFlagged = 0;

  add(x: SessionRecord): void {
    this.counter.add(x);
    const flagged = x.verdict !== 'ok';
    if (flagged ? this.flaggedRows >= MAX_TEXT_FLAGGED_ROWS : this.okRows >= MAX_TEXT_OK_ROWS) {
      if (flagged) this.unlistedFlagged++;
      else this.unlistedOk++;
      return;
    }
    if (flagged) this.flaggedRows++;
    else this.okRows++;
    this.rows.push({ start: x.start, order: endpointsKey(x), lines: sessionLines(x) });
  }

  render(header: TextHeader): string {
    const s = this.counter.summary();
    const out: string[] = [];
    out.push(`${printable(header.file)}: ${header.format}, ${header.packets} packets, ${header.bytes} bytes, analysed in ${header.seconds.toFixed(2)} s`);
    for (const p of header.problems) out.push(`  warning: ${printable(p)}`);
    out.push('');
    out.push(`Sessions: ${s.sessions}${s.byTransport.length ? ` (${counts(s.byTransport)})` : ''}`);
    if (s.byProtocol.length) out.push(`Protocols: ${counts(s.byProtocol)}`);
    if (s.byTlsVersion.length) out.push(`TLS versions: ${counts(s.byTlsVersion)}`);
    if (s.withAnomalies) out.push(`Sessions with decoding anomalies: ${s.withAnomalies}`);
    section(out, 'Top SNI', s.topSni);
    section(out, 'Top JA4', s.topJa4);
    section(out, 'Top JA3', s.topJa3);
    if (this.rows.length) {
      out.push('');
      out.push('Sessions (by first packet):');
      out.push(row('start (UTC)', 'verdict', 'client', 'server', 'proto', 'version', 'sni', 'ja4'));
      this.rows.sort((a, b) => compareSessionOrder(a.start, a.order, b.start, b.order));
      for (const r of this.rows) out.push(r.lines);
    }
    if (this.unlistedOk + this.unlistedFlagged > 0) {
      const parts = [];
      if (this.unlistedFlagged) parts.push(`${this.unlistedFlagged} flagged`);
      if (this.unlistedOk) parts.push(`${this.unlistedOk} ok`);
      out.push(`  ... and ${parts.join(' and ')} sessions not listed here (analyze report lists them from the database)`);
    }
    return out.join('\n') + '\n';
  }
}

/** A session's row, its certificate line and why it was flagged. */
function sessionLines(x: SessionRecord): string {
  const lines = [
    row(
      x.start.slice(11, 23),
      x.verdict === 'ok' ? 'ok' : `${x.verdict.slice(0, 4)}/${maxSeverity(x.findings) ?? '-'}`,
      endpoint(x.client_ip, x.client_port),
      endpoint(x.server_ip, x.server_port),
      x.transport === 'udp' ? `${x.protocol}/u` : x.protocol,
      x.tls?.version ?? '-',
      x.tls?.sni != null ? printable(x.tls.sni) : '-',
      x.tls?.ja4 ?? '-',
    ),
  ];
  const cert = certificateLine(x);
  if (cert !== null) lines.push(cert);
  // Why it was flagged, in a word per rule (analyze report / show give the evidence).
  const flagged = x.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} (${f.severity})`);
  if (x.verdict !== 'ok' && flagged.length > 0) lines.push(`    why: ${[...new Set(flagged)].join(', ')}`);
  return lines.join('\n');
}

/**
 * The second line of a session with a certificate: leaf subject <- issuer, validity, chain
 * verdict, SNI match and facts (leaf and chain-level facts plain, others as "#<position>:<fact>").
 */
export function certificateLine(x: SessionRecord): string | null {
  const t = x.tls;
  const leaf = t?.certificates[0];
  if (t == null || leaf === undefined) return null;
  const cut = (v: string | null) => (v === null ? '?' : v.length > 64 ? v.slice(0, 63) + '…' : v);
  const day = (v: string | null) => (v === null ? '?' : v.slice(0, 10));
  const own = new Set(t.certificates.flatMap((c) => c.facts));
  const facts = [
    ...leaf.facts,
    ...t.facts.filter((f) => !own.has(f)),
    ...t.certificates.slice(1).flatMap((c, i) => c.facts.map((f) => `#${i + 1}:${f}`)),
  ];
  const parts = [
    `${printable(cut(leaf.subject))} <- ${printable(cut(leaf.issuer))}`,
    `${day(leaf.not_before)}..${day(leaf.not_after)}`,
    t.chain_valid === true ? 'chain ok' : t.chain_error !== null ? `chain ${t.chain_error}` : 'chain ?',
  ];
  if (t.sni_matches_cert !== null) parts.push(t.sni_matches_cert ? 'sni ok' : 'sni mismatch');
  if (facts.length > 0) parts.push(`facts ${facts.join(',')}`);
  return `    cert: ${parts.join(' | ')}`;
}

function counts(c: Count[]): string {
  return c.map((x) => `${printable(x.value)} ${x.count}`).join(', ');
}

function section(out: string[], title: string, c: Count[]): void {
  if (!c.length) return;
  out.push('');
  out.push(`${title}:`);
  for (const x of c) out.push(`  ${String(x.count).padStart(6)}  ${printable(x.value)}`);
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function row(...cells: string[]): string {
  const widths = [12, 11, 21, 21, 7, 9, 30];
  return cells
    .map((c, i) => {
      const w = widths[i];
      if (w === undefined) return c;
      const t = c.length > w ? c.slice(0, w - 1) + '…' : c;
      return t.padEnd(w);
    })
    .join(' ')
    .trimEnd();
}
