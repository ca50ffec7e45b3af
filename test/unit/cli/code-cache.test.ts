import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheBytes, cachedDataFor, cachePathOf, runBundle } from '../../../src/cli/code-cache.js';
import { ensureBuiltCli, root } from '../../helpers/built-cli.js';

// A bundle that says it ran, with the arguments of the CommonJS wrapper it runs in.
const bundleSource = (tag: string): string =>
  `#!/usr/bin/env node\nglobalThis.codeCacheTest = { tag: '${tag}', dir: __dirname, file: __filename, require: typeof require };\n`;
const ran = (): { tag: string; dir: string; file: string; require: string } => (globalThis as Record<string, unknown>).codeCacheTest as never;

describe('runBundle', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    bundle = join(dir, 'bundle.cjs');
    cache = cachePathOf(bundle);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle as CommonJS when there is no cache', () => {
    writeFileSync(bundle, bundleSource('A'));
    const script = runBundle(bundle);
    expect(script.cachedDataRejected).toBeUndefined(); // none was offered
    expect(ran()).toEqual({ tag: 'A', dir, file: bundle, require: 'function' });
  });

  it('uses a cache made from the same source', () => {
    writeFileSync(bundle, bundleSource('B'));
    writeFileSync(cache, cacheBytes(bundleSource('B'), runBundle(bundle)));
    const script = runBundle(bundle);
    expect(script.cachedDataRejected).toBe(false);
    expect(ran().tag).toBe('B');
  });

  it('ignores a cache made from another source of the same length (V8 itself only checks the length)', () => {
    writeFileSync(bundle, bundleSource('C'));
    writeFileSync(cache, cacheBytes(bundleSource('C'), runBundle(bundle)));
    writeFileSync(bundle, bundleSource('D'));
    const script = runBundle(bundle);
    expect(script.cachedDataRejected).toBeUndefined();
    expect(ran().tag).toBe('D');
  });
});

describe('cachedDataFor', () => {
  it('refuses an empty, short or foreign cache', () => {
    expect(cachedDataFor('x', undefined)).toBeUndefined();
    expect(cachedDataFor('x', Buffer.alloc(0))).toBeUndefined();
    expect(cachedDataFor('x', Buffer.alloc(20))).toBeUndefined();
    expect(cachedDataFor('x', Buffer.alloc(100))).toBeUndefined();
  });
});

describe('the built command', () => {
  it('has a code cache that a plain node accepts', () => {
    ensureBuiltCli();
    // In a child: V8 checks the cache against its flags, and this test runner's may differ.
    const check = `
      import { compileBundle } from ${JSON.stringify(join(root, 'dist/cli/code-cache.js'))};
      console.log(compileBundle(${JSON.stringify(join(root, 'dist/analyze-main.cjs'))}).cachedDataRejected);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', check], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('false');
    expect(readFileSync(join(root, 'dist/analyze-main.cache')).length).toBeGreaterThan(100_000); // the trained functions are in it
  });
});
