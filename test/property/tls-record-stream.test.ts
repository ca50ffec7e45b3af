/**
 * TlsRecordStream: any chunking of the same bytes gives the same events, and no input makes
 * push() throw (valid flights, mutated flights, random bytes, SSL 2.0-looking starts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificateMessage } from '../../src/tls/certificate-message.js';
import { parseClientHello } from '../../src/tls/client-hello.js';
import { TlsRecordStream } from '../../src/tls/record-stream.js';
import { parseServerHello } from '../../src/tls/server-hello.js';
import { concat, hex, record, RecordingSink } from '../unit/tls/helpers.js';
import { CERT_1RTT, CH_1RTT, EE_1RTT, SH_1RTT } from '../unit/tls/rfc8448.js';

/** Pushes `bytes` cut at the given points; parses hellos as an owner would. */
function events(bytes: Uint8Array, cuts: number[], setEncryptedOnCcs: boolean): unknown[] {
  const sink = new RecordingSink();
  const stream = new TlsRecordStream(sink);
  const onHandshake = sink.onHandshake.bind(sink);
  sink.onHandshake = (t, b, v) => {
    onHandshake(t, b, v);
    if (t === 1) parseClientHello(b, 't', v);
    if (t === 2) parseServerHello(b, 't', v);
    if (t === 11) parseCertificateMessage(b, true);
  };
  const onCcs = sink.onChangeCipherSpec.bind(sink);
  sink.onChangeCipherSpec = () => {
    onCcs();
    if (setEncryptedOnCcs) stream.encrypted = true;
  };
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    stream.push(bytes.subarray(prev, p));
    prev = p;
  }
  return sink.events;
}

const cert = hex(CERT_1RTT);
const FLIGHT = concat(
  record(22, 0x0301, hex(CH_1RTT)),
  record(22, 0x0303, concat(hex(SH_1RTT), hex(EE_1RTT), cert.subarray(0, 100))),
  record(22, 0x0303, cert.subarray(100)),
  record(20, 0x0303, Uint8Array.of(1)),
  record(22, 0x0303, new Uint8Array(40).fill(0x77)),
  record(21, 0x0303, Uint8Array.of(1, 0)),
  record(23, 0x0303, new Uint8Array(300).fill(0x17)),
);

const cuts = (max: number) => fc.array(fc.nat({ max }), { maxLength: 12 });

describe('TlsRecordStream properties', () => {
  it('any chunking of a valid flight gives the same events', () => {
    for (const enc of [false, true]) {
      const whole = events(FLIGHT, [], enc);
      fc.assert(
        fc.property(cuts(FLIGHT.length), (cs) => {
          expect(events(FLIGHT, cs, enc)).toEqual(whole);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('any chunking of random or mutated bytes gives the same events, and never throws', () => {
    const mutatedFlight = fc
      .array(fc.tuple(fc.nat({ max: FLIGHT.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })
      .map((edits) => {
        const b = FLIGHT.slice();
        for (const [at, v] of edits) b[at] = v;
        return b;
      });
    const sslv2Start = fc
      .uint8Array({ minLength: 2, maxLength: 300 })
      .map((b) => concat(Uint8Array.of(0x80 | (b[0]! & 0x01), b[1]!, 1 + (b[2] ?? 0) % 5), b));
    const input = fc.oneof(fc.uint8Array({ maxLength: 400 }), mutatedFlight, sslv2Start);
    fc.assert(
      fc.property(input, cuts(400), fc.boolean(), (bytes, cs, enc) => {
        expect(events(bytes, cs, enc)).toEqual(events(bytes, [], enc));
      }),
      { numRuns: 1500 },
    );
  });
});
