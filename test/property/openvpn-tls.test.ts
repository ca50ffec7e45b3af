/**
 * OpenVpnTlsExtractor: no input makes push() throw, and any chunking of the same bytes gives the
 * same TLS bytes, anomalies and stop state (random bytes, and generated OpenVPN streams with
 * --tls-auth, acks, retransmissions and reordering). datagram() (UDP, one packet per call): no
 * datagrams make it throw, and generated packets give what the TCP mode gives on them framed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenVpnTlsExtractor } from '../../src/protocol/openvpn-tls.js';

interface Outcome {
  tls: string;
  anomalies: string[];
  stopped: boolean;
}

function outcome(bytes: Uint8Array, cuts: number[]): Outcome {
  const tls: string[] = [];
  const x = new OpenVpnTlsExtractor((b) => tls.push(Buffer.from(b).toString('hex')));
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    x.push(bytes.subarray(prev, p));
    prev = p;
  }
  return { tls: tls.join(''), anomalies: x.anomalies, stopped: x.stopped };
}

const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** One framed control packet (length, opcode/key, session_id, tls-auth, acks, message packet-id, payload). */
function packet(opcode: number, hmac: number, acks: number[], id: number | null, payload: number[]): number[] {
  const body = [
    opcode << 3,
    ...Array<number>(8).fill(0xc1),
    ...(hmac > 0 ? [...Array<number>(hmac).fill(0x5a), ...be32(1), ...be32(0x65000000)] : []),
    acks.length,
    ...acks.flatMap(be32),
    ...(acks.length > 0 ? Array<number>(8).fill(0x51) : []),
    ...(id === null ? [] : be32(id)),
    ...payload,
  ];
  return [body.length >> 8, body.length & 0xff, ...body];
}

/** Feeds each datagram to a new extractor. */
function datagramOutcome(datagrams: Uint8Array[]): Outcome {
  const tls: string[] = [];
  const x = new OpenVpnTlsExtractor((b) => tls.push(Buffer.from(b).toString('hex')));
  for (const d of datagrams) x.datagram(d);
  return { tls: tls.join(''), anomalies: x.anomalies, stopped: x.stopped };
}

/** A framed packet's datagram: the packet without its 16-bit length. */
const unframe = (p: number[]): Uint8Array => Uint8Array.from(p.slice(2));

/** A hard reset, then P_CONTROL_V1 / P_ACK_V1 packets with ids 1..n in a shuffled order with repeats. */
const openVpnStream = fc
  .record({
    hmac: fc.constantFrom(0, 16, 20, 32, 48, 64),
    payloads: fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 8 }),
    order: fc.array(fc.nat({ max: 7 }), { maxLength: 16 }),
    acks: fc.array(fc.nat({ max: 20 }), { maxLength: 3 }),
  })
  .map(({ hmac, payloads, order, acks }) => {
    const controls = payloads.map((p, i) => packet(4, hmac, acks, i + 1, [0x16, 0x03, 0x03, ...p]));
    const sequence = [packet(7, hmac, [], 0, []), ...order.map((i) => controls[i % controls.length]!), ...controls];
    if (acks.length > 0) sequence.splice(1, 0, packet(5, hmac, acks, null, []));
    const expected = payloads.map((p) => Buffer.from([0x16, 0x03, 0x03, ...p]).toString('hex')).join('');
    return { bytes: Uint8Array.from(sequence.flat()), datagrams: sequence.map(unframe), expected };
  });

const cuts = (max: number) => fc.array(fc.nat({ max }), { maxLength: 12 });

describe('OpenVpnTlsExtractor properties', () => {
  it('never throws on random bytes; any chunking gives the same outcome', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), cuts(600), (bytes, cs) => {
        expect(outcome(bytes, cs)).toEqual(outcome(bytes, []));
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid hard reset (the layout is known): never throws, chunking does not matter', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 20, 32), fc.uint8Array({ maxLength: 600 }), cuts(700), (hmac, tail, cs) => {
        const bytes = Uint8Array.from([...packet(7, hmac, [], 0, []), ...tail]);
        expect(outcome(bytes, cs)).toEqual(outcome(bytes, []));
      }),
      { numRuns: 2000 },
    );
  });

  it('generated streams (tls-auth, acks, retransmission, reordering): chunking does not matter, the TLS bytes come out in id order', () => {
    fc.assert(
      fc.property(openVpnStream, cuts(2000), ({ bytes, expected }, cs) => {
        const whole = outcome(bytes, []);
        expect(whole).toEqual({ tls: expected, anomalies: [], stopped: false });
        expect(outcome(bytes, cs)).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('datagram(): never throws on random datagrams, alone or behind a valid hard reset', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(null, 0, 20, 64),
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        (hmac, datagrams) => {
          const all = hmac === null ? datagrams : [unframe(packet(7, hmac, [], 0, [])), ...datagrams];
          const o = datagramOutcome(all);
          expect(typeof o.stopped).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('datagram(): generated packets (tls-auth, acks, retransmission, reordering) give the TLS bytes in id order, as the TCP mode does', () => {
    fc.assert(
      fc.property(openVpnStream, ({ bytes, datagrams, expected }) => {
        const o = datagramOutcome(datagrams);
        expect(o).toEqual({ tls: expected, anomalies: [], stopped: false });
        expect(o).toEqual(outcome(bytes, []));
      }),
      { numRuns: 1000 },
    );
  });
});
