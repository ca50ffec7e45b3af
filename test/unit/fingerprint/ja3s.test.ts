import { describe, expect, it } from 'vitest';
import { ja3s } from '../../../src/fingerprint/ja3s.js';
import { exts, serverHello } from './hello.js';

describe('ja3s', () => {
  it('version,cipher,extensions in wire order (badcurveball.pcap, tshark)', () => {
    const sh = serverHello({ version: 0x0303, cipher: 49195, extensions: exts(0, 65281, 11, 35, 16) });
    expect(ja3s(sh)).toEqual({ raw: '771,49195,0-65281-11-35-16', hash: '2d1eb5817ece335c24904f516ad5da12' });
  });

  it('keeps the trailing comma when there are no extensions ("769,57,")', () => {
    const sh = serverHello({ version: 0x0301, cipher: 57, hasExtensionsBlock: false });
    expect(ja3s(sh)).toEqual({ raw: '769,57,', hash: '9a2c6bfd476184689a786457f33ece3a' });
  });

  it('uses the legacy version for TLS 1.3 (771), not supported_versions', () => {
    const sh = serverHello({ version: 0x0303, selectedVersion: 0x0304, cipher: 4865, extensions: exts(43, 51) });
    expect(ja3s(sh)).toEqual({ raw: '771,4865,43-51', hash: 'f4febc55ea12b31ae17cfb7e614afda8' });
  });

  it('removes GREASE extensions', () => {
    const sh = serverHello({ cipher: 4865, extensions: exts(0x0a0a, 43, 51, 0xdada) });
    expect(ja3s(sh)?.raw).toBe('771,4865,43-51');
  });

  it('is null for an SSL 2.0 ServerHello', () => {
    expect(ja3s(serverHello({ sslv2: true, version: 0x0002 }))).toBeNull();
  });
});
