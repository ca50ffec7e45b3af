#!/usr/bin/env node
// bundle.mjs - the second half of `npm run build`: after tsc has written dist/, join the command
// and its --jobs worker into one file each, dist/analyze.js and dist/analyze-worker.js.
//
// Why: Node 20 loads an ES module graph file by file (resolve, open, read, compile, link); for
// the ~180 modules of the analyzer and yargs that cost ~75 ms of every run, a third of the time
// a small capture takes. One file loads in one step. The code is tsc's output unchanged, so
// the modules under dist/ stay importable (tests, scripts) and behave the same.
//
// better-sqlite3 stays outside (a native addon, loaded by its own require); yargs and its helpers
// are inlined, string-width replaced by bundle-shims/string-width.mjs (see why there).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

await build({
  entryPoints: { analyze: join(dist, 'cli/main.js'), 'analyze-worker': join(dist, 'cli/analyze-worker.js') },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // Inlined CommonJS (yargs' helpers) may call require(): give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
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
});
