/** Test helpers: decode one packet given as hex, and summarise the result as plain values. */
import type { CapturedPacket } from '../../../src/capture/packet.js';
import { DecodedPacket, DecodeStatus } from '../../../src/decode/decoded-packet.js';
import { ipToString } from '../../../src/decode/ip-address.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';
import { hex, toHex } from '../capture/hex.js';

export { hex, toHex };

export const STATUS_NAMES = ['transport', 'skip', 'fragment_held', 'malformed'] as const;

export interface Summary {
  status: (typeof STATUS_NAMES)[number];
  problem?: string;
  ip?: string;
  proto?: number;
  ttl?: number;
  ports?: string;
  tcp?: { seq: number; ack: number; flags: number; window: number };
  payload?: string;
  truncated?: boolean;
  reassembled?: boolean;
}

export function packet(linkType: number, data: Uint8Array, origLen = data.length): CapturedPacket {
  return { tsUs: 0, linkType, buf: data, start: 0, end: data.length, origLen, interfaceId: 0 };
}

/** Decodes with `decoder` (a fresh one by default) and summarises `out` as the status allows. */
export function summarise(decoder: PacketDecoder, pkt: CapturedPacket, out = new DecodedPacket()): Summary {
  const st = decoder.decode(pkt, out);
  const s: Summary = { status: STATUS_NAMES[st] };
  if (st === DecodeStatus.Malformed) s.problem = decoder.problem;
  if ((st === DecodeStatus.Transport || st === DecodeStatus.Skip) && out.ipVersion !== 0) {
    s.ip = `${ipToString(out.data, out.srcOff, out.ipVersion)} > ${ipToString(out.data, out.dstOff, out.ipVersion)}`;
    s.proto = out.proto;
    s.ttl = out.ttl;
  }
  if (st === DecodeStatus.Transport) {
    s.ports = `${out.srcPort} > ${out.dstPort}`;
    if (out.proto === 6) s.tcp = { seq: out.tcpSeq, ack: out.tcpAck, flags: out.tcpFlags, window: out.tcpWindow };
    s.payload = toHex(out.data.subarray(out.payloadOff, out.payloadEnd));
    s.truncated = out.truncated;
    s.reassembled = out.reassembled;
  }
  return s;
}

/** Decodes one packet given as hex text with a fresh decoder. */
export function decodeHex(linkType: number, text: string, origLen?: number): Summary {
  const data = hex(text);
  return summarise(new PacketDecoder(), packet(linkType, data, origLen ?? data.length));
}

// Building blocks, byte for byte. Addresses: 10.0.0.1 > 10.0.0.2, 2001:db8::1 > 2001:db8::2.
/** TCP SYN 49153 > 443, seq 100, data offset 5, window 64240: 20 bytes. */
export const TCP_SYN = 'c001 01bb 00000064 00000000 50 02 faf0 0000 0000';
/** TCP 443 > 49153 PSH+ACK, seq 1000, ack 101, window 256, 4 bytes of payload: 24 bytes. */
export const TCP_DATA = '01bb c001 000003e8 00000065 50 18 0100 0000 0000 16030100';
/** UDP 54321 > 53, length 12, payload "abcd": 12 bytes. */
export const UDP_DNS = 'd431 0035 000c 0000 61626364';
/** IPv4 header (20 bytes) for `TCP_SYN`: total length 40, DF, TTL 64, protocol 6. */
export const IPV4_SYN = '45 00 0028 abcd 4000 40 06 0000 0a000001 0a000002';
/** IPv6 header (40 bytes) for `TCP_SYN`: payload length 20, next header 6, hop limit 64. */
export const IPV6_SYN = '60000000 0014 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002';
/** Ethernet header with the given type. */
export const eth = (type: string): string => `020000000002 020000000001 ${type}`;

/** What `TCP_SYN` decodes to over `IPV4_SYN`. */
export const SYN_V4: Summary = {
  status: 'transport',
  ip: '10.0.0.1 > 10.0.0.2',
  proto: 6,
  ttl: 64,
  ports: '49153 > 443',
  tcp: { seq: 100, ack: 0, flags: 0x02, window: 64240 },
  payload: '',
  truncated: false,
  reassembled: false,
};
export const SYN_V6: Summary = { ...SYN_V4, ip: '2001:db8::1 > 2001:db8::2' };
