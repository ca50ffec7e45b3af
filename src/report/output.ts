/**
 * Where a report goes: stdout or a file (--output), written synchronously in pieces of
 * OUTPUT_PIECE_BYTES. The pipeline hands sessions on synchronously, so an asynchronous stream
 * would only queue them in memory; a synchronous write keeps memory flat whatever the volume
 * (stdout to a file or a pipe is synchronous on Linux too).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';

const OUTPUT_PIECE_BYTES = 64 * 1024;

export class Output {
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(
    /** null: stdout. */
    private readonly fd: number | null,
    /** Write each piece at once (a live capture's sessions are read as they end). */
    private readonly immediate: boolean,
  ) {}

  /** stdout when `path` is undefined, else the file (created or truncated); InputError when it cannot be. */
  static open(path: string | undefined, opts: { immediate?: boolean } = {}): Output {
    const immediate = opts.immediate ?? false;
    if (path === undefined) return new Output(null, immediate);
    try {
      return new Output(openSync(path, 'w'), immediate);
    } catch (e) {
      throw new InputError(`cannot write ${path}: ${(e as Error).message}`, 'OUTPUT');
    }
  }

  get isStdout(): boolean {
    return this.fd === null;
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.immediate || this.pendingChars >= OUTPUT_PIECE_BYTES) this.flush();
  }

  /** Writes what is pending (a live run flushes after each batch of sessions). */
  flush(): void {
    if (this.pendingChars === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (this.fd === null) {
      process.stdout.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off);
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
  }
}
