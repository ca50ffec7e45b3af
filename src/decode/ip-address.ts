/**
 * Text forms of IP addresses, for output only (never on the per-packet path).
 * @see RFC 5952 §4 (IPv6 text representation: lowercase, no leading zeros, the longest run of
 *      two or more zero groups as "::", the first one on a tie), §5 (IPv4-mapped addresses in
 *      mixed notation)
 */

/** The address at data[off]: 4 bytes dotted-quad when version is 4, else 16 bytes IPv6. */
export function ipToString(data: Uint8Array, off: number, version: number): string {
  if (version === 4) return `${data[off]}.${data[off + 1]}.${data[off + 2]}.${data[off + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((data[off + i]! << 8) | data[off + i + 1]!);

  // ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${ipToString(data, off + 12, 4)}`;
  }

  let bestStart = -1;
  let bestLen = 1; // a single zero group is not shortened (§4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}
