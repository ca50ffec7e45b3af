import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/memo.js';

describe('Memo: a bounded memo of a pure function', () => {
  it('computes a key once while it is remembered, and never holds more than its capacity', () => {
    const memo = new Memo<string>(3);
    const calls: string[] = [];
    const upper = (k: string): string => {
      calls.push(k);
      return k.toUpperCase();
    };
    expect(['a', 'b', 'a', 'c', 'b'].map((k) => memo.get(k, upper))).toEqual(['A', 'B', 'A', 'C', 'B']);
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(memo.size).toBe(3);
    // Full: it starts over, and results stay what the function gives.
    expect(memo.get('d', upper)).toBe('D');
    expect(memo.size).toBe(1);
    expect(memo.get('a', upper)).toBe('A');
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});
