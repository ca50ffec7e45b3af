import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapturedPacket } from '../../../src/capture/packet.js';
import { CaptureInputError, readCapture } from '../../../src/capture/source.js';
import { InputError } from '../../../src/errors.js';
import { hex, toHex } from './hex.js';

const PCAP = hex(`
  d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000
  00f15365 40e20100 04000000 3c000000 deadbeef
  01f15365 3f420f00 02000000 02000000 cafe
`);
const EXPECTED = [
  [1700000000123456, 1, 'deadbeef'],
  [1700000001999999, 1, 'cafe'],
];

const dir = mkdtempSync(join(tmpdir(), 'capture-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function collect(): { sink: (p: CapturedPacket) => void; got: unknown[] } {
  const got: unknown[] = [];
  return { got, sink: (p) => got.push([p.tsUs, p.linkType, toHex(p.buf.subarray(p.start, p.end))]) };
}

describe('readCapture', () => {
  it('reads a regular file', async () => {
    const { sink, got } = collect();
    const s = await readCapture(file('a.pcap', PCAP), sink);
    expect(got).toEqual(EXPECTED);
    expect(s).toEqual({ packets: 2, bytes: PCAP.length, problems: [], format: 'pcap', linkTypes: [1], interrupted: false, compressed: false, secretsBlocks: 0 });
  });

  it('reads in small chunks the same way (records straddling reads)', async () => {
    for (const readChunkBytes of [1, 5, 17, 30]) {
      const { sink, got } = collect();
      await readCapture(file('b.pcap', PCAP), sink, { limits: { readChunkBytes } });
      expect(got).toEqual(EXPECTED);
    }
  });

  it('decompresses gzip, found by its magic and not by the name', async () => {
    const { sink, got } = collect();
    const s = await readCapture(file('c.pcap', gzipSync(PCAP)), sink, { limits: { readChunkBytes: 7 } });
    expect(got).toEqual(EXPECTED);
    expect(s.compressed).toBe(true);
    expect(s.bytes).toBe(PCAP.length);
    expect(s.problems).toEqual([]);
  });

  it('stops a gzip bomb at the gunzip cap', async () => {
    const { sink, got } = collect();
    const s = await readCapture(file('d.pcap.gz', gzipSync(PCAP)), sink, { limits: { maxGunzipBytes: 50 } });
    expect(got).toEqual(EXPECTED.slice(0, 1));
    expect(s.bytes).toBe(50);
    expect(s.problems).toEqual([{ name: 'gunzip_limit_reached', message: expect.stringContaining('50 bytes'), offset: 50, fatal: true }]);
  });

  it('reports a cut gzip stream, keeping the packets before the cut', async () => {
    const big = new Uint8Array(PCAP.length * 200);
    for (let i = 0; i < 200; i++) big.set(i === 0 ? PCAP : PCAP.subarray(24), i === 0 ? 0 : 24 + (PCAP.length - 24) * i);
    const gz = gzipSync(big.subarray(0, 24 + (PCAP.length - 24) * 200));
    const { sink, got } = collect();
    const s = await readCapture(file('e.pcap.gz', gz.subarray(0, gz.length - 10)), sink);
    expect(got.length).toBeGreaterThan(0);
    expect(s.problems.map((p) => [p.name, p.fatal])).toEqual([['gzip_truncated', true]]);
  });

  it("reads stdin for '-'", async () => {
    const { sink, got } = collect();
    const stdin = Readable.from([Buffer.from(PCAP.subarray(0, 1)), Buffer.from(PCAP.subarray(1, 30)), Buffer.from(PCAP.subarray(30))]);
    const s = await readCapture('-', sink, { stdin });
    expect(got).toEqual(EXPECTED);
    expect(s.format).toBe('pcap');
  });

  it('reads gzip from stdin', async () => {
    const { sink, got } = collect();
    const gz = gzipSync(PCAP);
    const s = await readCapture('-', sink, { stdin: Readable.from([Buffer.from(gz.subarray(0, 1)), Buffer.from(gz.subarray(1))]) });
    expect(got).toEqual(EXPECTED);
    expect(s.compressed).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/mkfifo'))('reads a named pipe as a stream', async () => {
    const fifo = join(dir, 'pipe.pcap');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat '${file('src.pcap', gzipSync(PCAP))}' > '${fifo}'`]);
    const closed = new Promise((resolve) => writer.on('close', resolve));
    const { sink, got } = collect();
    const s = await readCapture(fifo, sink);
    await closed;
    expect(got).toEqual(EXPECTED);
    expect(s.compressed).toBe(true);
  });

  it('reports gzip data that is not a capture once', async () => {
    const s = await readCapture(file('i.gz', gzipSync(new TextEncoder().encode('hello world\n'))), () => {});
    expect(s.problems.map((p) => p.name)).toEqual(['not_a_capture']);
    expect(s.compressed).toBe(true);
  });

  it('returns not_a_capture as a problem, not an error', async () => {
    const s = await readCapture(file('f.txt', new TextEncoder().encode('hello world\n')), () => {});
    expect(s.format).toBe('unknown');
    expect(s.problems).toEqual([{ name: 'not_a_capture', message: 'not a pcap or pcapng file (starts with 68 65 6c 6c)', offset: 0, fatal: true }]);
  });

  it('reports an empty file', async () => {
    const s = await readCapture(file('g.pcap', new Uint8Array(0)), () => {});
    expect(s.problems.map((p) => p.name)).toEqual(['not_a_capture']);
  });

  it('throws CaptureInputError for a missing file', async () => {
    const path = join(dir, 'missing.pcap');
    const err = await readCapture(path, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureInputError);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'ENOENT', exitCode: 2, message: `cannot read capture '${path}': no such file or directory` });
  });

  it('throws CaptureInputError for a directory', async () => {
    const err = await readCapture(dir, () => {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EISDIR', message: `cannot read capture '${dir}': is a directory` });
  });

  it.skipIf(process.getuid?.() === 0)('throws CaptureInputError for an unreadable file', async () => {
    const path = file('h.pcap', PCAP);
    chmodSync(path, 0o000);
    const err = await readCapture(path, () => {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EACCES', message: `cannot read capture '${path}': permission denied` });
  });
});
