/**
 * GTP-U, the user plane of mobile core networks (udp.ts has checked for a G-PDU).
 * @see 3GPP TS 29.281 §5.1 (header), §5.2 (extension headers)
 */
import { Layer, type LayerCursor, u16 } from './layer.js';

/**
 * Flags (version 3 bits, PT, reserved, E, S, PN), message type (1), length (2, of everything
 * after the first 8 bytes), TEID (4). When any of E, S, PN is set, sequence number (2), N-PDU
 * number (1) and next extension header type (1) follow; each extension header gives its length
 * in 4-byte units in its first byte and the next type in its last. Then the user's IP packet.
 */
export function decodeGtpU(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_gtp_header');
  const flags = b[o]!;
  const end = o + 8 + u16(b, o + 2);
  if (end < c.end) c.end = end;
  let p = o + 8;
  if (flags & 0x07) {
    if (c.end - p < 4) return c.fail('truncated_gtp_header');
    let next = b[p + 3]!;
    p += 4;
    while (next !== 0) {
      if (c.end - p < 4) return c.fail('truncated_gtp_header');
      const len = b[p]! << 2;
      if (len === 0 || c.end - p < len) return c.fail('gtp_bad_extension_header');
      next = b[p + len - 1]!;
      p += len;
    }
  }
  c.off = p;
  return Layer.IP;
}
