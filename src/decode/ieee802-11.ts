/**
 * IEEE 802.11 data frames, as captured on a monitor interface (LINKTYPE_IEEE802_11, radiotap)
 * or carried in CAPWAP. Only unprotected data frames hold IP we can read.
 * @see IEEE 802.11-2020 §9.2.4 (frame control), §9.3.2.1 (data frame format);
 *      https://www.radiotap.org (radiotap header); RFC 1042 (LLC/SNAP)
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

const TYPE_DATA = 2;
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80; // with QoS: an HT Control field is present

/**
 * Frame control (2: version/type/subtype, flags), duration (2), three addresses (18), sequence
 * control (2), a fourth address in a WDS frame (ToDS and FromDS), QoS control (2) in QoS
 * subtypes, HT control (4) when Order is set on a QoS frame; then LLC/SNAP.
 * Cisco CAPWAP access points send the two frame control bytes swapped: a version other than 0
 * in the first byte, and 0 in the second, gives them away (tshark swaps them by preference).
 */
export function decodeIeee80211(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 24) return c.fail('truncated_80211_header');
  let fc = b[o]!;
  let flags = b[o + 1]!;
  if ((fc & 3) !== 0 && (flags & 3) === 0) {
    fc = b[o + 1]!;
    flags = b[o]!;
  }
  if ((fc & 3) !== 0) return c.fail('ieee80211_bad_version');
  if (((fc >> 2) & 3) !== TYPE_DATA) return Layer.Skip; // management, control
  const subtype = fc >> 4;
  if (subtype & 0x4) return Layer.Skip; // null data: no frame body
  if (flags & FLAG_PROTECTED) return Layer.Skip; // WEP/WPA encrypted
  let len = 24;
  if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) len += 6;
  if (subtype & 0x8) {
    if (c.end - o < len + 2) return c.fail('truncated_80211_header');
    if (b[o + len]! & 0x80) return Layer.Skip; // A-MSDU aggregate: several frames, not followed
    len += 2;
    if (flags & FLAG_ORDER) len += 4;
  }
  const l = o + len;
  // RFC 1042 SNAP (aa aa 03 00 00 00) or 802.1H bridge tunnel (aa aa 03 00 00 f8), then the type.
  if (c.end - l < 8) return c.fail('truncated_80211_header');
  if (b[l] !== 0xaa || b[l + 1] !== 0xaa || b[l + 2] !== 0x03 || b[l + 3] !== 0 || b[l + 4] !== 0) return Layer.Skip;
  c.off = l + 8;
  return etherTypeLayer(u16(b, l + 6));
}

/** Radiotap: version (1, 0), pad (1), length (2, little-endian), present bitmaps...; then 802.11. */
export function decodeRadiotap(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_radiotap_header');
  const len = b[o + 2]! | (b[o + 3]! << 8);
  if (b[o] !== 0 || len < 8) return c.fail('radiotap_bad_header');
  if (c.end - o < len) return c.fail('truncated_radiotap_header');
  c.off = o + len;
  return Layer.IEEE80211;
}
