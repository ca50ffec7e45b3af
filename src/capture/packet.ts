/**
 * One captured packet, as the capture readers hand it to the decoder.
 * The object and its `data` view are reused: they are valid only until the next packet.
 */
export interface CapturedPacket {
  /** Capture time in microseconds since the Unix epoch (ns timestamps are rounded down). */
  tsUs: number;
  /** LINKTYPE_* value of the interface that captured it (see link-types.ts). */
  linkType: number;
  /** Captured bytes (caplen); may be shorter than origLen when the snaplen cut it. */
  data: Uint8Array;
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
