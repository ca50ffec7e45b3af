/**
 * Runs the bundled command (dist/analyze-main.cjs) from V8's code cache (dist/analyze-main.cache);
 * launch.ts, the installed `analyze` (dist/analyze.js), calls it.
 *
 * Why: without it every run parses the 0.7 MB bundle and compiles each function the first time
 * it is called; `npm run build` runs the command once on the fixtures and keeps the bytecode V8
 * made (scripts/bundle.mjs). Measured: an empty capture 95 -> 86 ms, the 1 GiB bench ~25 ms less.
 *
 * V8 checks a cache against its own version and flags and against the source's length only, so
 * the cache starts with the SHA-1 of the source it was made from and is used only when that
 * matches. A missing or rejected cache costs nothing but the compile it would have saved.
 */
import { hash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Set (to anything) by the build's training run: the cache is written when the command exits. */
export const WRITE_CODE_CACHE_ENV = 'ANALYZE_WRITE_CODE_CACHE';

const SHA1_BYTES = 20;

/** The code cache of the bundle at `bundlePath`: beside it, `.cache` for `.cjs`. */
export function cachePathOf(bundlePath: string): string {
  return `${bundlePath.replace(/\.cjs$/, '')}.cache`;
}

/** The CommonJS wrapper the bundle runs in: the same string when the cache is made and used. */
function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source.replace(/^#!.*/, '')}\n})`;
}

/** The cached data of `cache` if it was made from `source`, else undefined. */
export function cachedDataFor(source: string, cache: Buffer | undefined): Buffer | undefined {
  if (cache === undefined || cache.length <= SHA1_BYTES) return undefined;
  const made = cache.subarray(0, SHA1_BYTES);
  return made.equals(sourceDigest(source)) ? cache.subarray(SHA1_BYTES) : undefined;
}

/** What the cache file holds for `script`, compiled from `source`: the source's digest, then V8's data. */
export function cacheBytes(source: string, script: Script): Buffer {
  return Buffer.concat([sourceDigest(source), script.createCachedData()]);
}

function sourceDigest(source: string): Buffer {
  return Buffer.from(hash('sha1', source), 'hex');
}

/**
 * Compiles the bundle at `bundlePath` (its text is `source`), from its code cache when the cache
 * was made from that same text. `cachedDataRejected` then tells whether V8 took it.
 */
export function compileBundle(bundlePath: string, source = readFileSync(bundlePath, 'utf8')): Script {
  let cache: Buffer | undefined;
  try {
    cache = readFileSync(cachePathOf(bundlePath));
  } catch {
    cache = undefined; // not built yet, or removed: compile as usual
  }
  return new Script(wrapBundle(source), { filename: bundlePath, cachedData: cachedDataFor(source, cache) });
}

/** Runs the bundle at `bundlePath`, from its code cache when it fits. */
export function runBundle(bundlePath: string): Script {
  const source = readFileSync(bundlePath, 'utf8');
  const script = compileBundle(bundlePath, source);
  if (process.env[WRITE_CODE_CACHE_ENV] !== undefined) {
    // At exit V8 has compiled every function the run called: they all go into the cache.
    // Written whole and then renamed: a run starting meanwhile reads the old cache or the new one.
    const cachePath = cachePathOf(bundlePath);
    process.on('exit', () => {
      writeFileSync(`${cachePath}.tmp`, cacheBytes(source, script));
      renameSync(`${cachePath}.tmp`, cachePath);
    });
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return script;
}
