/**
 * Alert names. Data, not logic: the IANA "TLS Alerts" registry
 * (https://www.iana.org/assignments/tls-parameters/, tls-parameters-6), names in the snake_case
 * RFC 8446 §6 writes them; 41 (no_certificate) is SSL 3.0's, reserved since TLS 1.1.
 */

export const ALERT_DESCRIPTIONS: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed'],
  [22, 'record_overflow'],
  [30, 'decompression_failure'],
  [40, 'handshake_failure'],
  [41, 'no_certificate'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [52, 'too_many_cids_requested'],
  [60, 'export_restriction'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
  [121, 'ech_required'],
]);

/** RFC 8446 §6: "enum { warning(1), fatal(2), (255) } AlertLevel;" */
export const ALERT_LEVELS: ReadonlyMap<number, string> = new Map<number, string>([
  [1, 'warning'],
  [2, 'fatal'],
]);

/** The alert description name, or `alert_<n>` for an unassigned value. */
export function alertName(description: number): string {
  return ALERT_DESCRIPTIONS.get(description) ?? `alert_${description}`;
}
