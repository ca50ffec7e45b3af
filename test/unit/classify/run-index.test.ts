import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSeconds } from '../../../src/classify/run-index.js';
import type { SessionRecord } from '../../../src/model/session.js';
import { isoMicros } from '../../../src/session/time.js';

const at = (start: string) => startSeconds({ start } as SessionRecord);

describe('startSeconds: a record start time back to seconds, microseconds kept', () => {
  it('reads the fraction past the milliseconds Date.parse would keep', () => {
    expect(at('2024-05-01T12:00:00.123456Z')).toBeCloseTo(1714564800.123456, 6);
    // Seconds near 1.7e9 are doubles with a 0.24 µs step: one microsecond apart stays apart.
    expect(at('2024-05-01T12:00:00.000001Z')).toBeGreaterThan(at('2024-05-01T12:00:00.000000Z'));
    expect(at('1970-01-01T00:00:00Z')).toBe(0);
  });

  it('property: the inverse of isoMicros to the microsecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800 * 1e6 }), (us) => {
        expect(Math.round(at(isoMicros(us)) * 1e6)).toBe(us);
      }),
    );
  });
});
