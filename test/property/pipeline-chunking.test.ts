/**
 * Whole-pipeline property: however the capture file is cut into reads, the sessions are the
 * same (records straddling reads, TLS records straddling segments, all of it).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';

const fixtures = join(import.meta.dirname, '../../fixtures');
const options = { ports: new Set([443]), allPorts: false };

describe('any read size gives the same sessions', () => {
  for (const file of ['loopback-clients.pcap', 'loopback-clients.pcapng']) {
    it(file, { timeout: 120_000 }, async () => {
      const reference = (await analyzeCapture(join(fixtures, file), options)).sessions;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 70_000 }), async (readChunkBytes) => {
          const { sessions } = await analyzeCapture(join(fixtures, file), { ...options, readChunkBytes });
          expect(sessions).toEqual(reference);
        }),
        { numRuns: 12 },
      );
    });
  }
});
