/**
 * What ClientHello and ServerHello both start with (RFC 8446 §4.1.2, §4.1.3): the legacy
 * version and the 32-byte random. The body is copied once here, so the hello model built from
 * the returned reader owns its bytes and outlives the packet.
 */
import { ByteReader } from '../bytes/reader.js';

export interface HelloStart {
  /** Positioned after the random, over an owned copy of the body. */
  r: ByteReader;
  version: number;
  random: Uint8Array;
}

/** The start of a hello body, or null when the body is too short for it. */
export function readHelloStart(body: Uint8Array): HelloStart | null {
  const r = new ByteReader(body.slice());
  const version = r.u16();
  const random = r.bytes(32);
  return r.ok ? { r, version, random } : null;
}
