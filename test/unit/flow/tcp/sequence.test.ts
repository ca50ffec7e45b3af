import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqLe, seqLt } from '../../../../src/flow/tcp/sequence.js';

const MAX = 0xffffffff;

describe('seqDiff', () => {
  it.each([
    { a: 10, b: 3, want: 7 },
    { a: 3, b: 10, want: -7 },
    { a: 5, b: 5, want: 0 },
    // across the wrap: 0 comes one after 2^32-1
    { a: 0, b: MAX, want: 1 },
    { a: MAX, b: 0, want: -1 },
    { a: 5, b: MAX - 4, want: 10 },
    { a: MAX - 4, b: 5, want: -10 },
    // the largest distances that still compare correctly
    { a: 0x7fffffff, b: 0, want: 0x7fffffff },
    { a: 0, b: 0x7fffffff, want: -0x7fffffff },
    // exactly 2^31 apart: ambiguous, stable answer
    { a: 0x80000000, b: 0, want: -0x80000000 },
    { a: 0, b: 0x80000000, want: -0x80000000 },
  ])('seqDiff($a, $b) = $want', ({ a, b, want }) => {
    expect(seqDiff(a, b)).toBe(want);
  });

  it('accepts signed 32-bit inputs for the same sequence numbers', () => {
    expect(seqDiff(0, -1)).toBe(1); // -1 is 0xffffffff
    expect(seqDiff(-1, MAX)).toBe(0);
  });
});

describe('seqLt / seqLe', () => {
  it.each([
    { a: 1, b: 2, lt: true, le: true },
    { a: 2, b: 1, lt: false, le: false },
    { a: 7, b: 7, lt: false, le: true },
    { a: MAX, b: 0, lt: true, le: true },
    { a: 0, b: MAX, lt: false, le: false },
    { a: MAX - 100, b: 100, lt: true, le: true },
    { a: 100, b: MAX - 100, lt: false, le: false },
    { a: MAX, b: MAX, lt: false, le: true },
  ])('$a vs $b', ({ a, b, lt, le }) => {
    expect(seqLt(a, b)).toBe(lt);
    expect(seqLe(a, b)).toBe(le);
  });
});

describe('seqAdd', () => {
  it.each([
    { a: 1, n: 2, want: 3 },
    { a: MAX, n: 1, want: 0 },
    { a: MAX - 1, n: 5, want: 3 },
    { a: 0, n: -1, want: MAX },
    { a: 3, n: -5, want: MAX - 1 },
    { a: 0x80000000, n: 0x80000000, want: 0 },
  ])('seqAdd($a, $n) = $want', ({ a, n, want }) => {
    expect(seqAdd(a, n)).toBe(want);
  });

  it('returns unsigned numbers', () => {
    expect(seqAdd(0x7fffffff, 1)).toBe(0x80000000);
    expect(seqAdd(-1, 0)).toBe(MAX);
  });
});
