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

  /**
   * Flows tracked at once; beyond it the idlest flows are finished early. A flow costs ~1.2 KB
   * before its first payload byte (a SYN flood fills the table with those) and a few KB while
   * its handshake is reassembled: ~120 MB of flows at most.
   */
  maxFlows: 100_000,
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

  /**
   * Bytes of one OpenVPN-over-TCP control packet that is buffered when it straddles segments
   * (`openvpn_packet_limit_reached`). Control packets are cut to --tls-mtu (1250 bytes by default);
   * a V3 reset with a tls-crypt-v2 client key stays under 2 KiB. Data packets are never buffered.
   */
  maxOpenVpnPacketBytes: 16 * 1024,
  /**
   * OpenVPN control packets held per direction while an earlier message packet-id is missing
   * (`openvpn_reorder_limit_reached`). OpenVPN's reliable layer keeps at most 8 packets in flight.
   */
  maxOpenVpnHeldPackets: 16,

  /**
   * Bytes of one QUIC CRYPTO stream (per encryption level and direction) that are reassembled:
   * a CRYPTO frame reaching past this offset is dropped (`quic_crypto_limit_reached`). The
   * largest ClientHellos seen (post-quantum key shares, many extensions) are under 8 KiB; a
   * server's Handshake-level flight with an uncompressed certificate chain stays well under it.
   * (Suricata caps one CRYPTO fragment at 65535 bytes.)
   */
  maxQuicCryptoBytes: 128 * 1024,
  /** Out-of-order CRYPTO fragments held per stream while waiting for the gap to fill. */
  maxQuicCryptoFragments: 64,
  /**
   * QUIC Initial key sets derived per flow: one per (version, client DCID), normally 1 (2 after a
   * Retry or Version Negotiation). More means someone is spraying DCIDs (`quic_keys_limit_reached`).
   */
  maxQuicKeySets: 4,
  /**
   * UDP datagrams a QUIC or DTLS analyzer looks at before the flow is given up as undecided (a
   * one-sided capture, or a handshake that never completes); later datagrams are only counted.
   */
  maxUdpInspectDatagrams: 128,
  /** Fragments of one DTLS handshake message held while it is reassembled (RFC 6347 §4.2.3). */
  maxDtlsFragments: 64,

  /** Connections (client randoms) kept from key logs (--keylog, pcapng secrets blocks). */
  maxKeyLogEntries: 1_000_000,
  /** Encrypted TLS 1.3 records of the server's handshake flight decrypted per connection. */
  maxEncryptedHandshakeRecords: 64,

  // Certificates (x509/): hitting one makes the certificate "malformed" (a
  // certificate_parse_error anomaly) or cuts a list short (a fact), never a throw.
  /** Largest DER certificate parsed (a TLS handshake message is capped at 256 KiB anyway). */
  maxCertificateBytes: 256 * 1024,
  /** Nesting depth the generic DER walker (`derWellFormed`) descends to. */
  maxDerDepth: 32,
  /** Elements read from one SEQUENCE/SET (RDNs, extensions, SAN entries...). */
  maxElements: 4096,
  /** Bytes of one OBJECT IDENTIFIER (UUID arcs under 2.25 need about 20). */
  maxOidBytes: 128,
  /** Subject alternative names kept per certificate (the rest counted in `sanTruncated`). */
  maxSanEntries: 1024,
  /** Distinct certificates remembered by the parse cache, oldest dropped first (~5 KB each with the DER). */
  maxCachedCertificates: 10_000,
  /** Signature checks remembered (child, issuer) -> result (oldest dropped first). */
  maxCachedVerifications: 100_000,
  /** Certificates in one path being built (leaf, intermediates, anchor). */
  maxChainDepth: 10,
  /** Signature checks one chain validation may spend while building paths. */
  maxVerificationsPerChain: 32,

  // DNS correlation (dns/): hitting a cap marks the DNS log incomplete (`dns_limit_reached`), and
  // the DNS rules then stay silent rather than guess.
  /** Answer records kept from one DNS message (A, AAAA, CNAME); questions likewise. */
  maxDnsRecordsPerMessage: 256,
  /** Distinct names the DNS log remembers (with their addresses and CNAME targets). */
  maxDnsNames: 100_000,
  /** Distinct addresses the DNS log remembers (with the names that gave them). */
  maxDnsAddresses: 100_000,
  /** Addresses (or CNAME targets) kept per name, and names kept per address. */
  maxDnsValuesPerKey: 64,

  // Run-wide classification state (classify/run-index.ts): sessions are classified as they end,
  // against what the run has seen so far; these tables are what the run remembers of them.
  /** Beacon groups (client -> server IP, client -> SNI) tracked; later new groups are not scored. */
  maxBeaconGroups: 100_000,
  /** Connections remembered per beacon group for its score (the most recent ones). */
  maxBeaconConnectionsPerGroup: 256,
  /** Distinct client JA4s counted for fingerprint.rare. */
  maxDistinctFingerprints: 100_000,
  /**
   * Entries of each per-session memo (src/memo.ts: client fingerprints ~1 KB each, DN pairs,
   * weak ciphers of an offer, chain paths); a full memo starts over.
   */
  maxMemoEntries: 4096,
} as const;

export type Limits = typeof LIMITS;
