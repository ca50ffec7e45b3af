/** SSH: the identification string either side sends first. */
import { type Evidence, evidence, hasAscii } from './sniffer.js';

/**
 * RFC 4253 §4.2: "SSH-protoversion-softwareversion SP comments CR LF"; "protoversion MUST be 2.0",
 * and a server compatible with SSH 1 announces "1.99".
 */
function isBannerAt(b: Uint8Array, offset: number): boolean {
  return hasAscii(b, 'SSH-2.0-', offset) || hasAscii(b, 'SSH-1.99-', offset);
}

/** The client's first line is its identification string. */
export function isSshClientBanner(b: Uint8Array): boolean {
  return isBannerAt(b, 0);
}

/** RFC 4253 §4.2: "The server MAY send other lines of data before sending the version string." */
export function isSshServerBanner(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    if ((i === 0 || b[i - 1] === 0x0a) && isBannerAt(b, i)) return true;
  }
  return false;
}

export function sniffSsh(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(isSshClientBanner(client), isSshServerBanner(server));
}
