/** `0x%04x`: how a 16-bit wire value without a registry name is printed. */
export function hex16(v: number): string {
  return '0x' + (v & 0xffff).toString(16).padStart(4, '0');
}
