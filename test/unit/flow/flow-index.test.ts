import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowIndex } from '../../../src/flow/flow-index.js';
import { KEY_WORDS } from '../../../src/flow/flow-key.js';

const key = (...w: number[]) => Int32Array.from({ length: KEY_WORDS }, (_, i) => w[i] ?? 0);

describe('FlowIndex', () => {
  it('finds what was added, by key value (not by array identity), until it is deleted', () => {
    const index = new FlowIndex<string>();
    index.add(key(1, 2, 3), 'a');
    index.add(key(1, 2, 4), 'b');
    expect(index.get(key(1, 2, 3))).toBe('a');
    expect(index.get(key(1, 2, 4))).toBe('b');
    expect(index.get(key(1, 2, 5))).toBeUndefined();
    expect(index.delete(key(1, 2, 3))).toBe(true);
    expect(index.delete(key(1, 2, 3))).toBe(false);
    expect(index.get(key(1, 2, 3))).toBeUndefined();
    expect(index.get(key(1, 2, 4))).toBe('b');
    expect(index.size).toBe(1);
  });

  it('keeps every entry reachable through growth and deletes in any order (against a Map)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 })), { maxLength: 6000 }), (ops) => {
        const index = new FlowIndex<number>();
        const model = new Map<number, number>();
        for (const [add, n] of ops) {
          const k = key(6, n, n >> 3, -n);
          if (add && !model.has(n)) {
            index.add(k, n);
            model.set(n, n);
          } else if (!add) {
            expect(index.delete(k)).toBe(model.delete(n));
          }
        }
        expect(index.size).toBe(model.size);
        for (let n = 0; n <= 3000; n++) expect(index.get(key(6, n, n >> 3, -n))).toBe(model.get(n));
      }),
      { numRuns: 20 },
    );
  });
});
