/**
 * Record content types and handshake message types. Data, not logic: the IANA "TLS ContentType"
 * (tls-parameters-5) and "TLS HandshakeType" (tls-parameters-7) registries,
 * https://www.iana.org/assignments/tls-parameters/.
 */

export const CONTENT_TYPE = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
  tls12Cid: 25,
  ack: 26,
} as const;

export const CONTENT_TYPES: ReadonlyMap<number, string> = new Map<number, string>([
  [20, 'change_cipher_spec'],
  [21, 'alert'],
  [22, 'handshake'],
  [23, 'application_data'],
  [24, 'heartbeat'],
  [25, 'tls12_cid'],
  [26, 'ack'],
]);

export const HANDSHAKE_TYPE = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateStatus: 22,
  keyUpdate: 24,
  compressedCertificate: 25,
  messageHash: 254,
} as const;

export const HANDSHAKE_TYPES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'hello_request'],
  [1, 'client_hello'],
  [2, 'server_hello'],
  [3, 'hello_verify_request'],
  [4, 'new_session_ticket'],
  [5, 'end_of_early_data'],
  [6, 'hello_retry_request'],
  [8, 'encrypted_extensions'],
  [9, 'request_connection_id'],
  [10, 'new_connection_id'],
  [11, 'certificate'],
  [12, 'server_key_exchange'],
  [13, 'certificate_request'],
  [14, 'server_hello_done'],
  [15, 'certificate_verify'],
  [16, 'client_key_exchange'],
  [17, 'client_certificate_request'],
  [20, 'finished'],
  [21, 'certificate_url'],
  [22, 'certificate_status'],
  [23, 'supplemental_data'],
  [24, 'key_update'],
  [25, 'compressed_certificate'],
  [26, 'ekt_key'],
  [254, 'message_hash'],
]);

/** The handshake type name, or `handshake_<n>`. */
export function handshakeTypeName(v: number): string {
  return HANDSHAKE_TYPES.get(v) ?? `handshake_${v}`;
}
