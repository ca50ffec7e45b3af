/**
 * The review in a terminal (`analyze report`, `--format text`): flagged sessions, most severe
 * first, each with its findings' evidence and the leaf certificate's facts, every line at most
 * 80 columns. Colour only when the caller says so (`colorFor(process.stdout)`) and never under
 * NO_COLOR. Every string from the capture goes through `printable` (escape.ts).
 */
import { styleText } from 'node:util';
import type { CertificateRecord, SessionRecord, Severity } from '../model/session.js';
import { printable } from './escape.js';
import { endpoint, evidenceValue, maxSeverity, reviewOrder, reviewSummary, rulesOf, SEVERITIES } from './review.js';

export const TEXT_WIDTH = 80;

export interface ReportMeta {
  title: string;
  /** Where the sessions come from (database path, capture file). */
  generatedFrom: string;
  runs: { id: number; file: string; status: string }[];
  /** List every session given, not only the flagged ones (`--all`). */
  all?: boolean;
}

export interface TextOptions {
  /** Use ANSI colours; compute it with `colorFor(process.stdout)`. NO_COLOR wins regardless. */
  color?: boolean;
  /** The environment NO_COLOR is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** NO_COLOR (https://no-color.org): present and not empty disables colour. */
export function noColor(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

/**
 * Whether output to `stream` may be coloured: a TTY whose terminal has colours (util.styleText's
 * own check, which also honours FORCE_COLOR and TERM=dumb) and no NO_COLOR.
 */
export function colorFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (noColor(env)) return false;
  return styleText('red', 'x', { stream }) !== 'x';
}

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

export function renderReviewText(sessions: readonly SessionRecord[], meta: ReportMeta, options: TextOptions = {}): string {
  const color = options.color === true && !noColor(options.env ?? process.env);
  const paint = (style: Style, s: string): string => (color ? styleText(style, s, { validateStream: false }) : s);
  const out: string[] = [];
  const push = (first: string, rest: string, text: string): void => {
    out.push(...wrap(text, first, rest));
  };

  const summary = reviewSummary(sessions);
  out.push(...wrap(printable(meta.title), '', '').map((l) => paint('bold', l)));
  push('from ', '     ', printable(meta.generatedFrom));
  for (const r of meta.runs) push('run ', '    ', `#${r.id} ${printable(r.file)} (${printable(r.status)})`);
  const sev = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => `${s} ${summary.bySeverity[s]}`);
  if (summary.bySeverity.none > 0) sev.push(`verdict only ${summary.bySeverity.none}`);
  push('', '  ', `Sessions ${summary.sessions}, flagged ${summary.flagged}${sev.length ? `: ${sev.join(', ')}` : ''}`);
  if (summary.topRules.length) push('Top rules: ', '  ', summary.topRules.map((r) => `${printable(r.rule)} ${r.count}`).join(', '));

  const listed = reviewOrder(sessions, meta.all === true);
  if (listed.length === 0) {
    out.push('');
    out.push(summary.sessions === 0 ? 'No sessions.' : 'No flagged sessions (--all lists every session).');
    return out.join('\n') + '\n';
  }
  for (const s of listed) {
    out.push('');
    out.push(paint('gray', '─'.repeat(TEXT_WIDTH)));
    sessionBlock(s, out, paint);
  }
  return out.join('\n') + '\n';
}

function sessionBlock(s: SessionRecord, out: string[], paint: (style: Style, s: string) => string): void {
  const top = maxSeverity(s);
  const label = (top ?? 'none').toUpperCase().padEnd(8);
  const head = `${top === null ? label : paint(SEVERITY_STYLE[top], label)}  score ${s.score}  ${s.verdict}  ${s.start.replace('T', ' ')}`;
  out.push(head);
  const field = (name: string, value: string, indent = '  '): void => {
    const first = `${indent}${name.padEnd(9)} `;
    out.push(...wrap(value, first, ' '.repeat(first.length)));
  };
  const t = s.tls;
  field('flow', `${s.transport} ${endpoint(s.client_ip, s.client_port)} -> ${endpoint(s.server_ip, s.server_port)}`);
  field('protocol', [s.protocol, t?.version, t?.cipher].filter((x): x is string => x != null).map(printable).join('  '));
  if (t?.sni != null) field('sni', printable(t.sni));
  if (t != null && t.alpn.length) field('alpn', `${t.alpn.map(printable).join(',')}${t.alpn_selected != null ? ` (selected ${printable(t.alpn_selected)})` : ''}`);
  if (t?.ja4 != null) field('ja4', printable(t.ja4));
  if (t?.ja3 != null) field('ja3', printable(t.ja3));
  if (t?.ja3s != null) field('ja3s', printable(t.ja3s));
  field('id', printable(s.session_id));
  if (s.findings.length) {
    out.push('  findings');
    const findings = [...s.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    for (const f of findings) {
      const lbl = f.severity.toUpperCase().padEnd(8);
      const lines = wrap(`${printable(f.rule)}: ${printable(f.message)}`, `    ${lbl}  `, ' '.repeat(14));
      lines[0] = `    ${paint(SEVERITY_STYLE[f.severity], lbl)}  ${lines[0]!.slice(14)}`;
      out.push(...lines);
      for (const [k, v] of Object.entries(f.evidence)) {
        out.push(...wrap(`${printable(k)}: ${printable(evidenceValue(v))}`, ' '.repeat(14), ' '.repeat(16)));
      }
    }
  } else if (rulesOf(s).length === 0 && s.verdict !== 'ok') {
    field('findings', 'none (flagged by verdict)');
  }
  const leaf = t?.certificates[0];
  if (t != null && leaf !== undefined) certificateBlock(t.certificates.length, leaf, t, field, out);
  else if (t != null && t.chain_valid === null && s.protocol === 'tls') field('cert', 'not visible (TLS 1.3 or resumed)');
  if (s.anomalies.length) field('anomalies', s.anomalies.map(printable).join(', '));
}

function certificateBlock(
  n: number,
  leaf: CertificateRecord,
  t: NonNullable<SessionRecord['tls']>,
  field: (name: string, value: string, indent?: string) => void,
  out: string[],
): void {
  out.push(`  certificate (leaf of ${n})`);
  const f = (name: string, value: string) => field(name, value, '    ');
  f('subject', printable(leaf.subject ?? '?'));
  f('issuer', printable(leaf.issuer ?? '?'));
  const day = (v: string | null) => (v === null ? '?' : printable(v.slice(0, 10)));
  f('valid', `${day(leaf.not_before)} .. ${day(leaf.not_after)}${leaf.validity_days !== null ? ` (${leaf.validity_days} days)` : ''}`);
  if (leaf.san.length) f('san', leaf.san.map(printable).join(', '));
  const key = [leaf.key_type, leaf.key_bits?.toString(), leaf.key_curve, leaf.signature_algorithm].filter((x): x is string => x != null);
  if (key.length) f('key', key.map(printable).join(' '));
  f('sha256', printable(leaf.sha256));
  const chain = t.chain_valid === true ? 'valid' : t.chain_error !== null ? printable(t.chain_error) : 'not checked';
  const sni = t.sni_matches_cert === null ? '' : t.sni_matches_cert ? ', sni matches' : ', sni MISMATCH';
  const selfSigned = leaf.self_signed === true && t.chain_error !== 'self_signed' ? ', self-signed' : '';
  f('chain', `${chain}${selfSigned}${sni}`);
  const own = new Set(leaf.facts);
  const facts = [...leaf.facts, ...t.facts.filter((x) => !own.has(x))];
  if (facts.length) f('facts', facts.map(printable).join(', '));
}

/**
 * Greedy word wrap to TEXT_WIDTH: `first` before the first line, `rest` before the others;
 * words longer than a line (hashes, fingerprints) are cut. Prefixes are plain text.
 */
export function wrap(text: string, first: string, rest: string, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const room = () => Math.max(8, width - prefix.length);
  const flush = () => {
    lines.push((prefix + line).trimEnd());
    prefix = rest;
    line = '';
  };
  for (const word of text.split(' ')) {
    let w = word;
    if (line !== '' && visibleLength(line) + 1 + visibleLength(w) > room()) flush();
    if (line !== '') line += ' ';
    while (visibleLength(line) + visibleLength(w) > room()) {
      const take = room() - visibleLength(line);
      line += w.slice(0, take);
      w = w.slice(take);
      flush();
    }
    line += w;
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}
