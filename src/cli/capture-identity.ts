/**
 * Size and SHA-256 of a capture file: how the store recognises "the same file again". Hashing
 * 1 GiB takes ~0.5 s of CPU, as much as analysing it, so a worker thread hashes the file while
 * the main thread analyses it (the page cache serves both reads). Null for stdin, for what is
 * not a regular file, or when it cannot be read (the pipeline reports that in its own words).
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface CaptureIdentity {
  size: number | null;
  sha256: string | null;
}

const UNKNOWN: CaptureIdentity = { size: null, sha256: null };

// Plain CommonJS run by the worker (eval): read in 1 MiB pieces, post the hex digest or null.
const HASH_FILE = `
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
let digest = null;
try {
  const fd = openSync(workerData, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    digest = hash.digest('hex');
  } finally {
    closeSync(fd);
  }
} catch {}
parentPort.postMessage(digest);
`;

/** Starts hashing `path` in a worker thread; the promise never rejects. */
export function captureIdentity(path: string): Promise<CaptureIdentity> {
  if (path === '-') return Promise.resolve(UNKNOWN);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return Promise.resolve(UNKNOWN);
    size = st.size;
  } catch {
    return Promise.resolve(UNKNOWN);
  }
  return new Promise((resolve) => {
    const worker = new Worker(HASH_FILE, { eval: true, workerData: path });
    worker.once('message', (sha256: string | null) => resolve({ size, sha256 }));
    worker.once('error', () => resolve({ size, sha256: null }));
    worker.once('exit', () => resolve({ size, sha256: null }));
  });
}
