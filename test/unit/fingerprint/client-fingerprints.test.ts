import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFingerprints, fingerprintKey } from '../../../src/fingerprint/client-fingerprints.js';
import { ja3 } from '../../../src/fingerprint/ja3.js';
import { ja4 } from '../../../src/fingerprint/ja4.js';
import { LIMITS } from '../../../src/config/limits.js';
import { ascii, clientHello, exts } from './hello.js';

const CHROME_LIKE = {
  ciphers: [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b],
  extensions: exts(0x1a1a, 0x0000, 0x0010, 0x000d, 0x002b, 0x0033, 0x2a2a),
  sni: 'a.example',
  alpn: [ascii('h2')],
  supportedVersions: [0x3a3a, 0x0304, 0x0303],
  supportedGroups: [0x4a4a, 0x001d, 0x0017],
  signatureAlgorithms: [0x0403, 0x0804],
};

describe('clientFingerprints: JA3 and JA4 remembered by the values they read', () => {
  it('hellos that differ only in GREASE choices, SNI value, random and session id share one result', () => {
    const a = clientHello(CHROME_LIKE);
    const b = clientHello({
      ...CHROME_LIKE,
      ciphers: [0xdada, ...CHROME_LIKE.ciphers.slice(1)],
      extensions: exts(0x5a5a, 0x0000, 0x0010, 0x000d, 0x002b, 0x0033, 0x6a6a),
      sni: 'b.example',
      supportedVersions: [0x7a7a, 0x0304, 0x0303],
      random: new Uint8Array(32).fill(7),
      sessionId: new Uint8Array(32).fill(9),
    });
    expect(fingerprintKey(a)).toBe(fingerprintKey(b));
    expect(clientFingerprints(b)).toBe(clientFingerprints(a));
    expect(clientFingerprints(a)).toEqual({ ja3: ja3(a), ja4: ja4(a) });
  });

  it('any fingerprinted value tells hellos apart: first ALPN bytes, extension order, SNI presence, transport', () => {
    const base = clientHello(CHROME_LIKE);
    const variants = [
      clientHello({ ...CHROME_LIKE, alpn: [ascii('h3')] }),
      clientHello({ ...CHROME_LIKE, alpn: [] }),
      clientHello({ ...CHROME_LIKE, extensions: exts(0x0010, 0x0000, 0x000d, 0x002b, 0x0033) }),
      clientHello({ ...CHROME_LIKE, extensions: exts(0x0010, 0x000d, 0x002b, 0x0033) }),
      clientHello({ ...CHROME_LIKE, transport: 'q' }),
      clientHello({ ...CHROME_LIKE, ecPointFormats: [0] }),
      clientHello({ ...CHROME_LIKE, version: 0x0301 }),
    ];
    const keys = new Set([base, ...variants].map(fingerprintKey));
    expect(keys.size).toBe(variants.length + 1);
    for (const ch of variants) expect(clientFingerprints(ch)).toEqual({ ja3: ja3(ch), ja4: ja4(ch) });
  });

  it('an SSLv2-compatible hello has neither fingerprint', () => {
    expect(clientFingerprints(clientHello({ sslv2: true, ciphers: [0x0004] }))).toEqual({ ja3: null, ja4: null });
  });

  it('property: always what ja3() and ja4() compute, also past the memo bound and for keys too long to remember', () => {
    const u16 = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0x0a0a, 0x1a1a, 0x0000, 0x0010, 0x002b));
    const hello = fc.record({
      transport: fc.constantFrom<'t' | 'q' | 'd'>('t', 'q', 'd'),
      version: fc.constantFrom(0x0301, 0x0303, 0xfefd),
      ciphers: fc.array(u16, { maxLength: 40 }),
      extensionTypes: fc.array(u16, { maxLength: 20 }),
      supportedGroups: fc.array(u16, { maxLength: 8 }),
      ecPointFormats: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
      signatureAlgorithms: fc.array(u16, { maxLength: 10 }),
      supportedVersions: fc.array(u16, { maxLength: 4 }),
      alpn: fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(hello, ({ extensionTypes, ...fields }) => {
        const ch = clientHello({ ...fields, extensions: exts(...extensionTypes) });
        expect(clientFingerprints(ch)).toEqual({ ja3: ja3(ch), ja4: ja4(ch) });
      }),
      { numRuns: LIMITS.maxMemoEntries + 500 },
    );
    const huge = clientHello({ ciphers: Array.from({ length: 5000 }, (_, i) => i) });
    expect(fingerprintKey(huge)).toBeNull();
    expect(clientFingerprints(huge)).toEqual({ ja3: ja3(huge), ja4: ja4(huge) });
  });
});
