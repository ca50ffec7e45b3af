// `npm run adversarial`: issue 8's adversarial captures at full scale. Each capture is written
// into a temp dir (scripts/adversarial-captures.mjs), analysed by the built CLI under
// `/usr/bin/time -f %M` (peak RSS), and summarised as a markdown table: size, packets, wall time,
// peak RSS, exit code, sessions, the anomalies on them and the problems on stderr. Each capture
// is also run at 1/4 of its size: time and memory should grow linearly (time ×4) or not at all
// (memory), which the "×" columns show.
//
//   node scripts/adversarial.mjs [--flows N] [--hello-bytes N] [--segments N] [--certificates N]
//     [--cert-sessions N] [--depth N] [--gzip-gb N] [--cap-gb N] [--only a,b] [--no-quarter] [--keep]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  writeDeepAsn1,
  writeEndlessOutOfOrder,
  writeGzipBomb,
  writeHugeClientHello,
  writeManyCertificates,
  writeSynFlood,
} from './adversarial-captures.mjs';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist/analyze.js');
const GiB = 1024 ** 3;

const { values: opt } = parseArgs({
  options: {
    flows: { type: 'string', default: '1000000' },
    'hello-bytes': { type: 'string', default: String(4 * 1024 * 1024) },
    segments: { type: 'string', default: '1000000' },
    certificates: { type: 'string', default: '100000' },
    'cert-sessions': { type: 'string', default: '20000' },
    depth: { type: 'string', default: '40000' },
    'gzip-gb': { type: 'string', default: '4' },
    // Past LIMITS.maxGunzipBytes (64 GiB): the run must stop with gunzip_limit_reached.
    'cap-gb': { type: 'string', default: '65' },
    only: { type: 'string' },
    'no-quarter': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const n = (k) => Number(opt[k]);

/** name, file extension, and a writer taking a scale factor (1 or 1/4). */
const CAPTURES = [
  { name: 'syn-flood', ext: 'pcap', what: (s) => `${Math.round(n('flows') * s)} SYN flows`, write: (p, s) => writeSynFlood(p, { flows: Math.round(n('flows') * s) }) },
  { name: 'huge-client-hello', ext: 'pcap', what: (s) => `hello claims 16 MiB, ${mb(n('hello-bytes') * s)} sent`, write: (p, s) => writeHugeClientHello(p, { bytes: Math.round(n('hello-bytes') * s) }) },
  { name: 'out-of-order', ext: 'pcap', what: (s) => `${Math.round(n('segments') * s)} segments, each after a gap`, write: (p, s) => writeEndlessOutOfOrder(p, { segments: Math.round(n('segments') * s) }) },
  {
    name: 'many-certificates',
    ext: 'pcap',
    what: (s) => `${Math.round(n('certificates') * s)} certs in one message + ${Math.round(n('cert-sessions') * s)} sessions with distinct certs`,
    write: (p, s) => writeManyCertificates(p, { certificates: Math.round(n('certificates') * s), sessions: Math.round(n('cert-sessions') * s) }),
  },
  { name: 'deep-asn1', ext: 'pcap', what: (s) => `SEQUENCEs ${Math.round(n('depth') * s)} deep`, write: (p, s) => writeDeepAsn1(p, { depth: Math.round(n('depth') * s) }) },
  { name: 'gzip-bomb', ext: 'pcap.gz', what: (s) => `${n('gzip-gb') * s} GiB of one repeated packet`, write: (p, s) => writeGzipBomb(p, { decompressedBytes: n('gzip-gb') * s * GiB }) },
  { name: 'gzip-bomb-cap', ext: 'pcap.gz', what: (s) => `${n('cap-gb') * s} GiB of 16 MiB zero records`, write: (p, s) => writeGzipBomb(p, { decompressedBytes: n('cap-gb') * s * GiB, mode: 'jumbo' }) },
];

function mb(bytes) {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Runs the CLI under /usr/bin/time; stdout (JSON Lines) goes to a file, stderr is kept. */
async function analyze(capture, out) {
  const fd = openSync(out, 'w');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'peak_rss_kb=%M', process.execPath, cli, '--pcap', capture, '--format', 'jsonl', '--no-db'], {
    stdio: ['ignore', fd, 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const [code] = await once(child, 'close');
  closeSync(fd);
  const seconds = (performance.now() - t0) / 1000;
  const m = /peak_rss_kb=(\d+)\s*$/.exec(stderr);
  const rssKb = m ? Number(m[1]) : NaN;
  const lines = stderr.replace(/peak_rss_kb=\d+\s*$/, '').split('\n').filter((l) => l.trim() !== '');
  // /usr/bin/time prints "Command exited with non-zero status N" before its figure.
  const problems = lines.filter((l) => !/^Command exited with non-zero status/.test(l));
  return { code, seconds, rssKb, problems, stack: /\n\s+at .+\(.+:\d+:\d+\)/.test(stderr) };
}

/** Sessions in a JSON Lines file and how many carry each anomaly, read line by line. */
async function anomalyCounts(file) {
  const counts = new Map();
  let sessions = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line === '') continue;
    sessions++;
    for (const a of JSON.parse(line).anomalies) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return { sessions, counts };
}

async function measure(dir, c, scale) {
  const path = join(dir, `${c.name}${scale === 1 ? '' : '-quarter'}.${c.ext}`);
  const g0 = performance.now();
  const written = c.write(path, scale);
  const genSeconds = (performance.now() - g0) / 1000;
  const out = `${path}.jsonl`;
  const r = await analyze(path, out);
  const a = await anomalyCounts(out);
  const result = { scale, what: c.what(scale), fileBytes: statSync(path).size, packets: written.packets, genSeconds, ...r, ...a };
  if (!opt.keep) rmSync(path, { force: true });
  rmSync(out, { force: true });
  return result;
}

const fmtAnomalies = (counts) => [...counts].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none';

async function main() {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const only = opt.only ? new Set(opt.only.split(',')) : null;
  const dir = mkdtempSync(join(tmpdir(), 'analyze-adversarial-'));
  const rows = [];
  try {
    for (const c of CAPTURES) {
      if (only && !only.has(c.name)) continue;
      const quarter = opt['no-quarter'] ? null : await measure(dir, c, 0.25);
      const full = await measure(dir, c, 1);
      rows.push({ c, full, quarter });
      process.stderr.write(`${c.name}: ${full.seconds.toFixed(1)} s, ${Math.round(full.rssKb / 1024)} MiB, exit ${full.code}\n`);
    }
  } finally {
    if (!opt.keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`captures kept in ${dir}\n`);
  }
  const tool = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  console.log(`Adversarial captures (${tool.name} ${tool.version}, node ${process.version}); "¼" = the same capture at a quarter of the size.\n`);
  console.log('| capture | size | packets | time | time ¼ | × | peak RSS | RSS ¼ | exit | sessions | anomalies | problems (stderr) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const { c, full, quarter } of rows) {
    const q = quarter ?? { seconds: NaN, rssKb: NaN };
    const problems = full.problems.map((p) => p.replace(/^analyze: (warning: )?[^:]*: /, '').replace(/\|/g, '\\|')).join('; ') || 'none';
    console.log(
      `| ${c.name}: ${full.what} | ${mb(full.fileBytes)} | ${full.packets} | ${full.seconds.toFixed(1)} s | ${q.seconds.toFixed(1)} s | ${(full.seconds / q.seconds).toFixed(1)} | ` +
        `${Math.round(full.rssKb / 1024)} MiB | ${Math.round(q.rssKb / 1024)} MiB | ${full.code}${full.stack ? ' (stack trace!)' : ''} | ${full.sessions} | ${fmtAnomalies(full.counts)} | ${problems} |`,
    );
  }
}

await main();
