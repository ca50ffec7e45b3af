import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { isHttpRequest, sniffHttp } from '../../../src/protocol/http.js';
import { EMPTY, hex, text } from './bytes.js';

describe('HTTP sniffing', () => {
  for (const method of ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH', 'TRACE']) {
    it(`request line "${method} ..."`, () => {
      expect(isHttpRequest(text(`${method} / HTTP/1.1\r\n`))).toBe(true);
    });
  }

  it('HTTP/2 prior-knowledge preface', () => {
    expect(detectProtocol('tcp', text('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), EMPTY)).toBe('http');
  });

  it('not a method: no space after it, lower case, or unknown', () => {
    expect(isHttpRequest(text('GETX / HTTP/1.1'))).toBe(false);
    expect(isHttpRequest(text('get / HTTP/1.1'))).toBe(false);
    expect(isHttpRequest(text('FETCH / HTTP/1.1'))).toBe(false);
    expect(isHttpRequest(text('GET'))).toBe(false);
  });

  it('a response "HTTP/1." from the server', () => {
    expect(sniffHttp(EMPTY, text('HTTP/1.1 400 Bad Request\r\n'))).toBe('server');
    expect(detectProtocol('tcp', hex('00 01 02 03'), text('HTTP/1.0 200 OK\r\n'))).toBe('http');
  });

  it('the client decides: plaintext HTTP to a TLS server is HTTP, a ClientHello to an HTTP server is TLS', () => {
    expect(detectProtocol('tcp', text('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), hex('15 03 01 00 02 02 46'))).toBe('http');
    expect(detectProtocol('tcp', hex('16 03 01 00 c8 01 00 00 c4 03 03'), text('HTTP/1.1 400 Bad Request\r\n'))).toBe('tls');
  });
});
