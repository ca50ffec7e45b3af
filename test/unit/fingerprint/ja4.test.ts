import { describe, expect, it } from 'vitest';
import { JA4_EMPTY_HASH, ja4, ja4Alpn, ja4Parts, ja4Version } from '../../../src/fingerprint/ja4.js';
import { hash12 } from '../../../src/fingerprint/hash.js';
import { ascii, clientHello, exts } from './hello.js';

// The JA4.md worked example, in wire order.
const CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const EXTENSIONS = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
const SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

const SORTED_CIPHERS = '002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9';
const SORTED_EXTENSIONS = '0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01';
const SIGALG_LIST = '0403,0804,0401,0503,0805,0501,0806,0601';

/** The worked example as a Chrome-like hello, GREASE sprinkled everywhere. */
function workedExample(over: Parameters<typeof clientHello>[0] = {}) {
  return clientHello({
    version: 0x0303,
    ciphers: [0x0a0a, ...CIPHERS],
    extensions: exts(0x1a1a, ...EXTENSIONS, 0x2a2a),
    sni: 'example.com',
    alpn: [ascii('h2'), ascii('http/1.1')],
    supportedVersions: [0x3a3a, 0x0304, 0x0303],
    signatureAlgorithms: SIGALGS,
    ...over,
  });
}

describe('ja4: JA4.md worked example', () => {
  it('t13d1516h2_8daaf6152771_e5627efa2ab1 and its raw / original renderings', () => {
    expect(ja4(workedExample())).toEqual({
      ja4: 't13d1516h2_8daaf6152771_e5627efa2ab1',
      ja4_r: `t13d1516h2_${SORTED_CIPHERS}_${SORTED_EXTENSIONS}_${SIGALG_LIST}`,
      // JA4.md "Raw Output": JA4_ro and JA4_o of the same hello.
      ja4_ro:
        't13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601',
      ja4_o: 't13d1516h2_acb858a92679_18f69afefd3d',
    });
  });

  it('no signature algorithms: the extension string ends without "_" -> 6d807ffa2a79', () => {
    const fp = ja4(workedExample({ signatureAlgorithms: [] }));
    expect(fp.ja4).toBe('t13d1516h2_8daaf6152771_6d807ffa2a79');
    expect(fp.ja4_r).toBe(`t13d1516h2_${SORTED_CIPHERS}_${SORTED_EXTENSIONS}`);
  });

  it('GREASE inside signature_algorithms is dropped (sigalg-grease.pcapng, FoxIO python baseline)', () => {
    const ch = clientHello({
      ciphers: [0x5a5a, ...CIPHERS],
      extensions: exts(0x6a6a, 0xfe0d, 0x0010, 0x0017, 0x0033, 0x44cd, 0xff01, 0x000a, 0x000d, 0x0023, 0x002b, 0x000b, 0xca34, 0x002d, 0x0000, 0x0005, 0x001b, 0x0012, 0x7a7a),
      alpn: [ascii('h2')],
      supportedVersions: [0x8a8a, 0x0304, 0x0303],
      signatureAlgorithms: [0x0904, 0x0905, 0x0906, 0x9a9a, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
    });
    const fp = ja4(ch);
    expect(fp.ja4).toBe('t13d1517h2_8daaf6152771_cb7bf5808d99');
    expect(fp.ja4_o).toBe('t13d1517h2_acb858a92679_88bf22a3e888');
    expect(fp.ja4_r.endsWith('_0904,0905,0906,0403,0804,0401,0503,0805,0501,0806,0601')).toBe(true);
  });

  it('non-alphanumeric ALPN BA AD gives "bd" (spec, overriding FoxIO\'s "99")', () => {
    const fp = ja4(workedExample({ alpn: [new Uint8Array([0xba, 0xad])] }));
    expect(fp.ja4).toBe('t13d1516bd_8daaf6152771_e5627efa2ab1');
  });
});

describe('ja4Alpn: "first and last characters of first ALPN extension value"', () => {
  const cases: Array<[string, number[], string]> = [
    ['h2', [...ascii('h2')], 'h2'],
    ['http/1.1', [...ascii('http/1.1')], 'h1'],
    ['single character "b"', [...ascii('b')], 'bb'],
    ['0xAB', [0xab], 'ab'],
    ['0x20 (space)', [0x20], '20'],
    ['0xAB 0xCD', [0xab, 0xcd], 'ad'],
    ['0x61 0x20', [0x61, 0x20], '60'],
    ['0x30 0xAB', [0x30, 0xab], '3b'],
    ['0x30 0x31 0xAB 0xCD', [0x30, 0x31, 0xab, 0xcd], '3d'],
    ['0x30 0xAB 0xCD 0x31', [0x30, 0xab, 0xcd, 0x31], '01'],
    ['0xBA 0xAD', [0xba, 0xad], 'bd'],
    ['empty first value', [], '00'],
  ];
  for (const [name, bytes, want] of cases) {
    it(`${name} -> ${want}`, () => expect(ja4Alpn(new Uint8Array(bytes))).toBe(want));
  }

  it('no ALPN extension or no values -> 00', () => {
    expect(ja4Alpn(undefined)).toBe('00');
    expect(ja4Parts(clientHello({ extensions: exts(16), alpn: [] })).a).toBe('t12i000100');
  });

  it('only the first ALPN value counts', () => {
    expect(ja4Parts(clientHello({ extensions: exts(16), alpn: [ascii('http/1.1'), ascii('h2')] })).a).toBe('t12i0001h1');
  });
});

describe('ja4Version', () => {
  it('highest non-GREASE supported_versions value, else the hello legacy version; record version ignored', () => {
    expect(ja4Version(clientHello({ recordVersion: 0x0301, version: 0x0303 }))).toBe('12');
    expect(ja4Version(clientHello({ version: 0x0303, supportedVersions: [0x0a0a, 0x0303, 0x0304] }))).toBe('13');
    expect(ja4Version(clientHello({ version: 0x0303, supportedVersions: [0xfafa] }))).toBe('12');
    expect(ja4Version(clientHello({ version: 0x0302 }))).toBe('11');
    expect(ja4Version(clientHello({ version: 0x0301 }))).toBe('10');
    expect(ja4Version(clientHello({ version: 0x0300 }))).toBe('s3');
    expect(ja4Version(clientHello({ version: 0x0002 }))).toBe('s2');
    expect(ja4Version(clientHello({ version: 0x0100 }))).toBe('00');
    expect(ja4Version(clientHello({ version: 0x7e01 }))).toBe('00');
  });

  it('DTLS: d1/d2/d3, "highest" taken numerically (0xfefd beats 0xfefc)', () => {
    expect(ja4Version(clientHello({ transport: 'd', version: 0xfeff }))).toBe('d1');
    expect(ja4Version(clientHello({ transport: 'd', version: 0xfefd }))).toBe('d2');
    expect(ja4Version(clientHello({ transport: 'd', version: 0xfefd, supportedVersions: [0xfefc] }))).toBe('d3');
    expect(ja4Version(clientHello({ transport: 'd', version: 0xfefd, supportedVersions: [0xfefc, 0xfefd] }))).toBe('d2');
  });
});

describe('ja4 section a', () => {
  it('transport prefix comes from the model: q for QUIC, d for DTLS', () => {
    expect(ja4(workedExample({ transport: 'q' })).ja4).toBe('q13d1516h2_8daaf6152771_e5627efa2ab1');
    expect(ja4(clientHello({ transport: 'd', version: 0xfefd, ciphers: [0xc02b] })).ja4.slice(0, 10)).toBe('dd2i010000');
  });

  it('SNI d/i by presence of extension 0, whatever its value', () => {
    expect(ja4Parts(clientHello({ extensions: exts(0), sni: null })).a).toBe('t12d000100');
    expect(ja4Parts(clientHello({ extensions: exts(10), sni: 'x' })).a).toBe('t12i000100');
  });

  it('counts SCSV and reserved values but not GREASE', () => {
    const ch = clientHello({ ciphers: [0x0a0a, 0x00ff, 0x5600, 0xfe00, 0x002f], extensions: exts(0x0a0a, 0x0015, 0xfe0d) });
    expect(ja4Parts(ch).a).toBe('t12i040200');
    expect(ja4(ch).ja4_r).toBe('t12i040200_002f,00ff,5600,fe00_0015,fe0d');
  });

  it('caps counts at 99', () => {
    const ciphers = Array.from({ length: 120 }, (_, i) => 0x1000 + i);
    const extensions = exts(...Array.from({ length: 105 }, (_, i) => 0x2000 + i));
    const fp = ja4(clientHello({ ciphers, extensions }));
    expect(fp.ja4.slice(0, 10)).toBe('t12i999900');
    // The lists themselves are not truncated.
    expect(fp.ja4_r.split('_')[1]!.split(',')).toHaveLength(120);
  });
});

describe('ja4 empty lists', () => {
  it('no ciphers and no extensions: 000000000000 for both hashes, empty raw lists', () => {
    expect(ja4(clientHello({ ciphers: [], extensions: [] }))).toEqual({
      ja4: `t12i000000_${JA4_EMPTY_HASH}_${JA4_EMPTY_HASH}`,
      ja4_r: 't12i000000__',
      ja4_o: `t12i000000_${JA4_EMPTY_HASH}_${JA4_EMPTY_HASH}`,
      ja4_ro: 't12i000000__',
    });
  });

  it('only SNI and ALPN: extension hash 000000000000 in ja4 and ja4_o, raw original list keeps them', () => {
    const fp = ja4(clientHello({ ciphers: [0x002f], extensions: exts(0, 16), alpn: [ascii('h2')] }));
    expect(fp.ja4).toBe(`t12d0102h2_ba72b8082249_${JA4_EMPTY_HASH}`);
    expect(fp.ja4_o).toBe(`t12d0102h2_ba72b8082249_${JA4_EMPTY_HASH}`);
    expect(fp.ja4_r).toBe('t12d0102h2_002f_');
    expect(fp.ja4_ro).toBe('t12d0102h2_002f_0000,0010');
  });

  it('ciphers but none left after GREASE: 000000000000', () => {
    expect(ja4(clientHello({ ciphers: [0x0a0a], extensions: exts(10) })).ja4).toBe(`t12i000100_${JA4_EMPTY_HASH}_${hash12('000a')}`);
  });
});
