/**
 * A small fixed-seed run of the fuzz harness's mutations (scripts/fuzz-lib.mjs) over the fixtures,
 * so CI exercises it: byte flips, truncation, 0 / 0xFFFF / 0xFFFFFFFF length fields, splices and
 * random tails, each through the whole pipeline, which must resolve and not hang.
 * The full run is `npm run fuzz -- --runs 10000`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { caseHash, loadSeeds, makeCase } from '../../scripts/fuzz-lib.mjs';

const SEED = 20_260_408;
const CASES = 50;
const PER_CASE_MS = 5_000;

const tmp = mkdtempSync(join(tmpdir(), 'fuzz-fixed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fuzz, fixed seed', () => {
  const seeds = loadSeeds({ fixturesDir: join(import.meta.dirname, '..', '..', 'fixtures') });

  it('finds the fixture captures as seeds', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(5);
    expect(seeds.some((s) => s.name.endsWith('#gunzipped'))).toBe(true);
  });

  it('is deterministic for a seed and case index', () => {
    const a = makeCase(seeds, SEED, 7);
    const b = makeCase(seeds, SEED, 7);
    expect(a.mutation).toBe(b.mutation);
    expect(caseHash(a.bytes)).toBe(caseHash(b.bytes));
  });

  it(`${CASES} mutated captures go through the pipeline without throwing or hanging`, async () => {
    const kinds = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(seeds, SEED, i);
      for (const m of c.mutation.split(' then ')) kinds.add(m.slice(0, m.indexOf('(')));
      const path = join(tmp, `case-${i}.pcap`);
      writeFileSync(path, c.bytes);
      const started = performance.now();
      const result = await analyzeCapture(path, { ports: new Set([443]), allPorts: false }).catch((err: unknown) => {
        throw new Error(`case ${i} (${c.seedFile}: ${c.mutation}) threw: ${String(err)}`, { cause: err });
      });
      expect(Array.isArray(result.sessions)).toBe(true);
      expect(performance.now() - started, `case ${i} (${c.seedFile}: ${c.mutation})`).toBeLessThan(PER_CASE_MS);
    }
    // The run covers the mutation kinds the harness promises.
    for (const k of ['flip', 'truncate', 'length', 'splice', 'random-tail']) {
      expect([...kinds].some((x) => x.startsWith(k)), k).toBe(true);
    }
  }, 20_000);
});
