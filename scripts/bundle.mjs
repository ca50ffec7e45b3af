#!/usr/bin/env node
// bundle.mjs - the second half of `npm run build`: after tsc has written dist/, join the command
// into one file, dist/analyze-main.cjs, and its --jobs worker into dist/analyze-worker.js; the
// installed command, dist/analyze.js, runs the first from V8's code cache, which a training run
// on the fixtures then writes (dist/analyze-main.cache; src/cli/code-cache.ts says why).
//
// Why one file: Node 20 loads an ES module graph file by file (resolve, open, read, compile,
// link); for the ~180 modules of the analyzer and yargs that cost ~75 ms of every run, a third of
// the time a small capture takes. One file loads in one step. The code is tsc's output unchanged,
// so the modules under dist/ stay importable (tests, scripts) and behave the same. The command is
// CommonJS because V8's code cache is made and used through vm.Script, which runs scripts only.
//
// better-sqlite3 stays outside (a native addon, loaded by its own require); yargs and its helpers
// are inlined, string-width replaced by bundle-shims/string-width.mjs (see why there).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist');
const { WRITE_CODE_CACHE_ENV, cachePathOf, compileBundle } = await import(join(dist, 'cli/code-cache.js'));
const main = join(dist, 'analyze-main.cjs');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  sourcemap: 'linked',
  plugins: [
    {
      name: 'shims',
      setup(b) {
        b.onResolve({ filter: /^string-width$/ }, () => ({ path: join(here, 'bundle-shims', 'string-width.mjs') }));
      },
    },
  ],
  logLevel: 'warning',
};

rmSync(cachePathOf(main), { force: true });
await build({
  ...common,
  entryPoints: { 'analyze-main': join(dist, 'cli/main.js') },
  outExtension: { '.js': '.cjs' },
  outdir: dist,
  format: 'cjs',
  // import.meta.url (yargs-parser, the worker's path) is the bundle's own URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await build({
  ...common,
  entryPoints: { analyze: join(dist, 'cli/launch.js'), 'analyze-worker': join(dist, 'cli/analyze-worker.js') },
  outdir: dist,
  format: 'esm',
  // Inlined CommonJS (yargs' helpers) may call require(): give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// The training run: the demo captures, through the paths a run of the bench and of the README take.
const fixtures = ['loopback-clients.pcap', 'loopback-clients.pcapng', 'mixed-benign-bad.pcap'].map((f) => join(root, 'fixtures', f));
execFileSync(process.execPath, [join(dist, 'analyze.js'), '--pcap', ...fixtures, '--jobs', '1', '--format', 'jsonl', '--no-db'], {
  env: { ...process.env, [WRITE_CODE_CACHE_ENV]: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (compileBundle(main).cachedDataRejected !== false) console.warn('bundle: V8 rejected the code cache just made: runs will compile the command as usual');
