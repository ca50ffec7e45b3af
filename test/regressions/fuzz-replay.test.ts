/**
 * Replays every input the fuzz harness (npm run fuzz) saved under test/fuzz-regressions/: each
 * one crashed or hung the pipeline once, and analyzeCapture must now resolve on it. Passes with
 * an empty folder (only .gitkeep).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';

const dir = join(import.meta.dirname, '..', 'fuzz-regressions');
const inputs = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.bin')).sort() : [];

function note(name: string): string {
  const path = join(dir, name.replace(/\.bin$/, '.json'));
  if (!existsSync(path)) return '';
  const n = JSON.parse(readFileSync(path, 'utf8')) as { kind?: string; mutation?: string; seedFile?: string };
  return ` (${n.kind ?? '?'}: ${n.seedFile ?? '?'}, ${n.mutation ?? '?'})`;
}

describe('fuzz regressions', () => {
  it('the folder exists (kept by .gitkeep)', () => {
    expect(existsSync(dir)).toBe(true);
  });

  for (const name of inputs) {
    it(`${name}${note(name)} is analysed without throwing`, async () => {
      const started = performance.now();
      const result = await analyzeCapture(join(dir, name), { ports: new Set([443]), allPorts: false });
      expect(Array.isArray(result.sessions)).toBe(true);
      // The harness calls a case over 10 s a hang.
      expect(performance.now() - started).toBeLessThan(10_000);
    }, 30_000);
  }
});
