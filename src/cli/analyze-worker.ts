/**
 * A --jobs worker thread: analyses the captures the main thread sends it, one at a time, and
 * posts their classified sessions back in batches. The store, the output and their order stay
 * with the main thread (parallel-captures.ts); the worker builds its own pipeline options from
 * the same command-line arguments.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, InputError } from '../errors.js';
import type { SessionRecord } from '../model/session.js';
import { analyzeCapture } from '../pipeline/analyze.js';
import { pipelineOptions, type AnalyzeArgs } from './analyze-command.js';
import { capYoungGeneration } from './young-generation.js';
import type { FromWorker, ToWorker } from './parallel-captures.js';

const BATCH = 256;
const port = parentPort!;
const { args, dbPath } = workerData as { args: AnalyzeArgs; dbPath: string | null };
const options = pipelineOptions(args, dbPath);
const abort = new AbortController();

const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') abort.abort();
  else void analyze(m.index, m.file);
});

async function analyze(index: number, file: string): Promise<void> {
  let batch: SessionRecord[] = [];
  try {
    const result = await analyzeCapture(file, {
      ...options,
      signal: abort.signal,
      onProgress: capYoungGeneration,
      onSession: (s) => {
        batch.push(s);
        if (batch.length >= BATCH) {
          post({ type: 'sessions', index, sessions: batch });
          batch = [];
        }
      },
    });
    if (batch.length > 0) post({ type: 'sessions', index, sessions: batch });
    post({ type: 'done', index, capture: result.capture, stats: result.stats });
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', index, message: err.message, code: e instanceof AppError ? e.code : 'INTERNAL', input: e instanceof InputError });
  }
}
