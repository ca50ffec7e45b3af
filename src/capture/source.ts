/**
 * The only async stage: gets the capture's bytes (a file, stdin, a gzip stream) into a
 * CaptureParser. A regular file is read with readSync into one reused buffer, which the bench
 * walkers show is the fastest way from JavaScript; stdin, pipes and gzip go through streams.
 *
 * This is the CLI edge: a capture that cannot be opened or read throws CaptureInputError.
 * Everything about the bytes themselves (not a capture, damaged, truncated, gzip bomb) is a
 * CaptureProblem in the summary instead.
 */
import { closeSync, createReadStream, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { LIMITS } from '../config/limits.js';
import { InputError } from '../errors.js';
import { CaptureParser, type SecretsSink } from './capture-parser.js';
import type { CaptureProblem, PacketSink } from './packet.js';

/** A capture that cannot be opened or read. `code` is the system error code (ENOENT, EACCES, EISDIR...). */
export class CaptureInputError extends InputError {
  constructor(source: string, code: string, detail: string) {
    super(`cannot read capture ${source === '-' ? 'from stdin' : `'${source}'`}: ${detail}`, code);
  }
}

export interface ReadOptions {
  /** Called for each problem as it is found (they are also in the summary). */
  onProblem?: (p: CaptureProblem) => void;
  /** pcapng Decryption Secrets Blocks. */
  onSecrets?: SecretsSink;
  /** Read from this stream instead of process.stdin when the source is '-' (tests). */
  stdin?: Readable;
  /** Overrides of the read caps (tests). */
  limits?: { readChunkBytes?: number; maxGunzipBytes?: number };
  /**
   * Stops the reading (Ctrl-C): the packets read so far stand, and the summary says
   * `interrupted`. A regular file is read synchronously, so the signal is looked at between
   * groups of chunks (every ~64 MiB).
   */
  signal?: AbortSignal;
}

export interface ReadSummary {
  packets: number;
  /** Capture bytes read (after decompression). */
  bytes: number;
  problems: CaptureProblem[];
  /** 'unknown' when the input was not a capture (then there is a fatal `not_a_capture` problem). */
  format: 'pcap' | 'pcapng' | 'unknown';
  /** Link types of the file or of its interfaces, in order of appearance. */
  linkTypes: number[];
  /** Reading was stopped by ReadOptions.signal before the end of the input. */
  interrupted: boolean;
  /** The capture was gzip-compressed. */
  compressed: boolean;
  secretsBlocks: number;
}

const YIELD_EVERY_BYTES = 64 * 1024 * 1024;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Reads a whole capture, handing every packet to `sink` synchronously (one reused object,
 * see CaptureParser). `source` is a file path, or '-' for stdin.
 */
export async function readCapture(source: string, sink: PacketSink, opts: ReadOptions = {}): Promise<ReadSummary> {
  const problems: CaptureProblem[] = [];
  const onProblem = (p: CaptureProblem): void => {
    problems.push(p);
    opts.onProblem?.(p);
  };
  const parser = new CaptureParser(sink, onProblem, opts.onSecrets);
  const run = new Run(source, parser, onProblem, opts.limits?.maxGunzipBytes ?? LIMITS.maxGunzipBytes, opts.signal);

  if (source === '-') {
    const stdin = opts.stdin ?? process.stdin;
    if (stdin === process.stdin && process.stdin.isTTY) {
      throw new CaptureInputError(source, 'ETTY', 'stdin is a terminal, pipe a capture into it');
    }
    await run.stream(stdin);
  } else {
    await readPath(source, run, opts.limits?.readChunkBytes ?? LIMITS.readChunkBytes);
  }
  const interrupted = opts.signal?.aborted === true;
  if (!run.stoppedByDriver && !interrupted) parser.end();
  return {
    packets: parser.packets,
    bytes: parser.bytesPushed,
    problems,
    format: parser.format ?? 'unknown',
    linkTypes: [...parser.linkTypes],
    interrupted,
    compressed: run.compressed,
    secretsBlocks: parser.secretsBlocks,
  };
}

async function readPath(path: string, run: Run, chunkBytes: number): Promise<void> {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw inputError(path, err);
  }
  if (st.isDirectory()) throw new CaptureInputError(path, 'EISDIR', 'is a directory');
  if (!st.isFile()) {
    // A FIFO (tcpdump -w into a named pipe, `<(...)`) or a device: read it as a stream, whose
    // open does not block the event loop while the pipe waits for its writer.
    await run.stream(createReadStream(path, { highWaterMark: chunkBytes }));
    return;
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw inputError(path, err);
  }
  let handedOff = false;
  try {
    const buf = new Uint8Array(chunkBytes);
    let n = read(path, fd, buf);
    if (n >= 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1) {
      handedOff = true;
      await run.stream(createReadStream(path, { fd, start: 0, highWaterMark: chunkBytes }));
      return;
    }
    // The hot path: synchronous reads into one buffer, each chunk parsed before the next read.
    // Every YIELD_EVERY_BYTES the event loop gets a turn, so that Ctrl-C (run.signal) is heard.
    let sinceYield = 0;
    while (n > 0) {
      run.parser.push(n === buf.length ? buf : buf.subarray(0, n));
      if (run.parser.stopped) break;
      if ((sinceYield += n) >= YIELD_EVERY_BYTES && run.signal !== undefined) {
        sinceYield = 0;
        await new Promise(setImmediate);
        if (run.signal.aborted) break;
      }
      n = read(path, fd, buf);
    }
  } finally {
    if (!handedOff) closeSync(fd);
  }
}

function read(path: string, fd: number, buf: Uint8Array): number {
  try {
    return readSync(fd, buf, 0, buf.length, null);
  } catch (err) {
    throw inputError(path, err);
  }
}

/** One read: the parser plus what the stream path needs to know. */
class Run {
  compressed = false;
  /** The driver stopped the parse itself (gzip cap, broken gzip): no end-of-input checks. */
  stoppedByDriver = false;

  constructor(
    readonly source: string,
    readonly parser: CaptureParser,
    private readonly onProblem: (p: CaptureProblem) => void,
    private readonly maxGunzipBytes: number,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Reads a byte stream to its end, through gunzip when it starts with the gzip magic. */
  async stream(input: Readable): Promise<void> {
    // Ctrl-C: end the input; the iteration then stops and what was read is finished normally.
    const abort = (): void => {
      input.destroy();
    };
    this.signal?.addEventListener('abort', abort, { once: true });
    try {
      await this.streamUntilEnd(input);
    } finally {
      this.signal?.removeEventListener('abort', abort);
    }
  }

  private async streamUntilEnd(input: Readable): Promise<void> {
    const iter = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    // Enough bytes to see the gzip magic (a first chunk of 1 byte is possible on a pipe).
    const head: Buffer[] = [];
    let headLen = 0;
    while (headLen < 2) {
      const r = await this.next(iter);
      if (r.done) break;
      head.push(r.value);
      headLen += r.value.length;
    }
    const first = head.length === 1 ? head[0]! : Buffer.concat(head);
    if (headLen >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1) {
      this.compressed = true;
      await this.gunzip(first, iter, input);
      return;
    }
    if (headLen > 0) this.push(first);
    for (;;) {
      const r = await this.next(iter);
      if (r.done || this.parser.stopped) break;
      this.push(r.value);
    }
    if (this.parser.stopped) input.destroy();
  }

  /** The next raw chunk, or done at the end of the input or after Ctrl-C. */
  private async next(iter: AsyncIterator<Buffer>): Promise<IteratorResult<Buffer>> {
    let r: IteratorResult<Buffer>;
    try {
      r = await iter.next();
    } catch (err) {
      if (this.signal?.aborted) return { done: true, value: undefined };
      throw inputError(this.source, err);
    }
    if (this.signal?.aborted) return { done: true, value: undefined };
    return r;
  }

  private push(chunk: Buffer): void {
    // A plain Uint8Array view: packet views made from it are then plain Uint8Arrays too.
    this.parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
  }

  /** Decompresses a gzip stream (RFC 1952) into the parser, up to the gunzip cap. */
  private async gunzip(first: Buffer, rest: AsyncIterator<Buffer>, input: Readable): Promise<void> {
    const source = this.source;
    const next = this.next.bind(this);
    const readFailure: { failure?: Error } = {};
    async function* compressed(): AsyncGenerator<Buffer> {
      yield first;
      for (;;) {
        let r: IteratorResult<Buffer>;
        try {
          r = await next(rest);
        } catch (err) {
          readFailure.failure = err as Error; // a CaptureInputError from next()
          throw err;
        }
        if (r.done) return;
        yield r.value;
      }
    }
    let total = 0;
    const cap = this.maxGunzipBytes;
    const consume = async (out: AsyncIterable<Buffer>): Promise<void> => {
      for await (const chunk of out) {
        if (total + chunk.length > cap) {
          this.push(chunk.subarray(0, cap - total));
          total = cap;
          this.stop(
            'gunzip_limit_reached',
            `decompressed capture exceeds ${cap} bytes (LIMITS.maxGunzipBytes): reading stopped`,
            total,
          );
          return;
        }
        total += chunk.length;
        this.push(chunk);
        if (this.parser.stopped) return;
      }
    };
    try {
      await pipeline(compressed, createGunzip({ chunkSize: 256 * 1024 }), consume);
    } catch (err) {
      // The compressed input itself could not be read: that is an input error, not a gzip problem.
      if (readFailure.failure !== undefined) throw readFailure.failure;
      // We stopped reading on purpose (cap, fatal problem, Ctrl-C): the pipeline reports an abort.
      if (this.stoppedByDriver || this.parser.stopped || this.signal?.aborted) return;
      // zlib: a damaged or cut stream. The packets before the damage stand.
      const code = (err as NodeJS.ErrnoException).code;
      const truncated = code === 'Z_BUF_ERROR' || /unexpected end/i.test(String((err as Error).message));
      this.stop(
        truncated ? 'gzip_truncated' : 'gzip_corrupt',
        `${source}: gzip stream ${truncated ? 'ends early' : 'is damaged'} after ${total} decompressed bytes (${(err as Error).message})`,
        total,
      );
    } finally {
      input.destroy();
    }
  }

  private stop(name: string, message: string, offset: number): void {
    this.stoppedByDriver = true;
    // The partial record at the end is part of the same story: say it once, in this problem.
    this.onProblem({ name, message, offset, fatal: true });
  }
}

function inputError(source: string, err: unknown): Error {
  if (err instanceof CaptureInputError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? 'EIO';
  const detail: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a component of the path is not a directory',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files',
  };
  return new CaptureInputError(source, code, detail[code] ?? e.message ?? String(err));
}
