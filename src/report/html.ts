/**
 * The review as ONE self-contained HTML page (`analyze report --format html`): summary cards, an
 * inline-SVG timeline of the sessions over capture time, a sortable and filterable table of the
 * flagged sessions (all with `meta.all`), and expandable per-session details with the findings'
 * evidence and the certificates.
 *
 * Safety: every string that may come from the capture is escaped with `htmlEscape(printable(s))`
 * (control and bidi characters made visible too); the data the script needs is JSON in a
 * `<script type="application/json">` with `<`, `>`, `&`, U+2028/9 escaped, read with
 * JSON.parse and shown only through textContent. The Content-Security-Policy allows no network
 * at all and runs only the one inline script and style whose hashes it names, so even a string
 * that escaped escaping could not run or load anything.
 */
import { createHash } from 'node:crypto';
import type { CertificateRecord, SessionRecord } from '../model/session.js';
import { TOOL_VERSION } from '../version.js';
import { htmlEscape, printable } from './escape.js';
import {
  endpoint, evidenceValue, isFlagged, maxSeverity, reviewOrder, reviewSummary, rulesOf, SEVERITIES, severityRank,
} from './review.js';
import type { ReportMeta } from './review-text.js';

/** Sessions drawn in the timeline at most (the most severe first); the rest are counted. */
export const TIMELINE_MAX_SESSIONS = 20_000;

/** Escape for HTML text and attributes, with control and bidi characters made visible. */
function h(s: string): string {
  return htmlEscape(printable(s));
}

/** JSON that can sit inside a <script> element: no `</script>`, no `<!--`, ASCII only (no U+2028/9, no bidi). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function renderHtml(sessions: readonly SessionRecord[], meta: ReportMeta): string {
  const all = meta.all === true;
  const summary = reviewSummary(sessions);
  const listed = reviewOrder(sessions, all);
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(CSS)}`,
    `script-src ${cspHash(SCRIPT)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "connect-src 'none'",
  ].join('; ');
  const rows = listed.map((s, i) => rowData(s, i));
  const runs = meta.runs.map((r) => `#${r.id} ${h(r.file)} (${h(r.status)})`).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${htmlEscape(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tls443 ${htmlEscape(TOOL_VERSION)}">
<title>${h(meta.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${h(meta.title)}</h1>
<p class="meta">From <code>${h(meta.generatedFrom)}</code>${runs ? ` &middot; runs ${runs}` : ''}</p>
</header>
<main>
${cards(summary)}
<section aria-labelledby="timeline-title">
<h2 id="timeline-title">Timeline</h2>
${timeline(sessions, new Set(listed.map((s) => s.session_id)))}
</section>
<section aria-labelledby="table-title">
<h2 id="table-title">${all ? 'All sessions' : 'Flagged sessions'} (${listed.length})</h2>
${listed.length === 0 ? `<p class="empty">${summary.sessions === 0 ? 'No sessions.' : 'No flagged sessions (use <code>--all</code> to list every session).'}</p>` : table(listed)}
</section>
${listed.length === 0 ? '' : `<section aria-labelledby="details-title">
<h2 id="details-title">Session details</h2>
${listed.map(details).join('\n')}
</section>`}
</main>
<footer>tls443 ${htmlEscape(TOOL_VERSION)} &middot; times in UTC, from capture time</footer>
<script type="application/json" id="report-data">${scriptJson(rows)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Summary cards

function cards(s: ReturnType<typeof reviewSummary>): string {
  const card = (id: string, n: number, label: string, cls = ''): string =>
    `<div class="card${cls ? ` ${cls}` : ''}" id="${id}"><span class="n">${n}</span><span class="l">${label}</span></div>`;
  const sev = SEVERITIES.map((v) => card(`card-${v}`, s.bySeverity[v], v, `sev-${v}${s.bySeverity[v] === 0 ? ' zero' : ''}`));
  const rules = s.topRules.length
    ? `<ol>${s.topRules.map((r) => `<li><code>${h(r.rule)}</code> <span class="count">${r.count}</span></li>`).join('')}</ol>`
    : '<p class="none">none</p>';
  return `<section class="cards" aria-label="Summary">
${card('card-sessions', s.sessions, 'sessions')}
${card('card-flagged', s.flagged, 'flagged')}
${sev.join('\n')}
<div class="card rules" id="card-rules"><span class="l">top rules</span>${rules}</div>
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Timeline

const W = 1000;
const LEFT = 110;
const RIGHT = 20;
const LANE = 26;
const TOP = 10;
const AXIS = 28;

function timeline(sessions: readonly SessionRecord[], linked: ReadonlySet<string>): string {
  if (sessions.length === 0) return '<p class="empty">No sessions.</p>';
  const drawn = sessions.length > TIMELINE_MAX_SESSIONS ? reviewOrder(sessions, true).slice(0, TIMELINE_MAX_SESSIONS) : sessions;
  const hasFindings = sessions.some((s) => s.findings.length > 0);
  const hasVerdicts = sessions.some((s) => s.verdict !== 'ok');
  const mode = hasFindings ? 'severity' : hasVerdicts ? 'verdict' : 'protocol';
  const laneOf = (s: SessionRecord): string =>
    mode === 'severity' ? (maxSeverity(s) ?? 'clean') : mode === 'verdict' ? s.verdict : s.protocol;
  let lanes: string[];
  if (mode === 'severity') lanes = [...SEVERITIES, 'clean'];
  else if (mode === 'verdict') lanes = ['malicious', 'suspicious', 'ok'];
  else lanes = [...new Set(drawn.map((s) => s.protocol))].sort();
  const used = new Set(drawn.map(laneOf));
  lanes = lanes.filter((l) => used.has(l));
  const cls = (lane: string): string => (mode === 'protocol' ? `p${lanes.indexOf(lane) % 8}` : `sev-${lane}`);

  const times = drawn.map((s) => [Date.parse(s.start), Date.parse(s.end)] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const t0 = Math.min(...times.map(([a]) => a));
  const t1 = Math.max(...times.map(([, b]) => b));
  const span = Math.max(t1 - t0, 1);
  const plot = W - LEFT - RIGHT;
  const x = (t: number): number => LEFT + ((t - t0) / span) * plot;
  const height = TOP + lanes.length * LANE + AXIS;

  const parts: string[] = [];
  lanes.forEach((l, i) => {
    const y = TOP + i * LANE;
    parts.push(`<rect class="lane" x="${LEFT}" y="${y}" width="${plot}" height="${LANE}"></rect>`);
    parts.push(`<text class="lane-label ${cls(l)}" x="${LEFT - 8}" y="${y + LANE / 2 + 4}" text-anchor="end">${h(l)}</text>`);
  });
  for (let k = 0; k <= 4; k++) {
    const t = t0 + (span * k) / 4;
    const xx = x(t).toFixed(1);
    const anchor = k === 0 ? 'start' : k === 4 ? 'end' : 'middle';
    parts.push(`<line class="tick" x1="${xx}" x2="${xx}" y1="${TOP}" y2="${TOP + lanes.length * LANE + 4}"></line>`);
    parts.push(`<text class="axis" x="${xx}" y="${height - 8}" text-anchor="${anchor}">${h(clock(t, span))}</text>`);
  }
  for (const s of drawn) {
    const a = Date.parse(s.start);
    const b = Date.parse(s.end);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const lane = laneOf(s);
    const y = TOP + lanes.indexOf(lane) * LANE + 5;
    const width = Math.max(3, x(b) - x(a));
    const tip = `${s.tls?.sni ?? endpoint(s.server_ip, s.server_port)} · ${s.protocol} · ${maxSeverity(s) ?? s.verdict} · ${s.start}`;
    const rect = `<rect class="session ${cls(lane)}" x="${Math.min(x(a), W - RIGHT - 3).toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${LANE - 10}" data-session="${h(s.session_id)}"><title>${h(tip)}</title></rect>`;
    parts.push(linked.has(s.session_id) ? `<a href="#s-${h(s.session_id)}">${rect}</a>` : rect);
  }
  const more = sessions.length - drawn.length;
  const note = more > 0 ? `<p class="note">${more} more sessions not drawn.</p>` : '';
  const what = mode === 'severity' ? 'most severe finding' : mode === 'verdict' ? 'verdict' : 'protocol (no findings yet)';
  return `<svg id="timeline" role="img" aria-label="Sessions over capture time by ${what}" viewBox="0 0 ${W} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
${parts.join('\n')}
</svg>
<p class="note">Each bar is one session from its first to its last packet, by ${what}; ${h(new Date(t0).toISOString())} to ${h(new Date(t1).toISOString())}.</p>${note}`;
}

function clock(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  if (span > 86_400_000) return iso.slice(0, 16).replace('T', ' ');
  if (span > 60_000) return iso.slice(11, 19);
  return iso.slice(11, 23);
}

// ---------------------------------------------------------------------------------------------
// Table

const COLUMNS: { key: string; label: string; type: 'num' | 'str' }[] = [
  { key: 'sev', label: 'Severity', type: 'num' },
  { key: 'score', label: 'Score', type: 'num' },
  { key: 'verdict', label: 'Verdict', type: 'str' },
  { key: 'start', label: 'Start (UTC)', type: 'str' },
  { key: 'client', label: 'Client', type: 'str' },
  { key: 'server', label: 'Server', type: 'str' },
  { key: 'proto', label: 'Protocol', type: 'str' },
  { key: 'sni', label: 'SNI', type: 'str' },
  { key: 'rules', label: 'Rules', type: 'str' },
];

interface Row {
  i: number;
  id: string;
  sev: number;
  severity: string;
  score: number;
  verdict: string;
  start: string;
  client: string;
  server: string;
  proto: string;
  sni: string;
  rules: string;
  /** Lower-case haystack the filter searches. */
  text: string;
}

function rowData(s: SessionRecord, i: number): Row {
  const t = s.tls;
  const top = maxSeverity(s);
  const proto = [s.protocol, t?.version].filter((x): x is string => x != null).join(' ');
  const r = {
    i,
    id: s.session_id,
    sev: severityRank(top),
    severity: top ?? (isFlagged(s) ? 'none' : 'clean'),
    score: s.score,
    verdict: s.verdict,
    start: s.start,
    client: endpoint(s.client_ip, s.client_port),
    server: endpoint(s.server_ip, s.server_port),
    proto,
    sni: t?.sni ?? '',
    rules: rulesOf(s).join(' '),
  };
  const extra = [t?.ja3, t?.ja4, t?.ja3s, t?.certificates[0]?.subject, t?.certificates[0]?.issuer, ...s.anomalies, ...s.findings.map((f) => f.message)];
  const text = [r.severity, r.verdict, r.start, r.client, r.server, r.proto, r.sni, r.rules, r.id, ...extra]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join('\n')
    .toLowerCase();
  return { ...r, text };
}

function table(listed: readonly SessionRecord[]): string {
  const head = COLUMNS.map((c) => `<th scope="col" data-key="${c.key}" data-type="${c.type}" aria-sort="none"><button type="button">${c.label}</button></th>`).join('');
  const body = listed.map((s, i) => {
    const r = rowData(s, i);
    return `<tr data-i="${i}" data-severity="${h(r.severity)}">` +
      `<td><span class="badge sev-${h(r.severity)}">${h(r.severity)}</span></td>` +
      `<td class="num">${r.score}</td>` +
      `<td>${h(r.verdict)}</td>` +
      `<td class="time">${h(r.start.replace('T', ' ').replace('Z', ''))}</td>` +
      `<td class="mono">${h(r.client)}</td>` +
      `<td class="mono">${h(r.server)}</td>` +
      `<td class="nowrap">${h(r.proto)}</td>` +
      `<td class="sni">${r.sni === '' ? '<span class="none">&ndash;</span>' : h(r.sni)}</td>` +
      `<td>${rulesOf(s).map((x) => `<code>${h(x)}</code>`).join(' ')} <a class="more" href="#s-${h(s.session_id)}">details</a></td>` +
      '</tr>';
  });
  const options = SEVERITIES.map((v) => `<option value="${v}">${v} and above</option>`).join('');
  return `<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="SNI, IP, rule, fingerprint…" autocomplete="off"></label>
<label>Severity <select id="severity-filter"><option value="">any</option>${options}</select></label>
<span id="shown" aria-live="polite">${listed.length} shown</span>
</div>
<div class="table-wrap">
<table id="sessions">
<thead><tr>${head}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>
</div>`;
}

// ---------------------------------------------------------------------------------------------
// Details

function details(s: SessionRecord): string {
  const t = s.tls;
  const top = maxSeverity(s);
  const sev = top ?? (isFlagged(s) ? 'none' : 'clean');
  const dl = (pairs: [string, string | null | undefined][]): string =>
    `<dl>${pairs.filter(([, v]) => v != null && v !== '').map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const code = (v: string | null | undefined): string | null => (v == null ? null : `<code>${h(v)}</code>`);
  const yes = (v: boolean | null | undefined): string | null => (v == null ? null : v ? 'yes' : 'no');

  const session = dl([
    ['Session', code(s.session_id)],
    ['Flow', `${h(s.transport)} <code>${h(endpoint(s.client_ip, s.client_port))}</code> &rarr; <code>${h(endpoint(s.server_ip, s.server_port))}</code>`],
    ['Time', `${h(s.start)} &ndash; ${h(s.end)}`],
    ['Traffic', `${s.packets} packets, ${s.bytes_client} bytes from client, ${s.bytes_server} bytes from server`],
    ['Protocol', h([s.protocol, t?.version, t?.quic_version].filter((x): x is string => x != null).join(' '))],
    ['Score', `${s.score} (${h(s.verdict)})`],
    ['SNI', code(t?.sni)],
    ['ALPN', t != null && t.alpn.length ? t.alpn.map((a) => `<code>${h(a)}</code>`).join(' ') + (t.alpn_selected != null ? ` &rarr; <code>${h(t.alpn_selected)}</code>` : '') : null],
    ['Cipher', code(t?.cipher)],
    ['JA3', code(t?.ja3)],
    ['JA3S', code(t?.ja3s)],
    ['JA4', code(t?.ja4)],
    ['Handshake', t == null ? null : h([t.established ? 'established' : 'not established', t.resumed ? 'resumed' : '', t.hello_retry ? 'HelloRetryRequest' : '', t.ech ? 'ECH' : '', t.alert != null ? `alert ${t.alert}` : ''].filter((x) => x !== '').join(', '))],
    ['Chain', t == null || (t.chain_valid === null && t.chain_error === null) ? null : t.chain_valid === true ? 'valid' : `invalid: <code>${h(t.chain_error ?? '?')}</code>`],
    ['SNI matches certificate', yes(t?.sni_matches_cert)],
    ['Chain facts', t != null && t.facts.length ? t.facts.map((f) => `<code>${h(f)}</code>`).join(' ') : null],
    ['Anomalies', s.anomalies.length ? s.anomalies.map((a) => `<code>${h(a)}</code>`).join(' ') : null],
    ['History', code(s.history || null)],
  ]);

  const findings = s.findings.length
    ? `<h3>Findings</h3><ul class="findings">${[...s.findings]
        .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
        .map((f) => {
          const ev = Object.entries(f.evidence);
          const evidence = ev.length
            ? `<table class="evidence"><tbody>${ev.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td><code>${h(evidenceValue(v))}</code></td></tr>`).join('')}</tbody></table>`
            : '';
          return `<li><span class="badge sev-${h(f.severity)}">${h(f.severity)}</span> <code>${h(f.rule)}</code> <span class="message">${h(f.message)}</span>${evidence}</li>`;
        })
        .join('')}</ul>`
    : '';

  const certs = t != null && t.certificates.length
    ? `<h3>Certificates (leaf first)</h3>${t.certificates.map((c, i) => certificate(c, i)).join('')}`
    : '';

  const title = `${t?.sni ?? endpoint(s.server_ip, s.server_port)}`;
  return `<details class="session" id="s-${h(s.session_id)}">
<summary><span class="badge sev-${h(sev)}">${h(sev)}</span> <span class="title">${h(title)}</span> <span class="sub">${h(s.start)} &middot; ${h(endpoint(s.client_ip, s.client_port))} &rarr; ${h(endpoint(s.server_ip, s.server_port))}</span></summary>
${session}${findings}${certs}
</details>`;
}

function certificate(c: CertificateRecord, i: number): string {
  const rows: [string, string | null][] = [
    ['Subject', c.subject === null ? null : h(c.subject)],
    ['Issuer', c.issuer === null ? null : h(c.issuer)],
    ['SAN', c.san.length ? c.san.map((x) => `<code>${h(x)}</code>`).join(' ') : null],
    ['Valid', `${h(c.not_before ?? '?')} &ndash; ${h(c.not_after ?? '?')}${c.validity_days !== null ? ` (${c.validity_days} days)` : ''}`],
    ['Key', h([c.key_type, c.key_bits?.toString(), c.key_curve].filter((x): x is string => x != null).join(' ')) || null],
    ['Signature', c.signature_algorithm === null ? null : h(c.signature_algorithm)],
    ['Serial', c.serial === null ? null : `<code>${h(c.serial)}</code>`],
    ['SHA-256', `<code>${h(c.sha256)}</code>`],
    ['SHA-1', `<code>${h(c.sha1)}</code>`],
    ['Self-signed', c.self_signed === null ? null : c.self_signed ? 'yes' : 'no'],
    ['CA', c.is_ca === null ? null : c.is_ca ? 'yes' : 'no'],
    ['Facts', c.facts.length ? c.facts.map((f) => `<code class="fact">${h(f)}</code>`).join(' ') : null],
  ];
  return `<div class="cert"><h4>${i === 0 ? 'Leaf' : `#${i}`}</h4><dl>${rows
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('')}</dl></div>`;
}

// ---------------------------------------------------------------------------------------------
// Style and script (inline; their hashes go into the Content-Security-Policy)

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;
--critical:#a40e26;--high:#d1242f;--medium:#bc4c00;--low:#0969da;--info:#6e7781;--none:#8250df;--clean:#afb8c1}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:26px 0 10px}
h3{font-size:14px;margin:14px 0 6px}
h4{font-size:13px;margin:0 0 4px;color:var(--muted)}
.meta,.note,footer{color:var(--muted)}
.note{font-size:12px;margin:4px 0}
footer{font-size:12px;padding:24px 20px}
code,.mono,.time{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;align-items:flex-start;gap:10px;margin-top:14px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:96px;background:var(--panel);display:flex;flex-direction:column}
.card .n{font-size:24px;font-weight:600}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.zero{opacity:.55}
.card.sev-critical .n{color:var(--critical)}.card.sev-high .n{color:var(--high)}.card.sev-medium .n{color:var(--medium)}
.card.sev-low .n{color:var(--low)}.card.sev-info .n{color:var(--info)}
.card.rules{flex:1;min-width:220px}
.card.rules ol{margin:4px 0 0;padding-left:20px}
.card.rules .count{color:var(--muted)}
#timeline{display:block;max-width:100%;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
#timeline .lane{fill:var(--panel);stroke:var(--line);stroke-width:.5}
#timeline .tick{stroke:var(--line);stroke-dasharray:2 3}
#timeline text{font-size:12px;fill:var(--muted)}
#timeline .session{fill-opacity:.85;stroke:#fff;stroke-width:.5}
#timeline a .session:hover{fill-opacity:1;stroke:var(--fg)}
.sev-critical{fill:var(--critical)}.sev-high{fill:var(--high)}.sev-medium{fill:var(--medium)}.sev-low{fill:var(--low)}
.sev-info{fill:var(--info)}.sev-none{fill:var(--none)}.sev-clean{fill:var(--clean)}
.sev-malicious{fill:var(--critical)}.sev-suspicious{fill:var(--medium)}.sev-ok{fill:var(--clean)}
.p0{fill:#0969da}.p1{fill:#1a7f37}.p2{fill:#8250df}.p3{fill:#bc4c00}.p4{fill:#bf3989}.p5{fill:#6e7781}.p6{fill:#9a6700}.p7{fill:#0550ae}
.badge{display:inline-block;min-width:62px;text-align:center;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;background:var(--info)}
.badge.sev-critical{background:var(--critical)}.badge.sev-high{background:var(--high)}.badge.sev-medium{background:var(--medium)}
.badge.sev-low{background:var(--low)}.badge.sev-none{background:var(--none)}.badge.sev-clean{background:var(--clean);color:var(--fg)}
.controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin-bottom:8px}
.controls input,.controls select{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px}
.controls input{width:280px}
#shown{color:var(--muted)}
.table-wrap{overflow-x:auto}
table#sessions{border-collapse:collapse;width:100%}
#sessions th,#sessions td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
#sessions th{background:var(--panel);position:sticky;top:0;white-space:nowrap}
#sessions th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
#sessions th[aria-sort=ascending] button::after{content:" \\25B2"}
#sessions th[aria-sort=descending] button::after{content:" \\25BC"}
#sessions tbody tr:hover{background:var(--panel)}
#sessions td.num{text-align:right}
#sessions td.mono,#sessions td.nowrap{white-space:nowrap}
#sessions td.sni{overflow-wrap:anywhere;max-width:280px}
a.more{font-size:12px}
.none,.empty{color:var(--muted)}
details.session{border:1px solid var(--line);border-radius:8px;margin:8px 0;padding:6px 12px}
details.session[open]{background:var(--bg)}
details.session summary{cursor:pointer}
details.session summary .title{font-weight:600;overflow-wrap:anywhere}
details.session summary .sub{color:var(--muted);font-size:12px}
details.session:target{outline:2px solid var(--low)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{margin:6px 0}
table.evidence{margin:4px 0 0 70px;border-collapse:collapse}
table.evidence th{font-weight:normal;color:var(--muted);text-align:left;padding:1px 10px 1px 0;vertical-align:top}
.cert{border-left:3px solid var(--line);padding-left:10px;margin:8px 0}
@media print{
body{font-size:11px}
header,main,footer{max-width:none;padding:0}
.controls,a.more{display:none}
.card,details.session{break-inside:avoid}
#sessions th{position:static}
a{color:inherit;text-decoration:none}
.badge{color:#000;background:none!important;border:1px solid #000}
}
`;

const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent || "[]");
  var table = document.getElementById("sessions");
  if (table) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var filter = document.getElementById("filter");
    var severity = document.getElementById("severity-filter");
    var shown = document.getElementById("shown");
    var ranks = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
    var apply = function () {
      var q = filter.value.trim().toLowerCase();
      var min = ranks[severity.value] || 0;
      var n = 0;
      rows.forEach(function (tr) {
        var d = data[Number(tr.getAttribute("data-i"))];
        var ok = d.sev >= min && (q === "" || d.text.indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) n++;
      });
      shown.textContent = n + " shown";
    };
    filter.addEventListener("input", apply);
    severity.addEventListener("change", apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.getAttribute("data-key");
        var num = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = data[Number(a.getAttribute("data-i"))], y = data[Number(b.getAttribute("data-i"))];
          var c = num ? x[key] - y[key] : x[key] < y[key] ? -1 : x[key] > y[key] ? 1 : 0;
          return c * dir || x.i - y.i;
        });
        rows.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
  }
  var openTarget = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") el.open = true;
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
`;
