/**
 * `analyze show SESSION_ID`: one session in full, as text: flow, handshake, every certificate
 * of the chain with its facts, findings with evidence, anomalies. At most 80 columns; every
 * string from the capture goes through `printable` (escape.ts).
 */
import type { CertificateRecord, SessionRecord } from '../model/session.js';
import { printable } from './escape.js';
import { endpoint, evidenceValue, SEVERITIES } from './review.js';
import { wrap } from './review-text.js';

export interface DetailContext {
  runId: number;
  file: string;
}

export function renderSessionDetail(s: SessionRecord, ctx: DetailContext): string {
  const out: string[] = [];
  const field = (name: string, value: string, indent = ''): void => {
    const first = `${indent}${name.padEnd(14 - indent.length)} `;
    out.push(...wrap(value, first, ' '.repeat(first.length)));
  };
  const list = (xs: readonly string[]): string => (xs.length ? xs.map(printable).join(', ') : '-');
  const opt = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '-' : printable(String(v)));

  const head = `session ${printable(s.session_id)}  (run ${ctx.runId}, `;
  out.push(`${head}${leftTrim(printable(ctx.file), 80 - head.length - 1)})`);
  field('start', s.start);
  field('end', s.end);
  field('flow', `${s.transport} ${endpoint(s.client_ip, s.client_port)} -> ${endpoint(s.server_ip, s.server_port)}`);
  field('protocol', printable(s.protocol));
  field('packets', `${s.packets} (client ${s.bytes_client} B, server ${s.bytes_server} B)`);
  field('verdict', `${s.verdict}, score ${s.score}`);
  if (s.history) field('history', printable(s.history));
  const t = s.tls;
  if (t !== null) {
    out.push('', 'handshake');
    field('version', `${opt(t.version)} (client hello ${opt(t.client_version)}, record ${opt(t.record_version)})`, '  ');
    if (t.quic_version !== null) field('quic', printable(t.quic_version), '  ');
    field('sni', opt(t.sni), '  ');
    field('alpn', `${list(t.alpn)}${t.alpn_selected !== null ? ` (selected ${printable(t.alpn_selected)})` : ''}`, '  ');
    field('cipher', `${opt(t.cipher)} (${opt(t.ciphers_offered)} offered)`, '  ');
    const flags = [t.established ? 'established' : 'not established', t.resumed && 'resumed', t.hello_retry && 'hello retry', t.ech && 'ECH'];
    field('state', flags.filter((x): x is string => typeof x === 'string').join(', '), '  ');
    if (t.alert !== null) field('alert', printable(t.alert), '  ');
    field('ja3', opt(t.ja3), '  ');
    field('ja3s', opt(t.ja3s), '  ');
    field('ja4', opt(t.ja4), '  ');
    field('ja4_r', opt(t.ja4_r), '  ');
    const chain = t.chain_valid === null ? 'not visible' : t.chain_valid ? 'valid' : `invalid (${opt(t.chain_error)})`;
    field('chain', chain, '  ');
    field('sni vs cert', t.sni_matches_cert === null ? '-' : t.sni_matches_cert ? 'matches' : 'MISMATCH', '  ');
    if (t.facts.length) field('facts', list(t.facts), '  ');
    if (t.certificates.length === 0) out.push('', 'certificates   none visible' + (t.version === 'TLS 1.3' ? ' (TLS 1.3 encrypts them; --keylog opens them)' : ''));
    t.certificates.forEach((c, i) => certificate(out, c, i, t.certificates.length, field, list, opt));
  }
  out.push('');
  if (s.findings.length === 0) {
    out.push('findings       none');
  } else {
    out.push(`findings (${s.findings.length})`);
    const findings = [...s.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    for (const f of findings) {
      out.push(...wrap(`${printable(f.rule)}: ${printable(f.message)}`, `  ${f.severity.toUpperCase().padEnd(8)}  `, ' '.repeat(12)));
      for (const [k, v] of Object.entries(f.evidence)) out.push(...wrap(`${printable(k)}: ${printable(evidenceValue(v))}`, ' '.repeat(12), ' '.repeat(14)));
    }
  }
  if (s.anomalies.length) field('anomalies', list(s.anomalies));
  return out.join('\n') + '\n';
}

function certificate(
  out: string[],
  c: CertificateRecord,
  i: number,
  n: number,
  field: (name: string, value: string, indent?: string) => void,
  list: (xs: readonly string[]) => string,
  opt: (v: string | number | boolean | null | undefined) => string,
): void {
  out.push('', `certificate ${i + 1} of ${n}${i === 0 ? ' (leaf)' : ''}`);
  field('subject', opt(c.subject), '  ');
  field('issuer', opt(c.issuer), '  ');
  field('serial', opt(c.serial), '  ');
  field('valid', `${opt(c.not_before)} .. ${opt(c.not_after)}${c.validity_days !== null ? ` (${c.validity_days} days)` : ''}`, '  ');
  if (c.san.length) field('san', list(c.san), '  ');
  const key = [c.key_type, c.key_bits?.toString(), c.key_curve].filter((x): x is string => x != null);
  field('key', key.length ? key.map(printable).join(' ') : '-', '  ');
  field('signature', opt(c.signature_algorithm), '  ');
  const kind = [c.self_signed === true && 'self-signed', c.is_ca === true && 'CA'].filter((x): x is string => typeof x === 'string');
  if (kind.length) field('kind', kind.join(', '), '  ');
  field('sha256', printable(c.sha256), '  ');
  field('sha1', printable(c.sha1), '  ');
  if (c.facts.length) field('facts', list(c.facts), '  ');
}

/** A path shortened from the left ("…/fixtures/x.pcap") so that its line fits 80 columns. */
function leftTrim(text: string, room: number): string {
  return text.length <= room ? text : `…${text.slice(text.length - Math.max(1, room - 1))}`;
}
