/**
 * SOCKS 4 and 5 proxy openings. The client always speaks first; the server's short reply only
 * confirms (or refutes) what the client sent, it is never evidence on its own.
 */
import { type Evidence } from './sniffer.js';

/**
 * SOCKS4 (Ying-Da Lee, "SOCKS: A protocol for TCP proxy across firewalls"): the request is
 * "VN CD DSTPORT DSTIP USERID NULL" of "1 1 2 4 variable 1" bytes; "VN is the SOCKS protocol version
 * number and should be 4. CD is the SOCKS command code and should be 1 for CONNECT request" (2 for BIND).
 */
export function isSocks4Request(b: Uint8Array): boolean {
  return b.length >= 9 && b[0] === 4 && (b[1] === 1 || b[1] === 2) && b.indexOf(0, 8) !== -1;
}

/** SOCKS4 reply: "VN is the version of the reply code and should be 0", CD 90-93, 8 bytes. */
export function isSocks4Reply(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0 && b[1]! >= 90 && b[1]! <= 93;
}

/**
 * RFC 1928 §3: "VER | NMETHODS | METHODS" of "1 | 1 | 1 to 255" bytes; "The VER field is set to
 * X'05' for this version of the protocol. The NMETHODS field contains the number of method
 * identifier octets that appear in the METHODS field." X'FF' is "NO ACCEPTABLE METHODS", a reply only.
 * When the client's bytes go on past the greeting, what follows must be a §4 request:
 * "VER | CMD | RSV | ATYP" with CMD 1-3, RSV X'00', ATYP 1, 3 or 4.
 */
export function isSocks5Greeting(b: Uint8Array): boolean {
  if (b.length < 3 || b[0] !== 5) return false;
  const n = b[1]!;
  if (n === 0 || b.length < 2 + n) return false;
  for (let i = 2; i < 2 + n; i++) if (b[i] === 0xff) return false;
  const rest = b.subarray(2 + n);
  if (rest.length === 0) return true;
  return rest.length >= 4 && rest[0] === 5 && rest[1]! >= 1 && rest[1]! <= 3 && rest[2] === 0 && [1, 3, 4].includes(rest[3]!);
}

/** RFC 1928 §3: "The server selects from one of the methods given in METHODS, and sends a METHOD selection message: VER | METHOD". */
export function isSocks5Reply(greeting: Uint8Array, reply: Uint8Array): boolean {
  if (reply.length < 2 || reply[0] !== 5) return false;
  const method = reply[1]!;
  return method === 0xff || greeting.subarray(2, 2 + greeting[1]!).includes(method);
}

/** SOCKS when the client's opening is a SOCKS request and the server, if it answered, answered as SOCKS. */
export function sniffSocks(client: Uint8Array, server: Uint8Array): Evidence {
  if (isSocks4Request(client)) return server.length === 0 || isSocks4Reply(server) ? 'client' : null;
  if (isSocks5Greeting(client)) return server.length === 0 || isSocks5Reply(client, server) ? 'client' : null;
  return null;
}
