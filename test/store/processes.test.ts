/**
 * The store across processes (children run the built dist/store): a writer killed with SIGKILL
 * mid-run, and two writers on one database at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/store/sqlite-store.js';
import { distStore, ensureBuilt, golden } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'analyze-store-proc-'));

beforeAll(() => ensureBuilt(), 120_000);

/**
 * A child that stores copies of the golden sessions (ids suffixed) as run `sha`, one
 * addSessions call (one transaction) per entry of `batches`, printing "batch N" after each;
 * `finish` completes the run.
 */
function writer(db: string, sha: string, batches: number[], finish: boolean) {
  const count = batches.reduce((a, b) => a + b, 0);
  const code = `
    import { readFileSync } from 'node:fs';
    import { SessionStore } from ${JSON.stringify(distStore)};
    const base = readFileSync(${JSON.stringify(golden)}, 'utf8').trim().split('\\n').map((l) => JSON.parse(l));
    const store = SessionStore.open(${JSON.stringify(db)});
    const run = store.beginRun({ file: ${JSON.stringify(sha)} + '.pcap', size: 1, sha256: ${JSON.stringify(sha)}, options: {} });
    function* sessions() {
      for (let i = 0; i < ${count}; i++) {
        const s = structuredClone(base[i % base.length]);
        s.session_id = ${JSON.stringify(sha)} + '-' + i;
        yield s;
      }
    }
    let done = 0;
    const all = [...sessions()];
    const t0 = performance.now();
    let at = 0;
    for (const n of ${JSON.stringify(batches)}) {
      store.addSessions(run, all.slice(at, at + n), n);
      at += n;
      process.stdout.write('batch ' + ++done + '\\n');
    }
    if (${finish}) store.finishRun(run, { packets: 0, bytes: 0 });
    store.close();
    process.stdout.write('done ' + Math.round(${count} / ((performance.now() - t0) / 1000)) + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const output = () => stdout;
  return { child, exited, output };
}

function integrity(path: string): string {
  const store = SessionStore.open(path);
  try {
    return store.connection.pragma('integrity_check', { simple: true }) as string;
  } finally {
    store.close();
  }
}

describe('an interrupted run', () => {
  it('survives SIGKILL in the middle of a batch: earlier runs intact, whole batches only, marked incomplete', async () => {
    const db = join(tmp, 'killed.db');
    const first = await writer(db, 'earlier', [36], true).exited;
    expect(first.code).toBe(0);

    // A batch of 500 committed, then one of 200,000 (several seconds) killed while being written.
    const w = writer(db, 'killed', [500, 200_000], false);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (w.output().includes('batch 1')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 400));
    w.child.kill('SIGKILL');
    const killed = await w.exited;
    expect(killed, JSON.stringify({ ...killed, stdout: killed.stdout.slice(-200) })).toMatchObject({ signal: 'SIGKILL' });
    expect(killed.stdout).not.toMatch(/batch 2/);

    expect(integrity(db)).toBe('ok');
    const store = SessionStore.open(db);
    try {
      const runs = store.runs();
      expect(runs.map((r) => [r.file, r.status, r.sessions])).toEqual([
        ['earlier.pcap', 'complete', 36],
        ['killed.pcap', 'incomplete', 500],
      ]);
      expect(store.countSessions({ all: true, run: runs[0]!.id })).toBe(36);
      expect(store.countSessions({ all: true, run: runs[1]!.id })).toBe(500);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('two writers on one database', () => {
  it('both succeed (busy_timeout), the database stays whole', async () => {
    const db = join(tmp, 'concurrent.db');
    // Neither child finds the file: they also race to create and migrate it.
    const [a, b] = await Promise.all([writer(db, 'one', Array<number>(12).fill(500), true).exited, writer(db, 'two', Array<number>(12).fill(500), true).exited]);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    console.log(`two concurrent writers: ${a.stdout.match(/done (\d+)/)?.[1]} and ${b.stdout.match(/done (\d+)/)?.[1]} sessions/s`);
    expect(integrity(db)).toBe('ok');
    const store = SessionStore.open(db);
    try {
      expect(store.runs().map((r) => [r.file, r.status, r.sessions]).sort()).toEqual([
        ['one.pcap', 'complete', 6000],
        ['two.pcap', 'complete', 6000],
      ]);
      expect(store.countSessions({ all: true })).toBe(12_000);
    } finally {
      store.close();
    }
  }, 60_000);
});
