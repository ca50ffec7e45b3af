/**
 * One captured packet, as the capture readers hand it to the decoder: its bytes are
 * `buf[start, end)`, where `buf` is the chunk being read (no view is made per packet: a million
 * packets a second would otherwise allocate a million views). The object is reused and `buf`
 * is overwritten by later reads: both are valid only until the next packet.
 */
export interface CapturedPacket {
  /** Capture time in microseconds since the Unix epoch (ns timestamps are rounded down). */
  tsUs: number;
  /** LINKTYPE_* value of the interface that captured it (see link-types.ts). */
  linkType: number;
  /** Holds the captured bytes at [start, end) (caplen = end - start, maybe less than origLen). */
  buf: Uint8Array;
  start: number;
  end: number;
  /** Length of the packet on the wire. */
  origLen: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
}

/** Receives packets synchronously, in file order. */
export type PacketSink = (packet: CapturedPacket) => void;

/** Something wrong with the capture file itself (not with a packet in it). */
export interface CaptureProblem {
  /** Stable snake_case name, e.g. "pcap_truncated_record", "pcapng_bad_block_length". */
  name: string;
  /** One human line. */
  message: string;
  /** Byte offset in the (decompressed) capture where it happened. */
  offset: number;
  /** Fatal problems stop the reading; the packets read before are kept. */
  fatal: boolean;
}
