/**
 * TCP header.
 * @see RFC 9293 §3.1 (header format)
 *
 * Options are not decoded: the flow stage needs ports, sequence numbers, flags and the
 * payload bounds only. The checksum is not verified (offloaded checksums in captures).
 */
import type { DecodedPacket } from './decoded-packet.js';
import { Layer, type LayerCursor, u16, u32 } from './layer.js';

const MIN_HEADER = 20;

export function decodeTcp(b: Uint8Array, c: LayerCursor, out: DecodedPacket): Layer {
  const o = c.off;
  if (c.end - o < MIN_HEADER) return c.fail('truncated_tcp_header');
  // Data Offset: header length in 32-bit words, at least 5.
  const hlen = (b[o + 12]! >> 4) << 2;
  if (hlen < MIN_HEADER) return c.fail('tcp_bad_data_offset');
  if (c.end - o < hlen) {
    // The header runs past what the IP header declared, or past what was captured.
    return c.fail(c.truncated ? 'truncated_tcp_header' : 'tcp_bad_data_offset');
  }
  out.srcPort = u16(b, o);
  out.dstPort = u16(b, o + 2);
  out.tcpSeq = u32(b, o + 4);
  out.tcpAck = u32(b, o + 8);
  out.tcpFlags = b[o + 13]!;
  out.tcpWindow = u16(b, o + 14);
  out.payloadOff = o + hlen;
  out.payloadEnd = c.end;
  return Layer.Done;
}
