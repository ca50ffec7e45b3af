#!/usr/bin/env node
// bench.mjs - whole-process throughput of the analyzer next to its peers (`npm run bench`).
//
//   npm run bench                          # 100M capture, 5 runs each, tshark 2 runs
//   npm run bench -- --size 1G             # or --size 100M,1G, or BENCH_SIZES=100M,1G
//   npm run bench -- --runs 10 --tshark-runs 3 --no-tshark
//
// For each size it finds (or makes, with ../shared/bench/make-bench-pcap.py --seed 1) the capture
// ../bench-data/bench-<size>.pcap, reads it once to warm the page cache, then times whole processes
// (start-up included), round-robin, after one untimed warm-up run each:
//   analyzer       node dist/analyze.js --pcap F --format jsonl --no-db   (stdout to /dev/null)
//   walk-records   node ../shared/bench/walk-records.mjs F   (the JavaScript ceiling)
//   walk-flows     node ../shared/bench/walk-flows.mjs F     (+ link/IP/TCP/UDP decode and a Map lookup)
//   cat            cat F   (the page cache itself)
//   tshark         tshark -r F -Y 'tls.handshake.type==1' -T fields -e tls.handshake.ja3   (if installed)
// and prints median wall seconds [min-max], MB/s (file bytes / 1e6 / median s), packets/s (packet
// count from walk-records), peak RSS (from /usr/bin/time -f %M, else by polling /proc/PID/status
// VmHWM), the ratios analyzer/tshark and analyzer/walk-records, and a sanity check of the
// analyzer's session count. Figures also go to ../bench-data/bench-results-<size>.json.
//
// Environment:
//   BENCH_SIZES=100M,1G         sizes to run (default 100M; --size wins)
//   BENCH_RUNS=5, BENCH_TSHARK_RUNS=2
//   BENCH_DATA=../bench-data    where the captures and results live (outside the repository)
//   BENCH_ANALYZER="cmd args"   run this instead of the built CLI; `{pcap}` is replaced by the
//                               capture path, else the path is appended. Example (a stand-in while
//                               the CLI does not exist): BENCH_ANALYZER="node ../shared/bench/walk-flows.mjs"
//   BENCH_RSS=proc              measure peak RSS by polling /proc even when /usr/bin/time exists

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(ROOT, '..', 'shared');
const BENCH = join(SHARED, 'bench');
const DATA = resolve(ROOT, process.env.BENCH_DATA || join('..', 'bench-data'));
const CLI = join(ROOT, 'dist', 'analyze.js');

let midLine = false; // a progress line on stderr waits for its end
function progress(text, end = false) {
  process.stderr.write(text + (end ? '\n' : ''));
  midLine = !end;
}
function fail(msg) {
  console.error(`${midLine ? '\n' : ''}bench: ${msg}`);
  process.exit(1);
}

// ------------------------------------------------------------------ options
const opts = {
  sizes: (process.env.BENCH_SIZES || '100M').split(','),
  runs: Number(process.env.BENCH_RUNS || 5),
  tsharkRuns: Number(process.env.BENCH_TSHARK_RUNS || 2),
  tshark: true,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) fail(`${a} needs a value`);
    return argv[++i];
  };
  if (a === '--size' || a === '--sizes') opts.sizes = val().split(',');
  else if (a.startsWith('--size=')) opts.sizes = a.slice(7).split(',');
  else if (a === '--runs') opts.runs = Number(val());
  else if (a === '--tshark-runs') opts.tsharkRuns = Number(val());
  else if (a === '--no-tshark') opts.tshark = false;
  else if (a === '-h' || a === '--help') {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 30)
      .filter((l) => l.startsWith('//')).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else fail(`unknown argument ${a} (try --help)`);
}
opts.sizes = opts.sizes.map((s) => s.trim().toUpperCase()).filter(Boolean);
for (const s of opts.sizes) if (!/^\d+[KMG]$/.test(s)) fail(`bad size ${s} (use e.g. 100M or 1G)`);
if (!(opts.runs >= 1) || !(opts.tsharkRuns >= 0)) fail('--runs must be >= 1 and --tshark-runs >= 0');

// ------------------------------------------------------------------ preconditions
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
for (const f of ['walk-records.mjs', 'walk-flows.mjs', 'make-bench-pcap.py']) {
  if (!existsSync(join(BENCH, f))) fail(`${relative(ROOT, join(BENCH, f))} not found: the shared bench folder must sit beside the project as ../shared`);
}
let analyzerCmd;
if (process.env.BENCH_ANALYZER) {
  analyzerCmd = process.env.BENCH_ANALYZER.trim().split(/\s+/);
} else {
  if (!existsSync(CLI)) fail(`${relative(ROOT, CLI)} not found: run \`npm run build\` first (or set BENCH_ANALYZER)`);
  analyzerCmd = [process.execPath, CLI, '--pcap', '{pcap}', '--format', 'jsonl', '--no-db'];
}
const withFile = (cmd, file) => (cmd.includes('{pcap}') ? cmd.map((a) => a.replaceAll('{pcap}', file)) : [...cmd, file]);
const TIME_BIN = process.env.BENCH_RSS !== 'proc' && existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const haveTshark = opts.tshark && onPath('tshark');

// ------------------------------------------------------------------ the captures
function capturePath(size) {
  return join(DATA, `bench-${size.toLowerCase()}.pcap`);
}

function ensureCapture(size) {
  const file = capturePath(size);
  const summary = file.replace(/\.pcap$/, '.json');
  if (existsSync(file)) return { file, summary: existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : null };
  if (!onPath('python3')) fail(`python3 not found: it is needed to make ${relative(ROOT, file)} with ../shared/bench/make-bench-pcap.py`);
  mkdirSync(DATA, { recursive: true });
  console.error(`bench: making ${relative(ROOT, file)} (make-bench-pcap.py --size ${size} --seed 1) ...`);
  const tmp = `${file}.partial`;
  const tmpSummary = `${summary}.partial`;
  const r = spawnSync('python3', [join(BENCH, 'make-bench-pcap.py'), '--size', size, '--seed', '1', '--out', tmp, '--summary', tmpSummary],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    fail(`make-bench-pcap.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  }
  renameSync(tmpSummary, summary);
  renameSync(tmp, file);
  return { file, summary: JSON.parse(readFileSync(summary, 'utf8')) };
}

function warm(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

// ------------------------------------------------------------------ running and measuring
const DEVNULL = openSync('/dev/null', 'w');
let seq = 0;

// Runs argv once. stdout goes to /dev/null unless capture is set (then it is returned).
// Returns { wall (s), rssMiB, stdout, code }.
function runOnce(cmd, { capture = false } = {}) {
  return new Promise((resolvePromise) => {
    const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${seq++}`);
    const full = TIME_BIN ? [TIME_BIN, '-f', '%M', '-o', rssFile, ...cmd] : cmd;
    const chunks = [];
    let stderr = '';
    let hwmKiB = 0;
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', capture ? 'pipe' : DEVNULL, 'pipe'] });
    let t1 = null;
    let poll = null;
    if (!TIME_BIN) {
      const statusFile = `/proc/${child.pid}/status`;
      const sample = () => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(statusFile, 'utf8'));
          if (m) hwmKiB = Math.max(hwmKiB, Number(m[1]));
        } catch { /* gone */ }
      };
      sample();
      poll = setInterval(sample, 5);
    }
    if (capture) child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => { if (stderr.length < 65536) stderr += d; });
    child.on('error', (e) => fail(`cannot run ${cmd[0]}: ${e.message}`));
    child.on('exit', () => { t1 = process.hrtime.bigint(); if (poll) clearInterval(poll); });
    child.on('close', (code) => {
      t1 ??= process.hrtime.bigint();
      let rssKiB = hwmKiB;
      if (TIME_BIN) {
        try {
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
          rssKiB = Number(lines.at(-1));
          // GNU time puts "Command exited with non-zero status N" first; keep only the number
        } catch { rssKiB = NaN; }
        rmSync(rssFile, { force: true });
      }
      resolvePromise({
        wall: Number(t1 - t0) / 1e9,
        rssMiB: rssKiB / 1024,
        stdout: capture ? Buffer.concat(chunks).toString('utf8') : null,
        stderr,
        code,
      });
    });
  });
}

function check(name, r) {
  if (r.code !== 0) {
    const last = r.stderr.trim().split('\n').filter(Boolean).pop() || '(no message)';
    fail(`${name} exited with status ${r.code}: ${last}`);
  }
  return r;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summarise(samples) {
  const walls = samples.map((s) => s.wall);
  const rss = samples.map((s) => s.rssMiB).filter((x) => Number.isFinite(x));
  return {
    runs: samples.length,
    median_s: +median(walls).toFixed(4),
    min_s: +Math.min(...walls).toFixed(4),
    max_s: +Math.max(...walls).toFixed(4),
    walls_s: walls.map((w) => +w.toFixed(4)),
    peak_rss_mib: rss.length ? +Math.max(...rss).toFixed(1) : null,
  };
}

// ------------------------------------------------------------------ one size
let noticesShown = false;
async function benchSize(size) {
  const { file, summary } = ensureCapture(size);
  const bytes = statSync(file).size;
  if (!noticesShown) {
    noticesShown = true;
    if (!haveTshark && opts.tshark) console.error('bench: tshark not found; skipping the tshark peer');
    if (!TIME_BIN) console.error(`bench: ${process.env.BENCH_RSS === 'proc' ? 'BENCH_RSS=proc' : '/usr/bin/time not found (apt-get install -y time)'}: measuring peak RSS by polling /proc`);
  }
  console.error(`bench: ${relative(ROOT, file)}: ${(bytes / 1e6).toFixed(1)} MB; warming the page cache`);
  warm(file);

  const cmds = [
    { key: 'analyzer', label: process.env.BENCH_ANALYZER ? `analyzer (BENCH_ANALYZER=${process.env.BENCH_ANALYZER})` : 'analyzer: node dist/analyze.js --format jsonl --no-db', argv: withFile(analyzerCmd, file) },
    { key: 'walk-records', label: 'node walk-records.mjs (ceiling)', argv: [process.execPath, join(BENCH, 'walk-records.mjs'), file] },
    { key: 'walk-flows', label: 'node walk-flows.mjs', argv: [process.execPath, join(BENCH, 'walk-flows.mjs'), file] },
    { key: 'cat', label: 'cat F > /dev/null', argv: ['cat', file] },
  ];
  const tshark = { key: 'tshark', label: "tshark -Y 'tls.handshake.type==1' -e tls.handshake.ja3", argv: ['tshark', '-r', file, '-Y', 'tls.handshake.type==1', '-T', 'fields', '-e', 'tls.handshake.ja3'] };

  // warm-up runs, output kept: the walkers' JSON line and the analyzer's sessions
  const info = {};
  for (const c of cmds) {
    progress(`bench: warm-up ${c.key} ... `);
    const r = check(c.key, await runOnce(c.argv, { capture: c.key !== 'cat' }));
    progress(`${r.wall.toFixed(3)} s`, true);
    info[c.key] = r.stdout;
  }
  const walk = JSON.parse(info['walk-records'].trim().split('\n').pop());
  const flows = JSON.parse(info['walk-flows'].trim().split('\n').pop());
  const packets = walk.packets;

  const samples = Object.fromEntries(cmds.map((c) => [c.key, []]));
  for (let i = 0; i < opts.runs; i++) {
    progress(`bench: run ${i + 1}/${opts.runs}`);
    for (const c of cmds) {
      samples[c.key].push(check(c.key, await runOnce(c.argv)));
      progress(` ${c.key} ${samples[c.key].at(-1).wall.toFixed(3)}`);
    }
    progress('', true);
  }
  let tsharkLines = null;
  if (haveTshark && opts.tsharkRuns > 0) {
    samples.tshark = [];
    for (let i = 0; i < opts.tsharkRuns; i++) {
      progress(`bench: tshark run ${i + 1}/${opts.tsharkRuns} ... `);
      const r = check('tshark', await runOnce(tshark.argv, { capture: true }));
      tsharkLines = r.stdout.split('\n').filter((l) => l.length).length;
      samples.tshark.push(r);
      progress(`${r.wall.toFixed(3)} s`, true);
    }
    cmds.push(tshark);
  }

  const results = {};
  for (const c of cmds) {
    const s = summarise(samples[c.key]);
    results[c.key] = {
      command: c.argv.map((a) => (a === file ? 'F' : a)).join(' '),
      ...s,
      mb_per_s: +(bytes / 1e6 / s.median_s).toFixed(1),
      packets_per_s: Math.round(packets / s.median_s),
    };
  }

  // the analyzer's own view, from its warm-up run's JSON Lines (one session record per line)
  let sessions = null;
  {
    const protocols = {};
    let n = 0;
    let withJa3 = 0;
    for (const line of info.analyzer.split('\n')) {
      if (!line.startsWith('{')) continue;
      let rec;
      try { rec = JSON.parse(line); } catch { continue; }
      if (!rec || typeof rec !== 'object' || !('protocol' in rec || 'session_id' in rec)) continue;
      n++;
      protocols[rec.protocol] = (protocols[rec.protocol] || 0) + 1;
      if (rec.tls?.ja3) withJa3++;
    }
    if (n) sessions = { sessions: n, by_protocol: protocols, with_ja3: withJa3 };
  }

  // ------------------------------------------------------------ print
  const fmt = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const rate = (x) => (x >= 1e6 ? `${fmt(x / 1e6, 2)} M` : `${fmt(x / 1e3, 0)} k`);
  const rows = [['command', 'wall s [min-max]', 'MB/s', 'packets/s', 'peak RSS MiB']];
  for (const c of cmds) {
    const r = results[c.key];
    rows.push([
      `${c.label} (${r.runs} run${r.runs === 1 ? "" : "s"})`,
      `${r.median_s.toFixed(3)} [${r.min_s.toFixed(3)}-${r.max_s.toFixed(3)}]`,
      fmt(r.mb_per_s, 0),
      rate(r.packets_per_s),
      r.peak_rss_mib == null ? '?' : fmt(r.peak_rss_mib, 0),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log('');
  console.log(`${relative(ROOT, file)}: ${fmt(bytes, 0)} bytes, ${fmt(packets, 0)} packets (walk-records), page cache warm, ` +
    `Node ${process.version}, peak RSS by ${TIME_BIN ? '/usr/bin/time' : 'polling /proc VmHWM'}`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  console.log('');

  const a = results.analyzer;
  const ratios = {
    vs_walk_records_pct: (results['walk-records'].median_s / a.median_s) * 100,
    vs_walk_flows_pct: (results['walk-flows'].median_s / a.median_s) * 100,
    vs_tshark_x: results.tshark ? results.tshark.median_s / a.median_s : null,
  };
  console.log(`analyzer vs walk-records: ${ratios.vs_walk_records_pct.toFixed(0)}% of the JavaScript ceiling's throughput`);
  console.log(`analyzer vs walk-flows:   ${ratios.vs_walk_flows_pct.toFixed(0)}%`);
  if (ratios.vs_tshark_x != null) console.log(`analyzer vs tshark:       ${ratios.vs_tshark_x.toFixed(1)}x ${ratios.vs_tshark_x >= 1 ? 'faster' : 'slower (as fast as 1/x)'}`);
  else console.log(`analyzer vs tshark:       (tshark ${opts.tshark ? 'not installed' : 'skipped'})`);

  const c = summary?.counts;
  const check_ = {
    walk_flows: { flows: flows.flows, tcp_flows: flows.tcp_flows, udp_flows: flows.udp_flows },
    tshark_client_hellos: tsharkLines,
    generator: c ? {
      connections_started: summary.connections_started,
      conn_tls: c.conn_tls, conn_quic: c.conn_quic,
      written_ch: c.written_ch, written_qch: c.written_qch, ch_split_out_of_order: c.ch_split_out_of_order,
    } : null,
    analyzer: sessions,
  };
  console.log('');
  if (sessions) {
    const p = Object.entries(sessions.by_protocol).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`sanity: analyzer ${sessions.sessions} sessions (${p}; ${sessions.with_ja3} with JA3)`);
  } else {
    console.log('sanity: the analyzer printed no session records (JSON Lines with "protocol"/"session_id")');
  }
  console.log(`        walk-flows ${flows.flows} port-443 flows (${flows.tcp_flows} TCP, ${flows.udp_flows} UDP)` +
    (c ? `; generator: ${summary.connections_started} connections, ${c.conn_tls} TLS/TCP + ${c.conn_quic} QUIC` : ''));
  if (tsharkLines != null) {
    console.log(`        tshark ${tsharkLines} ClientHellos (TCP + QUIC)` +
      (c ? `; generator: ${c.written_ch} TCP (${c.ch_split_out_of_order} split out of order, which tshark misses) + ${c.written_qch} QUIC` : ''));
  }

  const out = join(DATA, `bench-results-${size.toLowerCase()}.json`);
  const doc = {
    file: relative(ROOT, file),
    bytes,
    packets,
    date: new Date().toISOString(),
    node: process.version,
    rss_method: TIME_BIN ? '/usr/bin/time -f %M' : '/proc/PID/status VmHWM polling (5 ms)',
    analyzer_command: process.env.BENCH_ANALYZER || 'node dist/analyze.js --pcap F --format jsonl --no-db',
    results,
    ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, v == null ? null : +v.toFixed(2)])),
    sanity: check_,
  };
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\nwrote ${relative(ROOT, out)}`);
}

for (const size of opts.sizes) await benchSize(size);
closeSync(DEVNULL);
