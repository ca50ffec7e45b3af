import { describe, expect, it } from 'vitest';
import { derWellFormed, integerBits, integerHex, isoSeconds, oidString, readChildren, readTime, readTlv, TAG } from '../../../src/x509/der.js';
import { hex } from '../tls/helpers.js';
import { oid, tlv } from './der-builder.js';

const t = (b: Uint8Array) => readTlv(b, 0, b.length)!;

describe('readTlv', () => {
  it('reads short and long definite lengths', () => {
    expect(readTlv(hex('020101'), 0, 3)).toEqual({ cls: 0, constructed: false, tag: 2, start: 0, valueStart: 2, end: 3 });
    const long = Uint8Array.from([0x04, 0x82, 0x01, 0x00, ...new Uint8Array(256)]);
    expect(readTlv(long, 0, long.length)?.end).toBe(260);
  });

  it('reads high tag numbers and context classes', () => {
    expect(readTlv(hex('9f810001ff'), 0, 5)).toMatchObject({ cls: 0x80, tag: 128, valueStart: 4, end: 5 });
    expect(readTlv(hex('a30100'), 0, 2)).toBeNull(); // content runs past the limit
  });

  it('rejects indefinite lengths, more than 4 length octets and overruns', () => {
    expect(readTlv(hex('30800000'), 0, 4)).toBeNull();
    expect(readTlv(hex('04850000000001ff'), 0, 8)).toBeNull();
    expect(readTlv(hex('040500'), 0, 3)).toBeNull();
    expect(readTlv(hex('04'), 0, 1)).toBeNull();
  });

  it('lists children only when they tile the parent exactly', () => {
    expect(readChildren(hex('3006020101020102'), t(hex('3006020101020102')))?.length).toBe(2);
    expect(readChildren(hex('30050201010201'), t(hex('30050201010201')))).toBeNull();
    expect(readChildren(hex('3006020101020102'), t(hex('3006020101020102')), 1)).toBeNull();
  });
});

describe('oidString', () => {
  it('decodes the first two arcs and multi-byte arcs', () => {
    const o = oid('1.2.840.113549.1.1.11');
    expect(oidString(o, 2, o.length)).toBe('1.2.840.113549.1.1.11');
    const j = oid('2.999.3');
    expect(oidString(j, 2, j.length)).toBe('2.999.3');
  });

  it('keeps 128-bit UUID arcs exact (BigInt)', () => {
    const dotted = '2.25.329800735698586629295641978511506172918';
    const o = oid(dotted);
    expect(oidString(o, 2, o.length)).toBe(dotted);
  });

  it('rejects an unfinished last arc and empty input', () => {
    expect(oidString(hex('2a86'), 0, 2)).toBeNull();
    expect(oidString(hex(''), 0, 0)).toBeNull();
  });
});

describe('INTEGER helpers', () => {
  it('serial hex drops leading zero octets, keeps zero as "0"', () => {
    const b = hex('020500ab00cdef');
    expect(integerHex(b, t(b))).toBe('ab00cdef');
    const z = hex('020100');
    expect(integerHex(z, t(z))).toBe('0');
  });

  it('modulus bit length', () => {
    const b = Uint8Array.from([0x02, 0x03, 0x00, 0x80, 0x01]);
    expect(integerBits(b, t(b))).toBe(16);
  });
});

describe('readTime', () => {
  const time = (tag: number, s: string) => {
    const b = tlv(tag, Buffer.from(s, 'latin1'));
    return readTime(b, t(b));
  };

  it('UTCTime: 50..99 is 19xx, 00..49 is 20xx (RFC 5280 §4.1.2.5.1)', () => {
    expect(time(TAG.UTC_TIME, '491231235959Z')?.iso).toBe('2049-12-31T23:59:59Z');
    expect(time(TAG.UTC_TIME, '500101000000Z')?.iso).toBe('1950-01-01T00:00:00Z');
    expect(time(TAG.UTC_TIME, '500101000000Z')?.epoch).toBe(Date.UTC(1950, 0, 1) / 1000);
  });

  it('GeneralizedTime, pre-1970 and far-future dates', () => {
    expect(time(TAG.GENERALIZED_TIME, '19000101000000Z')).toEqual({ epoch: Date.UTC(1900, 0, 1) / 1000, iso: '1900-01-01T00:00:00Z' });
    expect(time(TAG.GENERALIZED_TIME, '99991231235959Z')?.iso).toBe('9999-12-31T23:59:59Z');
    expect(time(TAG.GENERALIZED_TIME, '00010101000000Z')?.iso).toBe('0001-01-01T00:00:00Z');
    expect(time(TAG.GENERALIZED_TIME, '20240229120000.123Z')?.iso).toBe('2024-02-29T12:00:00Z');
  });

  it('applies offsets and lenient forms', () => {
    expect(time(TAG.UTC_TIME, '2401011200+0130')?.iso).toBe('2024-01-01T10:30:00Z');
    expect(time(TAG.GENERALIZED_TIME, '2024010112')?.iso).toBe('2024-01-01T12:00:00Z');
  });

  it('rejects impossible dates and garbage', () => {
    expect(time(TAG.UTC_TIME, '230230000000Z')).toBeNull();
    expect(time(TAG.UTC_TIME, '231301000000Z')).toBeNull();
    expect(time(TAG.UTC_TIME, '2301010000\u0000Z')).toBeNull();
    expect(time(TAG.GENERALIZED_TIME, '')).toBeNull();
  });

  it('isoSeconds round-trips through Date for ordinary dates', () => {
    for (const ms of [0, -1e12, 1.7e12, 253402300799000]) expect(isoSeconds(ms / 1000)).toBe(new Date(ms).toISOString().replace('.000Z', 'Z'));
  });
});

describe('derWellFormed', () => {
  it('accepts nested TLVs and enforces the depth cap without recursion', () => {
    let b: Uint8Array = hex('0500');
    for (let i = 0; i < 40; i++) b = tlv(0x30, b);
    expect(derWellFormed(b, 0, b.length, 64)).toBe(true);
    expect(derWellFormed(b, 0, b.length, 32)).toBe(false);
    expect(derWellFormed(hex('3003020101ff'), 0, 6)).toBe(false);
  });
});
