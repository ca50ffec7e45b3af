/**
 * The TLS message parsers never throw, whatever the bytes: random input, and valid messages
 * with random bytes overwritten or cut short (which reaches deeper into the grammar).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificateMessage } from '../../src/tls/certificate-message.js';
import { parseClientHello } from '../../src/tls/client-hello.js';
import { parseHelloVerifyRequest, parseServerHello } from '../../src/tls/server-hello.js';
import { parseSslv2ClientHello, parseSslv2ServerHello } from '../../src/tls/sslv2.js';
import { hex } from '../unit/tls/helpers.js';
import { CERT_1RTT, CH2_HRR, CH_1RTT, CH_RESUMED, HRR, SH_1RTT } from '../unit/tls/rfc8448.js';

function parseAll(b: Uint8Array): void {
  for (const t of ['t', 'q', 'd'] as const) {
    const ch = parseClientHello(b, t, 0x0301);
    const sh = parseServerHello(b, t, 0x0303);
    // Results are values with a name for every failure.
    if (!ch.ok) expect(typeof ch.error).toBe('string');
    if (!sh.ok) expect(typeof sh.error).toBe('string');
  }
  parseCertificateMessage(b, false);
  parseCertificateMessage(b, true);
  parseHelloVerifyRequest(b);
  parseSslv2ClientHello(b);
  parseSslv2ServerHello(b);
}

/** A valid message with some bytes overwritten and possibly truncated. */
const mutated = (seed: Uint8Array) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat({ max: seed.length }),
    )
    .map(([edits, cut]) => {
      const b = seed.slice(0, Math.max(cut, seed.length - 40));
      for (const [at, v] of edits) if (at < b.length) b[at] = v;
      return b;
    });

const SEEDS = [CH_1RTT, CH_RESUMED, CH2_HRR, SH_1RTT, HRR, CERT_1RTT].map((h) => hex(h).subarray(4));

describe('TLS parsers never throw', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        parseAll(b);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(SEEDS.map((s, i) => [i, s] as const))('on mutated valid message #%i', (_i, seed) => {
    fc.assert(
      fc.property(mutated(seed), (b) => {
        parseAll(b);
      }),
      { numRuns: 1000 },
    );
  });
});
