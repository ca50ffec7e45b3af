/**
 * The UDP analyzers and the key-log decryption never throw, and never hit their internal
 * "violation" catch, whatever the bytes: random datagrams, valid packets with bytes overwritten or
 * cut, and — reaching past the AEAD — correctly protected QUIC packets whose frames are random.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DtlsAnalyzer } from '../../src/dtls/dtls-analyzer.js';
import { KeyLog } from '../../src/keylog/key-log.js';
import { Tls13HandshakeDecryptor } from '../../src/keylog/tls13-decryptor.js';
import { ServerFlight } from '../../src/keylog/server-flight.js';
import { initialKeys } from '../../src/quic/packet-protection.js';
import { QuicAnalyzer } from '../../src/quic/quic-analyzer.js';
import { quicVersionParams } from '../../src/quic/versions.js';
import { cryptoFrame, protectLong } from '../unit/quic/builder.js';
import { DCID, RFC9001, RFC9369 } from '../unit/quic/rfc-vectors.js';
import { concat, hex } from '../unit/tls/helpers.js';

const datagram = fc.uint8Array({ minLength: 0, maxLength: 1500 });
/** Random bytes that look like a long header of a known version often enough to go deep. */
const longHeaderish = fc
  .tuple(fc.constantFrom(0x00000001, 0x6b3343cf, 0xff00001d, 0x54303531, 0x00000000, 0x1a2a3a4a), fc.uint8Array({ minLength: 0, maxLength: 1300 }), fc.integer({ min: 0xc0, max: 0xff }))
  .map(([v, rest, first]) => concat(Uint8Array.of(first, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff), rest));

const mutated = (seed: Uint8Array) =>
  fc
    .tuple(fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat({ max: seed.length }))
    .map(([edits, cut]) => {
      const b = seed.slice(0, Math.max(cut, 1));
      for (const [at, v] of edits) if (at < b.length) b[at] = v;
      return b;
    });

function noViolation(set: Set<string>): void {
  expect(set.has('quic_violation')).toBe(false);
  expect(set.has('dtls_violation')).toBe(false);
}

describe('QuicAnalyzer never throws', () => {
  it('on random datagrams, in both directions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(datagram, longHeaderish)), { maxLength: 12 }), (ds) => {
        const q = new QuicAnalyzer({ secrets: new KeyLog() });
        for (const [fromClient, d] of ds) q.datagram(fromClient, d);
        noViolation(q.anomalies);
        void q.done;
      }),
      { numRuns: 400 },
    );
  });

  it('on the RFC packets with bytes overwritten or cut', () => {
    fc.assert(
      fc.property(mutated(hex(RFC9001.clientPacket)), mutated(hex(RFC9369.serverPacket)), (c, s) => {
        const q = new QuicAnalyzer();
        q.datagram(true, c);
        q.datagram(false, s);
        q.datagram(true, hex(RFC9001.clientPacket));
        q.datagram(false, s);
        noViolation(q.anomalies);
      }),
      { numRuns: 300 },
    );
  });

  it('on correctly protected Initials whose frames are random (the frame walk, CRYPTO reassembly and hello parsers)', () => {
    const params = quicVersionParams(1)!;
    const keys = initialKeys(params, hex(DCID));
    const ch = hex(RFC9001.clientCrypto).subarray(4);
    const frames = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: ch.length })).map(([off, cut]) => cryptoFrame(off, ch.subarray(0, cut))),
      fc.tuple(fc.nat({ max: 2 ** 20 }), fc.uint8Array({ maxLength: 100 })).map(([off, d]) => cryptoFrame(off, d)),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.array(frames, { minLength: 1, maxLength: 5 })), { minLength: 1, maxLength: 6 }), (packets) => {
        const q = new QuicAnalyzer();
        let pn = 0;
        for (const [fromClient, fs] of packets) {
          const payload = concat(...fs, new Uint8Array(24));
          const k = fromClient ? keys.client : keys.server;
          const p = protectLong({ typeBits: 0, version: 1, dcid: fromClient ? hex(DCID) : new Uint8Array(0), scid: new Uint8Array(0), pn: pn++, pnLen: 2, payload, keys: k });
          q.datagram(fromClient, p);
        }
        noViolation(q.anomalies);
      }),
      { numRuns: 300 },
    );
  });
});

describe('DtlsAnalyzer never throws', () => {
  const handshakeRecord = fc
    .tuple(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.constantFrom(0xfeff, 0xfefd, 0xfefc, 0x0100), fc.nat({ max: 2 }))
    .map(([body, v, epoch]) => concat(Uint8Array.of(22, v >> 8, v & 0xff, 0, epoch, 0, 0, 0, 0, 0, 1, body.length >> 8, body.length & 0xff), body));
  it('on random datagrams and random handshake records', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(datagram, handshakeRecord, fc.array(handshakeRecord, { maxLength: 4 }).map((r) => concat(...r)))), { maxLength: 12 }), (ds) => {
        const d = new DtlsAnalyzer();
        for (const [fromClient, p] of ds) d.datagram(fromClient, p);
        noViolation(d.anomalies);
        void d.done;
      }),
      { numRuns: 400 },
    );
  });
});

describe('key log and TLS 1.3 decryption never throw', () => {
  it('on random key log text and random records', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), (text, body, suite) => {
        const k = new KeyLog();
        k.add(text);
        k.add(new TextEncoder().encode(text));
        const d = new Tls13HandshakeDecryptor(new Uint8Array(32), suite);
        for (const t of [20, 21, 22, 23]) d.record(t, 0x0303, body);
        const f = new ServerFlight();
        for (const t of [8, 11, 13, 15, 20, 25]) f.message(t, body);
      }),
      { numRuns: 300 },
    );
  });
});
