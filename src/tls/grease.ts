/**
 * GREASE (RFC 8701): reserved values that clients sprinkle into hellos so that servers keep
 * tolerating unknown values. Fingerprints drop them; this is the one place that knows them.
 */

/**
 * True for the 16 GREASE values of the 16-bit spaces (cipher suites, extensions, named groups,
 * signature algorithms, versions, ALPN-less uses).
 *
 * RFC 8701 §2: "{0x0A,0x0A}, {0x1A,0x1A}, {0x2A,0x2A}, … {0xFA,0xFA}" — both bytes equal, and
 * the low nibble of each byte is 0xA.
 */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/**
 * True for the GREASE values of the 8-bit PskKeyExchangeMode space.
 *
 * RFC 8701 §2: "The following values are reserved as GREASE values for PskKeyExchangeModes:
 * 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4" (0x0B + n * 0x1F).
 */
export function isGreasePskMode(v: number): boolean {
  return v >= 0x0b && v <= 0xe4 && (v - 0x0b) % 0x1f === 0;
}
