/**
 * Size and SHA-256 of a capture file: how the store recognises "the same file again". Null when
 * the path is stdin or cannot be read (the pipeline then reports the problem in its own words).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface CaptureIdentity {
  size: number | null;
  sha256: string | null;
}

export async function captureIdentity(path: string): Promise<CaptureIdentity> {
  if (path === '-') return { size: null, sha256: null };
  try {
    const st = await stat(path);
    if (!st.isFile()) return { size: null, sha256: null };
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return { size: st.size, sha256: hash.digest('hex') };
  } catch {
    return { size: null, sha256: null };
  }
}
