/**
 * The common shape of the protocol sniffers: each looks at the first bytes each side of a flow
 * sent (either may be empty, at most a few KB) and says which side's bytes proved its protocol.
 * Opening bytes from the client weigh more than a server's reply (see detect.ts).
 */

/** Which side's bytes matched: the client's opening, the server's reply, or neither. */
export type Evidence = 'client' | 'server' | null;

export type Sniffer = (client: Uint8Array, server: Uint8Array) => Evidence;

/** Evidence from two independent checks, the client's first. */
export function evidence(clientMatches: boolean, serverMatches: boolean): Evidence {
  if (clientMatches) return 'client';
  return serverMatches ? 'server' : null;
}

/** True when `bytes` holds the ASCII `text` at `offset`. */
export function hasAscii(bytes: Uint8Array, text: string, offset = 0): boolean {
  if (offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Big-endian 16-bit value at `offset` (the caller checks the length). */
export function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** Big-endian 32-bit value at `offset`, unsigned (the caller checks the length). */
export function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}
