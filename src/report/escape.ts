/**
 * Untrusted strings (SNI, certificate names, ALPN) come from the capture: an attacker controls
 * every byte. These helpers make them safe to show.
 */

/** For a terminal: control characters, DEL, C1 controls and backslash become visible escapes. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** For HTML text and attribute values. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** For one CSV field (RFC 4180), also defusing spreadsheet formulas (=, +, -, @ at the start). */
export function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
