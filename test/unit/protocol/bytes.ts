/** Test helpers for byte vectors. */

/** Bytes from hex, spaces allowed: hex('16 03 01'). */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Bytes of an ASCII string. */
export function text(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** Concatenation. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** `n` bytes of `value`. */
export function fill(n: number, value = 0xab): Uint8Array {
  return new Uint8Array(n).fill(value);
}

export const EMPTY = new Uint8Array(0);
