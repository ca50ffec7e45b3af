/**
 * Every cap of the pipeline, in one place. Hitting a cap is recorded as an anomaly with a
 * stable name (`<what>_limit_reached`) on the session or the run, never a crash and never
 * unbounded memory. Figures are per flow and per direction unless said otherwise.
 */
export const LIMITS = {
  /** Bytes read from the capture per read call (4 MiB read faster than 8 in the bench walkers). */
  readChunkBytes: 4 * 1024 * 1024,
  /** Largest capture record accepted (pcap incl_len / pcapng block); larger means a damaged file. */
  maxRecordBytes: 16 * 1024 * 1024,
  /** Largest decompressed stream from a .gz capture: a gzip bomb stops here (anomaly). */
  maxGunzipBytes: 64 * 1024 * 1024 * 1024,

  /** Flows tracked at once; beyond it the idlest flows are finished early. */
  maxFlows: 200_000,
  /** A TCP flow with no packet for this long (capture time) is finished. */
  tcpIdleTimeoutUs: 300 * 1e6,
  /** A UDP flow with no packet for this long (capture time) is finished. */
  udpIdleTimeoutUs: 120 * 1e6,

  /** IPv4/IPv6 fragment trains being reassembled at once (run-wide). */
  maxFragmentTrains: 1024,
  /** Bytes of one reassembled IP datagram. */
  maxFragmentBytes: 65535,
  /** Encapsulation depth (VLAN, GRE, VXLAN, IP-in-IP...) before a packet is dropped. */
  maxEncapsulationDepth: 8,

  /** Out-of-order TCP segments held per direction while waiting for the gap to fill. */
  maxOutOfOrderSegments: 64,
  /** Bytes of out-of-order TCP payload held per direction. */
  maxOutOfOrderBytes: 256 * 1024,

  /** Bytes of one TLS record (RFC 8446 §5.2: 2^14 + 256 for ciphertext; 2^14 + 2048 in TLS 1.2). */
  maxTlsRecordBytes: 16384 + 2048,
  /** Bytes of one handshake message being reassembled (a long certificate chain is the largest). */
  maxHandshakeMessageBytes: 256 * 1024,
  /** Bytes of handshake data looked at per direction before the flow is given up as undecided. */
  maxHandshakeBytesPerDirection: 512 * 1024,
  /** Certificates kept from one Certificate message. */
  maxCertificatesPerChain: 16,
  /** Bytes of non-TLS preamble (STARTTLS dialogue, proxy CONNECT/SOCKS) searched for a ClientHello. */
  maxPreambleBytes: 16 * 1024,
  /** Extensions kept from one hello (more is malformed in practice). */
  maxExtensions: 512,
} as const;

export type Limits = typeof LIMITS;
