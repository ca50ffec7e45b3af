import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowIndex } from '../../../src/flow/flow-index.js';
import { KEY_WORDS } from '../../../src/flow/flow-key.js';

const key = (...w: number[]) => Int32Array.from({ length: KEY_WORDS }, (_, i) => w[i] ?? 0);
/** A value the index can hold: it keeps the value's slot up to date. */
const v = <T>(name: T) => ({ slot: -1, name });

describe('FlowIndex', () => {
  it('finds what was added, by key value (not by array identity), until it is deleted', () => {
    const index = new FlowIndex<ReturnType<typeof v<string>>>();
    const [a, b, c] = [v('a'), v('b'), v('c')];
    index.add(key(1, 2, 3), a);
    index.add(key(1, 2, 4), b);
    index.add(key(1, 2, 6), c);
    expect(index.get(key(1, 2, 3))).toBe(a);
    expect(index.get(key(1, 2, 4))).toBe(b);
    expect(index.get(key(1, 2, 5))).toBeUndefined();
    expect(index.delete(key(1, 2, 3))).toBe(true);
    expect(index.delete(key(1, 2, 3))).toBe(false);
    expect(a.slot).toBe(-1);
    expect(index.get(key(1, 2, 3))).toBeUndefined();
    expect(index.get(key(1, 2, 4))).toBe(b);
    // Removed without its key, by the slot the index keeps on the value.
    index.remove(c);
    expect(index.get(key(1, 2, 6))).toBeUndefined();
    expect(() => index.remove(c)).toThrow(/not in the index/);
    expect(index.size).toBe(1);
  });

  it('keeps every entry reachable through growth and deletes in any order, by key or by value (against a Map)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'delete', 'remove'), fc.integer({ min: 0, max: 3000 })), { maxLength: 6000 }), (ops) => {
        const index = new FlowIndex<ReturnType<typeof v<number>>>();
        const model = new Map<number, ReturnType<typeof v<number>>>();
        for (const [op, n] of ops) {
          const k = key(6, n, n >> 3, -n);
          const held = model.get(n);
          if (op === 'add' && held === undefined) {
            const value = v(n);
            index.add(k, value);
            model.set(n, value);
          } else if (op === 'delete') {
            expect(index.delete(k)).toBe(model.delete(n));
          } else if (op === 'remove' && held !== undefined) {
            index.remove(held);
            model.delete(n);
          }
        }
        expect(index.size).toBe(model.size);
        for (let n = 0; n <= 3000; n++) expect(index.get(key(6, n, n >> 3, -n))).toBe(model.get(n));
        for (const value of model.values()) expect(index.get(key(6, value.name, value.name >> 3, -value.name))).toBe(value);
      }),
      { numRuns: 20 },
    );
  });
});
