import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { EMPTY, hex, text } from './bytes.js';

describe('detectProtocol', () => {
  it('none when neither side sent a byte', () => {
    expect(detectProtocol('tcp', EMPTY, EMPTY)).toBe('none');
    expect(detectProtocol('udp', EMPTY, EMPTY)).toBe('none');
  });

  it('unknown when nothing matches', () => {
    expect(detectProtocol('tcp', text('1QTV0'), text('1QTV00'))).toBe('unknown');
    expect(detectProtocol('udp', hex('01 00 00 00 90 43 16 4c'), hex('02 00 00 00 5a 80 d2 4e'))).toBe('unknown');
  });

  it('sniffers belong to their transport', () => {
    const tls = hex('16 03 01 00 c8 01 00 00 c4 03 03');
    const quic = hex('c3 00000001 08 0102030405060708 00 00 00');
    expect(detectProtocol('udp', tls, EMPTY)).toBe('unknown');
    expect(detectProtocol('tcp', quic, EMPTY)).toBe('unknown');
  });

  it('the client\'s opening wins over the server\'s reply', () => {
    expect(detectProtocol('tcp', text('SSH-2.0-x\r\n'), text('HTTP/1.1 400 Bad Request\r\n'))).toBe('ssh');
  });

  it('a client preamble names the flow; findTlsStart finds the TLS behind it', () => {
    expect(detectProtocol('tcp', text('CONNECT example.com:443 HTTP/1.1\r\n\r\n'), text('HTTP/1.1 200 Connection established\r\n\r\n'))).toBe('http');
  });
});
