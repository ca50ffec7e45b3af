/**
 * The result of decoding one captured packet down to its transport header, filled in place
 * by `decodePacket` (decode/packet-decoder.ts) into one preallocated object, gopacket-style.
 * Offsets point into `data` (the captured packet's bytes, or a reassembled IP datagram);
 * everything here is valid only until the next packet.
 */
export class DecodedPacket {
  /** Bytes the offsets below refer to. */
  data: Uint8Array = new Uint8Array(0);
  /** 4 or 6 for the innermost IP header; 0 when no IP header was found. */
  ipVersion = 0;
  /** Offsets of the source / destination addresses in `data` (4 bytes for IPv4, 16 for IPv6). */
  srcOff = 0;
  dstOff = 0;
  /** IP protocol of the transport header: 6 TCP, 17 UDP, other values are not decoded further. */
  proto = 0;
  /** IPv4 TTL / IPv6 hop limit. */
  ttl = 0;
  srcPort = 0;
  dstPort = 0;
  /** TCP only. */
  tcpSeq = 0;
  tcpAck = 0;
  /** TCP flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20. */
  tcpFlags = 0;
  tcpWindow = 0;
  /** Transport payload bounds in `data`. */
  payloadOff = 0;
  payloadEnd = 0;
  /** True when the snaplen cut the payload (payloadEnd is then the end of what was captured). */
  truncated = false;
  /** True when the packet was rebuilt from IP fragments (data then is a fresh buffer). */
  reassembled = false;
}

/** Outcome of decoding one packet. */
export const DecodeStatus = {
  /** A TCP or UDP packet over IPv4/IPv6: every field above is set. */
  Transport: 0,
  /** Valid, but nothing for us (ARP, ICMP, other link or IP protocol...). */
  Skip: 1,
  /** An IP fragment held for reassembly; the datagram comes with a later packet. */
  FragmentHeld: 2,
  /** Bytes contradict the headers; the decoder's `problem` names why. */
  Malformed: 3,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
