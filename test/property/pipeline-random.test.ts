/**
 * Whole-pipeline property: hostile bytes never throw. Random TCP and UDP payloads on port 443
 * (and random bytes where a TLS record should be) go through decode, reassembly, TLS, QUIC and
 * DTLS analyzers and the session record, and the run still ends with sessions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { writePcap } from './capture-writer.js';

const tmp = mkdtempSync(join(tmpdir(), 'analyze-random-'));

/** An Ethernet/IPv4 packet from 10.0.0.1:port to 10.0.0.2:443 (or back) carrying `payload`. */
function packet(tcp: boolean, fromClient: boolean, seq: number, flags: number, payload: Uint8Array): Buffer {
  const l4 = tcp ? 20 : 8;
  const ipLen = 20 + l4 + payload.length;
  const b = Buffer.alloc(14 + ipLen);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(ipLen, 16);
  b[22] = 64;
  b[23] = tcp ? 6 : 17;
  b.set(fromClient ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 26);
  b.writeUInt16BE(fromClient ? 40000 : 443, 34);
  b.writeUInt16BE(fromClient ? 443 : 40000, 36);
  if (tcp) {
    b.writeUInt32BE(seq >>> 0, 38);
    b[46] = 0x50;
    b[47] = flags;
  } else {
    b.writeUInt16BE(8 + payload.length, 38);
  }
  b.set(payload, 14 + 20 + l4);
  return b;
}

/** A classic pcap (Ethernet) of `packets`, one second apart. */
function pcap(packets: Buffer[]): Uint8Array {
  return writePcap({ le: true, nanos: false, linkType: 1, records: packets.map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data })) }).bytes;
}

// Payloads that start like TLS, QUIC or DTLS more often than chance would.
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([0x16, 0x03, 0x01, b.length >> 8, b.length & 0xff, ...b])),
  fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([0xc3, 0, 0, 0, 1, ...b])),
  fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([0x16, 0xfe, 0xfd, ...b])),
);
const segment = fc.record({ tcp: fc.boolean(), fromClient: fc.boolean(), seq: fc.nat(), flags: fc.nat(63), payload });

describe('random traffic through the whole pipeline', () => {
  it('never throws and always reports the port-443 flows', { timeout: 120_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 30 }), async (segs) => {
        const file = join(tmp, `r${n++}.pcap`);
        writeFileSync(file, pcap(segs.map((s) => packet(s.tcp, s.fromClient, s.seq, s.flags, s.payload))));
        const { sessions } = await analyzeCapture(file, { ports: new Set([443]), allPorts: false });
        expect(sessions.length).toBeGreaterThan(0);
        for (const s of sessions) expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      }),
      { numRuns: 150 },
    );
  });
});
