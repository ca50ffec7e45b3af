/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Every comparison of
 * sequence numbers in the project goes through here, so wraparound is handled once.
 *
 * Sequence numbers are kept as unsigned 32-bit integers (0 .. 2^32-1). Two numbers are
 * compared by their signed 32-bit distance, which is right as long as they are less than
 * 2^31 apart (TCP windows are far smaller). At exactly 2^31 apart the answer is arbitrary
 * but stable: seqDiff returns -2^31.
 */

/** Signed distance a - b in sequence space: > 0 when a is after b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a is strictly before b. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a is before b or equal to it. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a + n, wrapped to an unsigned 32-bit sequence number (n may be negative). */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
