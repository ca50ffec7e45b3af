import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES } from '../../../src/cli/young-generation.js';

const youngBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

describe('capYoungGeneration', () => {
  it('lets the young generation grow to the cap, and no further', () => {
    // Objects that survive scavenges make V8 grow the young generation, doubling it each time.
    const before = youngBytes();
    const keep: object[] = [];
    for (let round = 0; round < 200 && youngBytes() < 4 * YOUNG_GENERATION_CAP_BYTES; round++) {
      for (let i = 0; i < 20_000; i++) keep.push({ round, i, pad: [round, i] });
      capYoungGeneration();
    }
    const capped = youngBytes();
    expect(capped).toBeGreaterThanOrEqual(YOUNG_GENERATION_CAP_BYTES);
    // Checked between doublings: it stops within one doubling of the cap (unless it started above).
    if (before < YOUNG_GENERATION_CAP_BYTES) expect(capped).toBeLessThanOrEqual(2 * YOUNG_GENERATION_CAP_BYTES);
    for (let i = 0; i < 2_000_000; i++) keep.push({ i });
    expect(youngBytes()).toBe(capped);
    expect(keep.length).toBeGreaterThan(0);
  });
});
