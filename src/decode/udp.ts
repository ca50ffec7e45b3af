/**
 * UDP header, and the tunnels that ride on well-known UDP ports.
 * @see RFC 768 (UDP); VXLAN RFC 7348 (port 4789), VXLAN-GPE draft-ietf-nvo3-vxlan-gpe (4790),
 *      Geneve RFC 8926 (6081), GTP-U 3GPP TS 29.281 (2152), CAPWAP data RFC 5415 (5247)
 *
 * Like tshark, a datagram to or from a tunnel port is decoded as the tunnel when its header
 * checks out; otherwise it stays a plain UDP datagram.
 */
import type { DecodedPacket } from './decoded-packet.js';
import { Layer, type LayerCursor, u16 } from './layer.js';

const HEADER = 8;
export const PORT_VXLAN = 4789;
export const PORT_GENEVE = 6081;
export const PORT_VXLAN_GPE = 4790;
export const PORT_GTPU = 2152;
export const PORT_CAPWAP_DATA = 5247;

export function decodeUdp(b: Uint8Array, c: LayerCursor, out: DecodedPacket): Layer {
  const o = c.off;
  if (c.end - o < HEADER) return c.fail('truncated_udp_header');
  const len = u16(b, o + 4);
  // Length covers header and data. Zero happens with segmentation offload (and jumbograms).
  if (len !== 0) {
    if (len < HEADER) return c.fail('udp_bad_length');
    // A length beyond the IP payload is wrong, but the IP length is the better bound (tshark
    // says "bad length" and goes on): keep c.end then.
    if (o + len < c.end) c.end = o + len;
  }
  const sport = u16(b, o);
  const dport = u16(b, o + 2);
  out.srcPort = sport;
  out.dstPort = dport;
  out.payloadOff = o + HEADER;
  out.payloadEnd = c.end;
  c.off = o + HEADER;
  // Either port, the lower-numbered tunnel first (tshark tries the lower port first).
  if (sport === PORT_GTPU || dport === PORT_GTPU) return isGtpU(b, c) ? Layer.GTPU : Layer.Done;
  if (sport === PORT_VXLAN || dport === PORT_VXLAN) return isVxlan(b, c) ? Layer.VXLAN : Layer.Done;
  if (sport === PORT_VXLAN_GPE || dport === PORT_VXLAN_GPE) return isVxlan(b, c) ? Layer.VXLANGPE : Layer.Done;
  if (sport === PORT_CAPWAP_DATA || dport === PORT_CAPWAP_DATA) return isCapwap(b, c) ? Layer.CAPWAP : Layer.Done;
  if (sport === PORT_GENEVE || dport === PORT_GENEVE) return isGeneve(b, c) ? Layer.Geneve : Layer.Done;
  return Layer.Done;
}

/**
 * RFC 7348 §5: flags (I = 0x08, a valid VNI), reserved (3), VNI (3), reserved (1). Extensions
 * use other flag bits (Group Policy 0x80; VXLAN-GPE: version 0x30, P 0x04, B, O) but none
 * uses 0x40, which every QUIC packet sets: a QUIC datagram cannot pass for VXLAN.
 */
function isVxlan(b: Uint8Array, c: LayerCursor): boolean {
  const o = c.off;
  return c.end - o >= 8 && (b[o]! & 0x70) === 0 && (b[o]! & 0x08) !== 0 && b[o + 7] === 0;
}

/** TS 29.281 §5.1: version 1, protocol type 1 (GTP, not GTP'), message type 255 (G-PDU). */
function isGtpU(b: Uint8Array, c: LayerCursor): boolean {
  const o = c.off;
  return c.end - o >= 8 && (b[o]! & 0xf0) === 0x30 && b[o + 1] === 0xff;
}

/** RFC 5415 §4.3: preamble version 0, type 0 (1 would be DTLS). */
function isCapwap(b: Uint8Array, c: LayerCursor): boolean {
  return c.end - c.off >= 8 && b[c.off] === 0;
}

/** RFC 8926 §3.4: version 0. */
function isGeneve(b: Uint8Array, c: LayerCursor): boolean {
  const o = c.off;
  return c.end - o >= 8 && b[o]! >> 6 === 0;
}
