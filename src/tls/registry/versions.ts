/**
 * Protocol version names. Data from RFC 6101 (SSL 3.0), RFC 2246/4346/5246/8446 (TLS 1.0-1.3),
 * RFC 4347/6347/9147 (DTLS 1.0/1.2/1.3, which count down from 0xfeff), draft-hickman (SSL 2.0
 * says 0x0002) and the TLS 1.3 drafts (0x7f00 + draft number, draft-ietf-tls-tls13 §4.2.1).
 */

export const VERSIONS: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0002, 'SSL 2.0'],
  [0x0300, 'SSL 3.0'],
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
  [0xfeff, 'DTLS 1.0'],
  [0xfefd, 'DTLS 1.2'],
  [0xfefc, 'DTLS 1.3'],
  // OpenSSL before 0.9.8f wrote 0x0100 for DTLS 1.0 (its pre-RFC 4347 draft number).
  [0x0100, 'DTLS 1.0 (OpenSSL pre-0.9.8f)'],
]);

/** Well-known version numbers, for code that compares them. */
export const VERSION = {
  SSL2: 0x0002,
  SSL3: 0x0300,
  TLS10: 0x0301,
  TLS11: 0x0302,
  TLS12: 0x0303,
  TLS13: 0x0304,
  DTLS10: 0xfeff,
  DTLS12: 0xfefd,
  DTLS13: 0xfefc,
} as const;

/**
 * "TLS 1.2", "SSL 3.0", "DTLS 1.2", "TLS 1.3 draft-23" (0x7f17), or `0x%04x` for anything else
 * (GREASE included).
 */
export function versionName(v: number): string {
  const name = VERSIONS.get(v);
  if (name !== undefined) return name;
  // The TLS 1.3 drafts advertised 0x7f00 | draft number (draft-ietf-tls-tls13-28 §4.2.1).
  if (v >> 8 === 0x7f) return `TLS 1.3 draft-${v & 0xff}`;
  return '0x' + (v & 0xffff).toString(16).padStart(4, '0');
}
