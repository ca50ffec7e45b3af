// `npm run fuzz -- --runs N [--seed S] [--time SECONDS] [--jobs J] [--timeout MS] [--corpus-sample K]`
//
// Mutates the fixtures (and a sample of ../shared/corpus/pcaps when it exists) and runs the whole
// pipeline in-process on the built code (dist/) over each mutated input, in worker threads so a
// hang can be stopped: a case over --timeout ms (default 10 s) is a hang, a thrown exception or a
// dead worker (out of memory) is a crash. Every failing input is saved as
// test/fuzz-regressions/<hash>.bin with <hash>.json beside it (mutation, seed file, run seed,
// case index, error); test/regressions/fuzz-replay.test.ts replays them all.
// Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage error.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { caseHash, loadSeeds, makeCase } from './fuzz-lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// FUZZ_ANALYZE_MODULE: another module exporting analyzeCapture (to check the harness itself).
const analyzeModule = process.env.FUZZ_ANALYZE_MODULE ? resolve(process.env.FUZZ_ANALYZE_MODULE) : join(root, 'dist', 'pipeline', 'analyze.js');

if (!isMainThread) {
  // Worker: analyse each path it is sent, answer with the outcome.
  const { analyzeCapture } = await import(pathToFileURL(analyzeModule).href);
  parentPort.on('message', ({ id, path }) => {
    const started = performance.now();
    analyzeCapture(path, { ports: new Set([443]), allPorts: false }).then(
      (result) => parentPort.postMessage({ id, ok: true, ms: performance.now() - started, sessions: result.sessions.length }),
      (err) => {
        const e = err instanceof Error ? err : new Error(String(err));
        parentPort.postMessage({ id, ok: false, ms: performance.now() - started, error: `${e.name}: ${e.message}`, stack: e.stack ?? '' });
      },
    );
  });
  parentPort.postMessage({ ready: true });
} else {
  await main();
}

function usage(message) {
  console.error(`fuzz: ${message}`);
  console.error('usage: npm run fuzz -- --runs N [--seed S] [--time SECONDS] [--jobs J] [--timeout MS] [--corpus-sample K] [--out DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { runs: undefined, seed: undefined, time: undefined, jobs: undefined, timeout: 10_000, corpusSample: 64, out: join(root, 'test', 'fuzz-regressions') };
  const num = (name, v) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) usage(`${name} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--runs': opts.runs = Math.floor(num(flag, value())); break;
      case '--seed': opts.seed = Math.floor(num(flag, value())); break;
      case '--time': opts.time = num(flag, value()); break;
      case '--jobs': opts.jobs = Math.max(1, Math.floor(num(flag, value()))); break;
      case '--timeout': opts.timeout = Math.max(1, num(flag, value())); break;
      case '--corpus-sample': opts.corpusSample = Math.floor(num(flag, value())); break;
      case '--out': opts.out = resolve(value() ?? usage('--out needs a directory')); break;
      case '--help': case '-h': usage('help');
      // falls through (usage exits)
      default: usage(`unknown argument ${a}`);
    }
  }
  if (opts.runs === undefined && opts.time === undefined) opts.runs = 1000;
  if (opts.runs === undefined) opts.runs = Number.POSITIVE_INFINITY;
  if (opts.seed === undefined) opts.seed = Date.now() % 0x100000000;
  if (opts.jobs === undefined) opts.jobs = Math.max(1, Math.min(4, availableParallelism()));
  return opts;
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(analyzeModule)) {
    console.error('fuzz: dist/ is missing, running npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const corpusDir = resolve(root, '..', 'shared', 'corpus', 'pcaps');
  const seeds = loadSeeds({
    fixturesDir: join(root, 'fixtures'),
    corpusDir: existsSync(corpusDir) ? corpusDir : undefined,
    corpusSample: opts.corpusSample,
    seed: opts.seed,
  });
  if (seeds.length === 0) usage('no seed captures found in fixtures/');
  const tmp = mkdtempSync(join(tmpdir(), 'tls443-fuzz-'));
  console.log(`fuzz: seed ${opts.seed}, ${seeds.length} seed inputs, ${opts.jobs} workers, ${opts.timeout} ms per case, `
    + `${Number.isFinite(opts.runs) ? `${opts.runs} cases` : 'unbounded cases'}${opts.time !== undefined ? `, at most ${String(opts.time)} s` : ''}`);

  const started = performance.now();
  const deadline = opts.time !== undefined ? started + opts.time * 1000 : Number.POSITIVE_INFINITY;
  let next = 0;
  let done = 0;
  const crashes = [];
  const hangs = [];
  let slowest = { ms: -1, c: null };
  // Evidence the pipeline really ran: how many cases still produced sessions, and how many in all.
  let casesWithSessions = 0;
  let sessionsTotal = 0;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);

  const save = (kind, c, detail) => {
    mkdirSync(opts.out, { recursive: true });
    const hash = caseHash(c.bytes);
    writeFileSync(join(opts.out, `${hash}.bin`), c.bytes);
    writeFileSync(join(opts.out, `${hash}.json`), `${JSON.stringify({
      kind, mutation: c.mutation, seedFile: c.seedFile, runSeed: c.seed, caseIndex: c.index, bytes: c.bytes.length, ...detail,
    }, null, 2)}\n`);
    return hash;
  };

  const runSlot = () => new Promise((resolveSlot) => {
    let worker = null;
    let current = null;
    let timer = null;

    const finish = () => {
      if (worker) void worker.terminate();
      resolveSlot();
    };
    const dispatch = () => {
      if (next >= opts.runs || performance.now() >= deadline) return finish();
      const index = next++;
      const c = makeCase(seeds, opts.seed, index);
      const path = join(tmp, `case-${index}.pcap`);
      writeFileSync(path, c.bytes);
      current = { c, path, id: index };
      timer = setTimeout(onHang, opts.timeout);
      worker.postMessage({ id: index, path });
    };
    const complete = () => {
      clearTimeout(timer);
      rmSync(current.path, { force: true });
      current = null;
      done++;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (done % 500 === 0) {
        console.log(`  ${done} cases, ${crashes.length} crashes, ${hangs.length} hangs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    };
    const onHang = () => {
      const { c } = current;
      const hash = save('hang', c, { limitMs: opts.timeout });
      hangs.push({ hash, c });
      console.log(`  HANG case ${c.index} (${c.seedFile}: ${c.mutation}) -> ${hash}.bin`);
      complete();
      const old = worker;
      worker = null;
      void old.terminate().then(spawn);
    };
    const spawn = () => {
      worker = new Worker(fileURLToPath(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
      const w = worker;
      w.on('message', (m) => {
        if (w !== worker) return;
        if (m.ready) return dispatch();
        if (!current || m.id !== current.id) return;
        const { c } = current;
        if (m.ms > slowest.ms) slowest = { ms: m.ms, c };
        if (m.ok && m.sessions > 0) {
          casesWithSessions++;
          sessionsTotal += m.sessions;
        }
        if (!m.ok) {
          const hash = save('crash', c, { error: m.error, stack: m.stack });
          crashes.push({ hash, c, error: m.error, stack: m.stack });
          console.log(`  CRASH case ${c.index} (${c.seedFile}: ${c.mutation}) -> ${hash}.bin\n    ${m.error}`);
        }
        complete();
        dispatch();
      });
      w.on('error', (err) => {
        if (w !== worker) return;
        // The worker died (out of memory, an uncaught error outside the promise): a crash.
        if (current) {
          const { c } = current;
          const hash = save('crash', c, { error: `worker died: ${err.message}`, stack: err.stack ?? '' });
          crashes.push({ hash, c, error: `worker died: ${err.message}`, stack: err.stack ?? '' });
          console.log(`  CRASH (worker died) case ${c.index} (${c.seedFile}: ${c.mutation}) -> ${hash}.bin\n    ${err.message}`);
          complete();
        }
        worker = null;
        spawn();
      });
    };
    spawn();
  });

  await Promise.all(Array.from({ length: opts.jobs }, runSlot));
  clearInterval(sampler);
  rmSync(tmp, { recursive: true, force: true });
  const elapsed = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

  console.log('');
  console.log(`cases run:    ${done} (seed ${opts.seed}, ${elapsed.toFixed(1)} s, ${(done / elapsed).toFixed(1)} cases/s)`);
  console.log(`with sessions: ${casesWithSessions} cases (${sessionsTotal} sessions in all)`);
  console.log(`crashes:      ${crashes.length}`);
  console.log(`hangs:        ${hangs.length} (limit ${opts.timeout} ms)`);
  if (slowest.c) console.log(`slowest case: ${slowest.ms.toFixed(0)} ms (case ${slowest.c.index}, ${slowest.c.seedFile}: ${slowest.c.mutation})`);
  console.log(`peak RSS:     ${mb(peakRss)} (whole process, ${opts.jobs} workers)`);
  for (const f of [...crashes, ...hangs]) console.log(`  saved ${relative(process.cwd(), join(opts.out, `${f.hash}.bin`))}`);
  process.exit(crashes.length + hangs.length > 0 ? 1 : 0);
}
