/** Test helpers: byte vectors from hex text, and a whole-capture run through CaptureParser. */
import { CaptureParser } from '../../../src/capture/capture-parser.js';
import type { CaptureProblem } from '../../../src/capture/packet.js';

/** Bytes from hex text; whitespace and `#` comments (to the end of the line) are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${clean}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A copy of what the parser handed out for one packet (the object itself is reused). */
export interface PacketCopy {
  tsUs: number;
  linkType: number;
  data: string;
  origLen: number;
  interfaceId: number;
}

export interface ParseResult {
  packets: PacketCopy[];
  problems: CaptureProblem[];
  secrets: { type: number; data: string }[];
  parser: CaptureParser;
}

/** Pushes `bytes` in pieces cut at `cuts` (sorted offsets), then ends. */
export function parseAll(bytes: Uint8Array, cuts: number[] = []): ParseResult {
  const packets: PacketCopy[] = [];
  const problems: CaptureProblem[] = [];
  const secrets: { type: number; data: string }[] = [];
  const parser = new CaptureParser(
    (p) => packets.push({ tsUs: p.tsUs, linkType: p.linkType, data: toHex(p.buf.subarray(p.start, p.end)), origLen: p.origLen, interfaceId: p.interfaceId }),
    (p) => problems.push(p),
    (type, data) => secrets.push({ type, data: toHex(data) }),
  );
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Each chunk is its own buffer, reused and scribbled over after push as a file reader does.
    const chunk = bytes.slice(prev, cut);
    parser.push(chunk);
    chunk.fill(0xee);
    prev = cut;
  }
  parser.end();
  return { packets, problems, secrets, parser };
}
