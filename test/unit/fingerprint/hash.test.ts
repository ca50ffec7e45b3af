import { describe, expect, it } from 'vitest';
import { hash12, md5Hex, sha256Hex } from '../../../src/fingerprint/hash.js';

describe('hash helpers', () => {
  it('md5Hex is lowercase hex', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('hash12 is the first 12 lowercase hex characters of sha256', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hash12('')).toBe('e3b0c44298fc');
    // JA4.md cipher example.
    expect(hash12('002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9')).toBe('8daaf6152771');
  });
});
