/**
 * TLS extension type names, keyed by their 16-bit code point.
 *
 * Data, not logic: the first table is the IANA "TLS ExtensionType Values" registry
 * (https://www.iana.org/assignments/tls-extensiontype-values/, tls-extensiontype-values-1),
 * every assigned value as IANA spells it (23 keeps its long-standing name
 * extended_master_secret). The second table holds code points that are not in the registry but
 * are common on the wire (browser experiments); they are marked as such so nobody mistakes
 * them for IANA names. Reserved (GREASE) and unassigned values are left out:
 * `extensionName()` prints those as hex.
 */

import { hex16 } from './hex.js';

export const EXTENSION_TYPES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'server_name'],
  [1, 'max_fragment_length'],
  [2, 'client_certificate_url'],
  [3, 'trusted_ca_keys'],
  [4, 'truncated_hmac'],
  [5, 'status_request'],
  [6, 'user_mapping'],
  [7, 'client_authz'],
  [8, 'server_authz'],
  [9, 'cert_type'],
  [10, 'supported_groups'],
  [11, 'ec_point_formats'],
  [12, 'srp'],
  [13, 'signature_algorithms'],
  [14, 'use_srtp'],
  [15, 'heartbeat'],
  [16, 'application_layer_protocol_negotiation'],
  [17, 'status_request_v2'],
  [18, 'signed_certificate_timestamp'],
  [19, 'client_certificate_type'],
  [20, 'server_certificate_type'],
  [21, 'padding'],
  [22, 'encrypt_then_mac'],
  [23, 'extended_master_secret'],
  [24, 'token_binding'],
  [25, 'cached_info'],
  [26, 'tls_lts'],
  [27, 'compress_certificate'],
  [28, 'record_size_limit'],
  [29, 'pwd_protect'],
  [30, 'pwd_clear'],
  [31, 'password_salt'],
  [32, 'ticket_pinning'],
  [33, 'tls_cert_with_extern_psk'],
  [34, 'delegated_credential'],
  [35, 'session_ticket'],
  [36, 'TLMSP'],
  [37, 'TLMSP_proxying'],
  [38, 'TLMSP_delegate'],
  [39, 'supported_ekt_ciphers'],
  [41, 'pre_shared_key'],
  [42, 'early_data'],
  [43, 'supported_versions'],
  [44, 'cookie'],
  [45, 'psk_key_exchange_modes'],
  [47, 'certificate_authorities'],
  [48, 'oid_filters'],
  [49, 'post_handshake_auth'],
  [50, 'signature_algorithms_cert'],
  [51, 'key_share'],
  [52, 'transparency_info'],
  [53, 'connection_id_deprecated'],
  [54, 'connection_id'],
  [55, 'external_id_hash'],
  [56, 'external_session_id'],
  [57, 'quic_transport_parameters'],
  [58, 'ticket_request'],
  [59, 'dnssec_chain'],
  [60, 'sequence_number_encryption_algorithms'],
  [61, 'rrc'],
  [62, 'tls_flags'],
  [0xfd00, 'ech_outer_extensions'],
  [0xfe0d, 'encrypted_client_hello'],
  [0xff01, 'renegotiation_info'],
]);

/** Not IANA-assigned, but seen in real hellos (names as their drafts or vendors use them). */
export const UNREGISTERED_EXTENSION_TYPES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x3374, 'next_protocol_negotiation'], // draft-agl-tls-nextprotoneg
  [0x4469, 'application_settings_old'], // ALPS, draft-vvv-tls-alps, first code point
  [0x44cd, 'application_settings'], // ALPS, current Chromium code point
  [0x7550, 'channel_id'], // draft-balfanz-tls-channelid
]);

/** The name of an extension type (IANA first, then the unregistered table), or `0x%04x`. */
export function extensionName(v: number): string {
  return EXTENSION_TYPES.get(v) ?? UNREGISTERED_EXTENSION_TYPES.get(v) ?? hex16(v);
}

/** Extension code points the hello parsers decode (the rest are kept raw by number). */
export const EXT = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  alpn: 16,
  padding: 21,
  preSharedKey: 41,
  earlyData: 42,
  supportedVersions: 43,
  cookie: 44,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  quicTransportParameters: 57,
  encryptedClientHello: 0xfe0d,
  renegotiationInfo: 0xff01,
} as const;
