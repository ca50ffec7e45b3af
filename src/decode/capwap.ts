/**
 * CAPWAP data channel (UDP port 5247): wireless access points tunnel their clients' frames to
 * the controller in it (udp.ts has checked the preamble).
 * @see RFC 5415 §4.3 (CAPWAP header), RFC 5416 (IEEE 802.11 binding)
 */
import { Layer, type LayerCursor } from './layer.js';

const WBID_IEEE80211 = 1;

/**
 * Preamble (1: version 0, type 0 = plain header; 1 = DTLS), then 24 bits: HLEN (5, header
 * length in 4-byte words), RID (5), WBID (5), T (1), F, L, W, M, K (1 each), flags (3); fragment
 * id (2), fragment offset (2), optional fields within HLEN. The payload is an 802.3 frame, or
 * with T set a native frame of the wireless binding (WBID 1: IEEE 802.11).
 */
export function decodeCapwap(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_capwap_header');
  const v = (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const hlen = (v >>> 19) << 2;
  if (hlen < 8) return c.fail('capwap_bad_header_length');
  if (c.end - o < hlen) return c.fail('truncated_capwap_header');
  if (v & 0x80) return Layer.Skip; // F: a fragment of a larger frame, not reassembled
  if (v & 0x08) return Layer.Skip; // K: keep-alive, no payload
  c.off = o + hlen;
  if ((v & 0x100) === 0) return Layer.Ethernet;
  return ((v >>> 9) & 0x1f) === WBID_IEEE80211 ? Layer.IEEE80211 : Layer.Skip;
}
