/**
 * The built command for tests that drive the analyzer as a user does: dist/analyze.js (the bundle
 * `npm run build` makes), rebuilt when missing or older than any file under src/ (a stale dist
 * would test yesterday's code).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');
export const cli = join(root, 'dist/analyze.js');

export function ensureBuiltCli(): void {
  const src = join(root, 'src');
  const newest = Math.max(
    ...readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
  if (!existsSync(cli) || statSync(cli).mtimeMs < newest) {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')]);
    execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs')]);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One line on stderr, exit 2, nothing on stdout, and nothing that looks like a stack trace. */
export function expectOneLineError(r: CliResult, mentions: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(mentions);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** Runs `analyze ARGS` to its end in `cwd`. */
export function runCli(cwd: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `analyze ARGS` without waiting (for a test that kills it). */
export function startCli(cwd: string, ...args: string[]) {
  return spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
