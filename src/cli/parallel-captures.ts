/**
 * `analyze --pcap A B C --jobs N`: captures analysed at once in N worker threads
 * (analyze-worker.ts), into the same store and output as one after another would give.
 *
 * Order: captures are handed out in the order of the list, so their runs are begun (and
 * numbered) in that order. Sessions go into the store as they arrive; the output takes the
 * captures one at a time, in list order: the sessions of a capture that is not the current one
 * wait in a spool file on disk (not in memory), and are written when its turn comes.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadSummary } from '../capture/source.js';
import { InputError } from '../errors.js';
import type { SessionRecord } from '../model/session.js';
import type { RunStats } from '../pipeline/analyze.js';
import type { CaptureDone } from '../report/session-writers.js';
import { StringDecoder } from 'node:string_decoder';
import { abandonCapture, acceptSession, beginCapture, endCapture, reportCapture, type CaptureRun, type RunContext } from './analyze-command.js';

export type ToWorker = { type: 'analyze'; index: number; file: string } | { type: 'abort' };
export type FromWorker =
  | { type: 'sessions'; index: number; sessions: SessionRecord[] }
  | { type: 'done'; index: number; capture: ReadSummary; stats: RunStats }
  | { type: 'error'; index: number; message: string; code: string; input: boolean };

/** One capture's place in the list: its run, its spool, and what is left to write. */
interface Slot {
  run: CaptureRun | null;
  spool: Spool | null;
  done: CaptureDone | null;
  failed: boolean;
}

/** Returns true when some capture could not be read (reported on stderr, one line each). */
export async function analyzeInWorkers(files: readonly string[], ctx: RunContext): Promise<boolean> {
  const jobs = Math.min(ctx.args.jobs, files.length);
  const slots: Slot[] = files.map(() => ({ run: null, spool: null, done: null, failed: false }));
  const spoolDir = mkdtempSync(join(tmpdir(), 'analyze-spool-'));
  const workerData = { args: { ...ctx.args, $0: undefined, _: [] }, dbPath: ctx.dbPath };
  const workers = Array.from({ length: jobs }, () => new Worker(new URL('./analyze-worker.js', import.meta.url), { workerData }));
  let next = 0;
  let head = 0;
  let failed = false;
  const onAbort = (): void => {
    for (const w of workers) w.postMessage({ type: 'abort' } satisfies ToWorker);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });

  /** Writes every capture at the head of the list that is complete. */
  const advance = (): void => {
    while (head < slots.length) {
      const slot = slots[head]!;
      if (slot.failed) {
        head++;
        continue;
      }
      if (slot.done === null) return;
      slot.spool?.replay((s) => ctx.writer.session(s));
      reportCapture(slot.run!, slot.done, ctx);
      head++;
    }
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const dispatch = (w: Worker): void => {
        if (next >= files.length || ctx.signal.aborted) {
          if (busy === 0) resolve();
          return;
        }
        const index = next++;
        slots[index]!.run = beginCapture(files[index]!, ctx);
        busy++;
        w.postMessage({ type: 'analyze', index, file: files[index]! } satisfies ToWorker);
      };
      for (const w of workers) {
        w.on('error', (e) => reject(e));
        w.on('message', (m: FromWorker) => {
          const slot = slots[m.index]!;
          if (m.type === 'sessions') {
            for (const s of m.sessions) {
              acceptSession(slot.run!, s, ctx);
              // The current capture writes straight through, unless it already waited in a spool.
              if (m.index === head && slot.spool === null) ctx.writer.session(s);
              else (slot.spool ??= new Spool(join(spoolDir, `${m.index}.jsonl`))).add(s);
            }
            return;
          }
          const finished =
            m.type === 'done'
              ? endCapture(slot.run!, m.capture, m.stats, ctx).then((done) => {
                  slot.done = done;
                })
              : Promise.reject(m.input ? new InputError(m.message, m.code) : new Error(m.message));
          finished
            .catch((e: unknown) => {
              if (!(e instanceof InputError)) throw e;
              abandonCapture(slot.run!, ctx);
              process.stderr.write(`analyze: ${e.message}\n`);
              slot.failed = failed = true;
            })
            .then(() => {
              // Only now is this capture finished: counted down before its endCapture was done,
              // another worker's dispatch could see none busy and end the run without its output.
              busy--;
              advance();
              dispatch(w);
            })
            .catch(reject);
        });
        dispatch(w);
      }
    });
    advance();
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const slot of slots) slot.spool?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  }
  return failed;
}

/** Sessions of a capture waiting for its turn: JSON lines in a file, read back in order. */
class Spool {
  private readonly fd: number;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  add(s: SessionRecord): void {
    writeSync(this.fd, JSON.stringify(s) + '\n');
  }

  replay(each: (s: SessionRecord) => void): void {
    const buf = Buffer.allocUnsafe(1 << 20);
    const utf8 = new StringDecoder('utf8'); // a character may straddle two reads
    let pos = 0;
    let rest = '';
    for (let n; (n = readSync(this.fd, buf, 0, buf.length, pos)) > 0; pos += n) {
      const lines = (rest + utf8.write(buf.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) each(JSON.parse(line) as SessionRecord);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
