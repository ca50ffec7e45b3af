/**
 * The transport-neutral handshake model: what a ClientHello or ServerHello says, as wire numbers.
 * TCP-TLS, QUIC and DTLS parsers all produce these; every fingerprint is a pure function of them.
 * Lists keep wire order and keep GREASE values (fingerprints drop them through `isGrease`).
 */

/** One extension as it appeared on the wire: its number and a view of its body. */
export interface RawExtension {
  type: number;
  /** View of the extension body; valid as long as the hello model (hellos own a copy of their bytes). */
  data: Uint8Array;
}

export interface ClientHelloModel {
  /** Where the bytes came from: 't' TLS over TCP, 'q' QUIC, 'd' DTLS (the JA4 prefix). */
  transport: 't' | 'q' | 'd';
  /** Record-layer version of the first record that carried the hello (0 for QUIC). */
  recordVersion: number;
  /** legacy_version / client_version of the hello body (JA3 uses it). */
  version: number;
  /** True for an SSLv2-compatible (SSL 2.0 framed) ClientHello. */
  sslv2: boolean;
  random: Uint8Array;
  sessionId: Uint8Array;
  /** Cipher suites as 16-bit numbers, wire order, GREASE included. (SSLv2 3-byte kinds: see sslv2.) */
  ciphers: number[];
  compressionMethods: number[];
  /** Extensions in wire order, GREASE included. Empty when the hello has no extensions block. */
  extensions: RawExtension[];
  /** True when the hello had an extensions block at all (even an empty one). */
  hasExtensionsBlock: boolean;

  // Decoded from the extensions (absent extension -> null / empty list):
  /** server_name host_name (ext 0), as sent (bytes decoded latin1->string is not done: UTF-8). */
  sni: string | null;
  /** ALPN protocol names (ext 16) as raw bytes, wire order. */
  alpn: Uint8Array[];
  /** supported_groups (ext 10), wire order, GREASE included. */
  supportedGroups: number[];
  /** ec_point_formats (ext 11), 8-bit values. */
  ecPointFormats: number[];
  /** signature_algorithms (ext 13), wire order, GREASE included. Not signature_algorithms_cert. */
  signatureAlgorithms: number[];
  /** supported_versions (ext 43), wire order, GREASE included. */
  supportedVersions: number[];
  /** key_share (ext 51) groups offered, wire order. */
  keyShareGroups: number[];
  /** psk_key_exchange_modes (ext 45). */
  pskModes: number[];
  /** pre_shared_key (ext 41) present. */
  hasPreSharedKey: boolean;
  /** encrypted_client_hello (ext 0xfe0d) present. */
  hasEch: boolean;
  /** Non-fatal oddities met while parsing (stable snake_case names). */
  anomalies: string[];
}

export interface ServerHelloModel {
  transport: 't' | 'q' | 'd';
  recordVersion: number;
  /** legacy_version / server_version of the hello body (JA3S uses it). */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipher: number;
  compressionMethod: number;
  extensions: RawExtension[];
  hasExtensionsBlock: boolean;
  /** supported_versions (ext 43) selected version, or null. */
  selectedVersion: number | null;
  /** ALPN selected by the server (ext 16), raw bytes, or null. */
  alpn: Uint8Array | null;
  /** key_share group selected (ext 51), or null. */
  keyShareGroup: number | null;
  /** True when the server accepted a PSK (ext 41 present). */
  hasPreSharedKey: boolean;
  /** True when this is a HelloRetryRequest (RFC 8446 §4.1.3: the special random value). */
  helloRetryRequest: boolean;
  /** True for an SSL 2.0 ServerHello. */
  sslv2: boolean;
  anomalies: string[];
}

/** The negotiated version: supported_versions when the server sent it, else the legacy version. */
export function negotiatedVersion(sh: ServerHelloModel): number {
  return sh.selectedVersion ?? sh.version;
}

/**
 * What a connection's handshake showed, whichever analyzer read it (TLS over TCP, QUIC, DTLS):
 * the session record is built from this one shape.
 */
export interface HandshakeSummary {
  /** First ClientHello (fingerprints use it, even after a HelloRetryRequest). */
  clientHello: ClientHelloModel | null;
  /** The ServerHello that was not a HelloRetryRequest. */
  serverHello: ServerHelloModel | null;
  helloRetryRequest: ServerHelloModel | null;
  /** Server certificates, leaf first (DER copies): in clear up to TLS 1.2, or decrypted with a key log. */
  certificates: Uint8Array[];
  /** ALPN the server selected when it came encrypted (TLS 1.3 EncryptedExtensions, key log), else null. */
  decryptedAlpn: Uint8Array | null;
  /** Name of the first plaintext alert. */
  alert: string | null;
  resumed: boolean;
  established: boolean;
  /** Record-layer version of the record that carried the first ClientHello (null for QUIC). */
  clientRecordVersion: number | null;
  /** QUIC version of the connection, or null. */
  quicVersion: number | null;
  /**
   * The TLS version the transport itself dictates when no ServerHello was seen: QUIC carries
   * only TLS 1.3 (RFC 9001 §4.2: "Clients MUST NOT offer TLS versions older than 1.3"). Else null.
   */
  impliedVersion: number | null;
  /** One letter per handshake message (TLS over TCP only; empty otherwise). */
  history: string;
  anomalies: Iterable<string>;
}

const NO_BYTES = new Uint8Array(0);

/**
 * A ClientHello model with every list empty and every flag off, and `fields` on top: parsers
 * fill the rest as they read (one place that knows the model's defaults).
 */
export function newClientHello(fields: Partial<ClientHelloModel> & Pick<ClientHelloModel, 'transport' | 'recordVersion' | 'version'>): ClientHelloModel {
  return {
    sslv2: false,
    random: NO_BYTES,
    sessionId: NO_BYTES,
    ciphers: [],
    compressionMethods: [],
    extensions: [],
    hasExtensionsBlock: false,
    sni: null,
    alpn: [],
    supportedGroups: [],
    ecPointFormats: [],
    signatureAlgorithms: [],
    supportedVersions: [],
    keyShareGroups: [],
    pskModes: [],
    hasPreSharedKey: false,
    hasEch: false,
    anomalies: [],
    ...fields,
  };
}

/** A ServerHello model with defaults (no extensions, nothing selected), and `fields` on top. */
export function newServerHello(fields: Partial<ServerHelloModel> & Pick<ServerHelloModel, 'transport' | 'recordVersion' | 'version'>): ServerHelloModel {
  return {
    random: NO_BYTES,
    sessionId: NO_BYTES,
    cipher: 0,
    compressionMethod: 0,
    extensions: [],
    hasExtensionsBlock: false,
    selectedVersion: null,
    alpn: null,
    keyShareGroup: null,
    hasPreSharedKey: false,
    helloRetryRequest: false,
    sslv2: false,
    anomalies: [],
    ...fields,
  };
}
