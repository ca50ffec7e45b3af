import { describe, expect, it } from 'vitest';
import { ipToString } from '../../../src/decode/ip-address.js';
import { hex } from './helpers.js';

const v6 = (h: string) => ipToString(hex(h), 0, 6);

describe('ipToString', () => {
  it('IPv4 dotted quad, at an offset', () => {
    expect(ipToString(hex('ffff c0000201'), 2, 4)).toBe('192.0.2.1');
    expect(ipToString(hex('00000000'), 0, 4)).toBe('0.0.0.0');
  });

  it('IPv6 in RFC 5952 form', () => {
    expect(v6('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(v6('00000000000000000000000000000000')).toBe('::');
    expect(v6('00000000000000000000000000000001')).toBe('::1');
    expect(v6('00010000000000000000000000000000')).toBe('1::');
    // §4.2.2: a single zero group stays
    expect(v6('20010db8000000010001000100010001')).toBe('2001:db8:0:1:1:1:1:1');
    // §4.2.3: the longest run is shortened, the first one on a tie
    expect(v6('20010000000000010000000000000001')).toBe('2001:0:0:1::1');
    expect(v6('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1');
    // §4.3: lowercase; §4.1: no leading zeros
    expect(v6('2001ABCD00AB0CDE0000000000000ABC')).toBe('2001:abcd:ab:cde::abc');
  });

  it('IPv4-mapped addresses in mixed notation (§5)', () => {
    expect(v6('00000000000000000000ffffc0000201')).toBe('::ffff:192.0.2.1');
  });
});
