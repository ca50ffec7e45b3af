/** Cleartext HTTP/1.x (and an HTTP/2 prior-knowledge preface) on a TCP flow. */
import { type Evidence, evidence, hasAscii } from './sniffer.js';

// RFC 9110 §9 methods (and PATCH, RFC 5789); "PRI" only as the HTTP/2 preface below.
const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH', 'TRACE'];

/** RFC 9113 §3.4: "the connection preface starts with the string PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n". */
const H2_PREFACE = 'PRI * HTTP/2.0\r\n';

/** RFC 9112 §3: "request-line = method SP request-target SP HTTP-version". */
export function isHttpRequest(b: Uint8Array): boolean {
  return hasAscii(b, H2_PREFACE) || METHODS.some((m) => hasAscii(b, m) && b[m.length] === 0x20);
}

/** RFC 9112 §4: "status-line = HTTP-version SP status-code SP [ reason-phrase ]", HTTP-version "HTTP/1.x". */
export function isHttpResponse(b: Uint8Array): boolean {
  return hasAscii(b, 'HTTP/1.');
}

export function sniffHttp(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(isHttpRequest(client), isHttpResponse(server));
}
