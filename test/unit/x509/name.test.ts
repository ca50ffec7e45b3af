import { describe, expect, it } from 'vitest';
import { escapeValue, readName, sameName } from '../../../src/x509/name.js';
import { readTlv } from '../../../src/x509/der.js';
import { name, oid, OID, printable, seq, set, tlv, utf8 } from './der-builder.js';

const read = (b: Uint8Array) => readName(b, readTlv(b, 0, b.length));

describe('RFC 4514 names', () => {
  it('writes the most specific RDN first', () => {
    const n = read(name([OID.C, printable('US')], [OID.O, 'Org'], [OID.CN, 'example.com']))!;
    expect(n.text).toBe('CN=example.com,O=Org,C=US');
    expect(n.commonNames).toEqual(['example.com']);
  });

  it('escapes the RFC 4514 §2.4 specials (the RFC §4 example)', () => {
    expect(escapeValue('James "Jim" Smith, III')).toBe('James \\"Jim\\" Smith\\, III');
    expect(escapeValue('a+b;c<d>e\\f')).toBe('a\\+b\\;c\\<d\\>e\\\\f');
    expect(escapeValue('#lead')).toBe('\\#lead');
    expect(escapeValue(' both ')).toBe('\\ both\\ ');
    expect(escapeValue('mid#dle = ok')).toBe('mid#dle = ok');
  });

  it('escapes NUL and control characters as hex pairs, and flags NUL', () => {
    const n = read(name([OID.CN, 'www.bank.com\u0000.evil.com\r\n\u0085']))!;
    expect(n.text).toBe('CN=www.bank.com\\00.evil.com\\0d\\0a\\c2\\85');
    expect(n.hasNul).toBe(true);
    expect(n.commonNames[0]).toBe('www.bank.com\u0000.evil.com\r\n\u0085');
  });

  it('joins a multi-valued RDN with + and writes unknown types as OID=#hex', () => {
    const b = seq(set(seq(oid(OID.CN), utf8('a')), seq(oid('2.5.4.11'), utf8('b'))), set(seq(oid('1.3.6.1.4.1.311.60.2.1.3'), printable('US'))));
    expect(read(b)!.text).toBe('1.3.6.1.4.1.311.60.2.1.3=#13025553,CN=a+OU=b');
  });

  it('decodes BMPString, UniversalString, TeletexString; undecodable values become #hex', () => {
    const bmp = tlv(0x1e, Buffer.from([0x00, 0x41, 0x04, 0x14]));
    const uni = tlv(0x1c, Buffer.from([0, 0, 0, 0x42, 0, 1, 0xf6, 0x00]));
    const t61 = tlv(0x14, Buffer.from([0x4d, 0xfc, 0x6e]));
    expect(read(name([OID.CN, bmp], [OID.O, uni], [OID.C, t61]))!.text).toBe('C=Mün,O=B😀,CN=AД');
    const badUtf8 = tlv(0x0c, Buffer.from([0xc3, 0x28]));
    expect(read(name([OID.CN, badUtf8]))!.text).toBe('CN=#0c02c328');
    const int = tlv(0x02, Buffer.from([1]));
    expect(read(name([OID.CN, int]))!.text).toBe('CN=#020101');
  });

  it('an empty name is "" and a malformed one is null', () => {
    expect(read(seq())!.text).toBe('');
    expect(read(seq(set()))).toBeNull();
    expect(read(seq(set(seq(oid(OID.CN)))))).toBeNull();
  });

  it('compares names across string encodings and case', () => {
    const a = name([OID.CN, printable('Example CA')]);
    const b = name([OID.CN, utf8('example ca')]);
    expect(sameName(a, read(a)!, b, read(b)!)).toBe(true);
    const c = name([OID.CN, utf8('other')]);
    expect(sameName(a, read(a)!, c, read(c)!)).toBe(false);
  });
});
