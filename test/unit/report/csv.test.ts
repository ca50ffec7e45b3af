import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../../src/report/csv.js';
import { finding, sample, session } from './sessions.js';

/** A small RFC 4180 reader to check what a spreadsheet would see. */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  return rows;
}

describe('csv', () => {
  it('writes a header and one CRLF-terminated row per session', () => {
    const csv = renderCsv(sample());
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    const crit = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[3]![i]]));
    expect(crit).toMatchObject({
      session_id: 'sess0000000000000002', client: '10.0.0.2:40002', server: '192.0.2.10:443', protocol: 'tls', version: 'TLS 1.2',
      chain_valid: 'true', chain_error: '', sni_matches_cert: 'true', score: '95', verdict: 'malicious', max_severity: 'critical',
      rules: 'known_c2_ja3;sni_mismatch', anomalies: '',
    });
  });

  it('brackets IPv6 endpoints and leaves absent TLS fields empty', () => {
    const s = session(1, { client_ip: '2001:db8::1', server_ip: '2001:db8::2', protocol: 'ssh', tls: null, anomalies: ['a', 'b'] });
    const [, row] = parse(renderCsv([s]));
    expect(row!.slice(4, 9)).toEqual(['[2001:db8::1]:40001', '[2001:db8::2]:443', 'ssh', '', '']);
    expect(row![CSV_COLUMNS.indexOf('anomalies')]).toBe('a;b');
    expect(row![CSV_COLUMNS.indexOf('max_severity')]).toBe('');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    const s = session(1, { findings: [finding('r,1', 'low')] }, { sni: 'a,"b"\r\nc' });
    const csv = renderCsv([s]);
    expect(csv).toContain('"a,""b""\r\nc"');
    expect(parse(csv)[1]![CSV_COLUMNS.indexOf('sni')]).toBe('a,"b"\r\nc');
    expect(parse(csv)[1]![CSV_COLUMNS.indexOf('rules')]).toBe('r,1');
  });

  it('defuses spreadsheet formulas from the capture', () => {
    for (const sni of ['=HYPERLINK("http://x","y")', '+cmd|calc', '-2+3', '@SUM(A1)', '\t=1']) {
      const got = parse(renderCsv([session(1, {}, { sni })]))[1]![CSV_COLUMNS.indexOf('sni')]!;
      expect(got).toBe(`'${sni}`);
    }
    const row = parse(renderCsv([session(1, { anomalies: ['=cmd'] })]))[1]!;
    expect(row[CSV_COLUMNS.indexOf('anomalies')]).toBe("'=cmd");
  });
});
