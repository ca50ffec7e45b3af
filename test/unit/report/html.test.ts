import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml, scriptJson } from '../../../src/report/html.js';
import { certificate, finding, HOSTILE_SNI, HOSTILE_SUBJECT, META, sample, session } from './sessions.js';

const between = (html: string, open: RegExp, close: string): string[] => {
  const out: string[] = [];
  const re = new RegExp(`${open.source}([\\s\\S]*?)${close}`, 'g');
  for (const m of html.matchAll(re)) out.push(m[1]!);
  return out;
};

describe('html report', () => {
  const html = renderHtml(sample(), META);

  it('is one document with cards, timeline, table and details', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Review of test.pcap</title>');
    expect(html).toMatch(/id="card-sessions"><span class="n">6</);
    // The info-only session is context, not flagged (classify/severity.ts isFlagged).
    expect(html).toMatch(/id="card-flagged"><span class="n">4</);
    expect(html).toMatch(/id="card-critical"><span class="n">1</);
    expect(html).toMatch(/<li><code>self_signed<\/code> <span class="count">2<\/span><\/li>/);
    expect(html.match(/<rect class="session /g)).toHaveLength(6);
    expect(html.match(/<tr data-i=/g)).toHaveLength(4);
    expect(html.match(/<details class="session"/g)).toHaveLength(4);
    expect(html).toContain('Flagged sessions (4)');
    const all = renderHtml(sample(), { ...META, all: true });
    expect(all).toContain('All sessions (6)');
    expect(all.match(/<tr data-i=/g)).toHaveLength(6);
  });

  it('orders the table most severe first', () => {
    const sev = [...html.matchAll(/<tr data-i="\d+" data-severity="(\w+)"/g)].map((m) => m[1]);
    expect(sev).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('escapes every capture string: no markup from the capture survives', () => {
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/onerror="/);
    expect(html).toContain('&#60;script&#62;window.__pwned=1&#60;/script&#62;');
    expect(html).toContain('&#34;&#62;&#60;img src=x onerror=&#34;window.__pwned=2&#34;&#62;');
    // The only <script> elements are ours.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('escapes every field, not only SNI and subject', () => {
    const x = '<b>x</b>';
    const s = session(1, { findings: [finding(x, 'high', { [x]: x }, x)], anomalies: [x], client_ip: x }, {
      alpn: [x], alpn_selected: x, cipher: x, ja3: x, ja4: x, ja3s: x, alert: x, chain_error: x, chain_valid: false, facts: [x],
      certificates: [certificate({ subject: x, issuer: x, san: [x], serial: x, key_type: x, signature_algorithm: x, sha1: x, sha256: x, facts: [x] })],
    });
    const out = renderHtml([s], META);
    expect(out).not.toContain('<b>');
    expect(out.split('&#60;b&#62;x&#60;/b&#62;').length).toBeGreaterThan(15);
  });

  it('shows control and bidi characters as escapes', () => {
    const out = renderHtml([session(1, { findings: [finding('r', 'low')] }, { sni: 'a\u0000b\u202ec\u001b' })], META);
    expect(out).toContain('a\\x00b\\u202ec\\x1b');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000\u202e\u001b]/);
  });

  it('embeds the script data as JSON that cannot close its element', () => {
    const [json] = between(html, /<script type="application\/json" id="report-data">/, '</script>');
    expect(json).not.toMatch(/[<>&]/);
    const rows = JSON.parse(json!) as { sni: string; sev: number }[];
    expect(rows.map((r) => r.sev)).toEqual([5, 4, 3, 2]);
    expect(rows[1]!.sni).toBe(HOSTILE_SNI);
    expect(rows[2]!.sni).not.toContain(HOSTILE_SUBJECT); // subject only in the search text
    expect(scriptJson(['</script><!--\u2028&\u202eé'])).toBe('["\\u003c/script\\u003e\\u003c!--\\u2028\\u0026\\u202e\\u00e9"]');
    expect(JSON.parse(scriptJson(['</script>\u2028é😀']))).toEqual(['</script>\u2028é😀']);
  });

  it('has a CSP that forbids remote loads and allows only its own script and style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const [script] = between(html, /<script>/, '</script>');
    const [style] = between(html, /<style>/, '</style>');
    expect(csp).toContain(`script-src ${hash(script!)}`);
    expect(csp).toContain(`style-src ${hash(style!)}`);
    // No external resources: the only URL is the SVG namespace.
    expect(html.match(/https?:\/\/[^\s"<]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/<[a-z]+[^>]*\s(src|srcset)=/i);
    expect(html).not.toMatch(/<link|@import|url\(/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('colours the timeline by protocol when there are no findings, by severity otherwise', () => {
    const clean = renderHtml([session(1), session(2, { protocol: 'ssh', tls: null })], { ...META, all: true });
    expect(clean).toContain('by protocol (no findings yet)');
    expect(clean.match(/<rect class="session p\d"/g)).toHaveLength(2);
    expect(html).toContain('by most severe finding');
    expect(html).toMatch(/<rect class="session sev-critical"/);
    expect(html).toMatch(/<rect class="session sev-clean"/);
  });

  it('renders an empty review', () => {
    expect(renderHtml([], META)).toContain('No sessions.');
    expect(renderHtml([session(1)], META)).toContain('No flagged sessions');
  });
});
