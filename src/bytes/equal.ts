/** Byte-for-byte equality of two byte arrays (session ids, connection ids, DER, addresses). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
