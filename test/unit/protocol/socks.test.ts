import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { sniffSocks } from '../../../src/protocol/socks.js';
import { EMPTY, cat, hex, text } from './bytes.js';

describe('SOCKS4', () => {
  // CONNECT to 93.184.216.119:443, empty user id.
  const connect = hex('04 01 01 bb 5d b8 d8 77 00');

  it('CONNECT request, with or without the reply', () => {
    expect(sniffSocks(connect, EMPTY)).toBe('client');
    expect(detectProtocol('tcp', connect, hex('00 5a 01 bb 5d b8 d8 77'))).toBe('socks');
  });

  it('SOCKS4a: user id and host name', () => {
    const request = cat(hex('04 01 01 bb 00 00 00 01'), text('user\0example.com\0'));
    expect(detectProtocol('tcp', request, hex('00 5a 00 00 00 00 00 00'))).toBe('socks');
  });

  it('not SOCKS4: bad command, no user-id terminator, a reply that is not SOCKS', () => {
    expect(sniffSocks(hex('04 03 01 bb 5d b8 d8 77 00'), EMPTY)).toBeNull();
    expect(sniffSocks(hex('04 01 01 bb 5d b8 d8 77 41'), EMPTY)).toBeNull();
    expect(sniffSocks(connect, text('HTTP/1.1 400 Bad Request'))).toBeNull();
  });
});

describe('SOCKS5', () => {
  it('greeting and method selection', () => {
    expect(detectProtocol('tcp', hex('05 01 00'), hex('05 00'))).toBe('socks');
    expect(detectProtocol('tcp', hex('05 02 00 02'), hex('05 02'))).toBe('socks');
    expect(detectProtocol('tcp', hex('05 01 02'), hex('05 ff'))).toBe('socks');
  });

  it('greeting followed by a CONNECT request (client bytes of several packets)', () => {
    const bytes = hex('05 02 00 01  05 01 00 03 0b') ;
    expect(sniffSocks(cat(bytes, text('example.com'), hex('01 bb')), EMPTY)).toBe('client');
  });

  it('not SOCKS5: no methods, too short, method 0xff offered, garbage after the greeting, a foreign reply', () => {
    expect(sniffSocks(hex('05 00'), EMPTY)).toBeNull();
    expect(sniffSocks(hex('05 03 00 01'), EMPTY)).toBeNull();
    expect(sniffSocks(hex('05 01 ff'), EMPTY)).toBeNull();
    expect(sniffSocks(hex('05 01 00 47 45 54 20'), EMPTY)).toBeNull();
    expect(sniffSocks(hex('05 01 00'), hex('05 02'))).toBeNull();
  });

  it('a server reply alone is never SOCKS', () => {
    expect(detectProtocol('tcp', EMPTY, hex('05 00'))).toBe('unknown');
  });
});
