import { describe, expect, it } from 'vitest';
import { ja3, ja3Parts } from '../../../src/fingerprint/ja3.js';
import { clientHello, exts } from './hello.js';

describe('ja3 (salesforce/ja3 README vectors)', () => {
  it('769,47-53-...,0-10-11,23-24-25,0 -> ada70206e40642a3e4461f35503241d5', () => {
    const ch = clientHello({
      version: 0x0301,
      ciphers: [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
      extensions: exts(0, 10, 11),
      supportedGroups: [23, 24, 25],
      ecPointFormats: [0],
    });
    expect(ja3(ch)).toEqual({
      raw: '769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0',
      hash: 'ada70206e40642a3e4461f35503241d5',
    });
  });

  it('no extensions: "the fields are left empty" and keep their commas -> de350869b8c85de67a350c8d186f11e6', () => {
    const ch = clientHello({ version: 0x0301, ciphers: [4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99], hasExtensionsBlock: false });
    expect(ja3(ch)).toEqual({ raw: '769,4-5-10-9-100-98-3-6-19-18-99,,,', hash: 'de350869b8c85de67a350c8d186f11e6' });
  });
});

describe('ja3 rules', () => {
  it('removes GREASE from ciphers, extensions and curves, with no stray "-" when the last extension is GREASE', () => {
    const ch = clientHello({
      ciphers: [0x0a0a, 4865, 4866],
      extensions: exts(0x1a1a, 0, 23, 10, 11, 0xfafa),
      supportedGroups: [0x2a2a, 29, 23],
      ecPointFormats: [0],
    });
    expect(ja3(ch)?.raw).toBe('771,4865-4866,0-23-10-11,29-23,0');
  });

  it('keeps padding (21) and wire order', () => {
    const ch = clientHello({ ciphers: [47], extensions: exts(21, 0, 65281, 10), supportedGroups: [23] });
    expect(ja3(ch)?.raw).toBe('771,47,21-0-65281-10,23,');
  });

  it('uses the hello legacy version, not the record version nor supported_versions (TLS 1.3 -> 771)', () => {
    const ch = clientHello({
      recordVersion: 0x0301,
      version: 0x0303,
      ciphers: [4865],
      extensions: exts(43),
      supportedVersions: [0x0304, 0x0303],
    });
    expect(ja3Parts(ch)?.version).toBe(771);
    expect(ja3(ch)?.raw).toBe('771,4865,43,,');
  });

  it('extensions but no curves or point formats leave those fields empty', () => {
    const ch = clientHello({ ciphers: [47], extensions: exts(0, 13) });
    expect(ja3(ch)?.raw).toBe('771,47,0-13,,');
  });

  it('empty cipher list keeps its field', () => {
    expect(ja3(clientHello({ ciphers: [] }))?.raw).toBe('771,,,,');
  });

  it('is null for an SSLv2-compatible hello (ja3.py emits nothing)', () => {
    expect(ja3(clientHello({ sslv2: true, version: 0x0301, ciphers: [4, 5] }))).toBeNull();
  });
});
