/**
 * Issue 8, kill -9: `analyze --pcap --db D` killed with SIGKILL in the middle of a run. The
 * database must stay whole, an earlier completed run untouched, the killed run left marked
 * 'incomplete', and `analyze report` must still read it. Whether the killed run holds sessions
 * depends on when the CLI stores them (at the end, or in batches while reading): the test
 * accepts either, as long as what is stored is whole.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeGzipBomb, writeManyCertificates } from '../../scripts/adversarial-captures.mjs';
import { ensureBuiltCli, root, runCli, startCli } from '../helpers/built-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'analyze-kill-'));
const fixture = join(root, 'fixtures/loopback-clients.pcap');

beforeAll(() => ensureBuiltCli(), 120_000);

interface RunRow {
  id: number;
  file: string;
  status: string;
}

/** What `read` gets from D, or null while D does not exist yet or is being created (busy). */
function readDb<T>(db: string, read: (conn: Database.Database) => T): T | null {
  let conn: Database.Database | null = null;
  try {
    conn = new Database(db, { readonly: true, fileMustExist: true });
    return read(conn);
  } catch {
    return null;
  } finally {
    conn?.close();
  }
}

/** The runs in D (null: not readable yet). */
const runsIn = (db: string): RunRow[] | null => readDb(db, (c) => c.prepare('SELECT id, file, status FROM runs ORDER BY id').all() as RunRow[]);

describe('analyze killed with SIGKILL mid-run', () => {
  it('leaves the database whole: the earlier run intact, the killed one incomplete, report still works', async () => {
    const db = join(tmp, 'killed.db');
    const earlier = runCli(tmp, '--pcap', fixture, '--db', db, '--format', 'jsonl', '-q');
    expect(earlier.code).toBe(0);

    // 4 GiB of one repeated packet from a 30 MB gzip: about 15 s of reading, so the run is
    // surely still going when it is killed, while its capture hashes in a blink.
    const bomb = join(tmp, 'long.pcap.gz');
    writeGzipBomb(bomb, { decompressedBytes: 4 * 1024 ** 3 });
    const child = startCli(tmp, '--pcap', bomb, '--db', db, '--format', 'jsonl', '-q');
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));

    // Kill only once the run row exists (the CLI inserts it as 'incomplete' before reading).
    const deadline = Date.now() + 20_000;
    let rows: RunRow[] | null = null;
    while (Date.now() < deadline) {
      rows = runsIn(db);
      if (rows?.some((r) => r.file === bomb && r.status === 'incomplete')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(rows?.map((r) => [r.file, r.status])).toEqual([
      [fixture, 'complete'],
      [bomb, 'incomplete'],
    ]);
    // Some reading happens before the kill (~300 ms into the capture).
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    const end = await exited;
    // Killed, not finished on its own before the signal came.
    expect(end).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stderr).toBe('');

    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(conn.pragma('foreign_key_check')).toEqual([]);
      const runs = conn.prepare('SELECT id, file, status FROM runs ORDER BY id').all() as RunRow[];
      expect(runs.map((r) => [r.file, r.status])).toEqual([
        [fixture, 'complete'],
        [bomb, 'incomplete'],
      ]);
      const count = (run: number) => (conn.prepare('SELECT count(*) AS n FROM sessions WHERE run_id = ?').get(run) as { n: number }).n;
      // The earlier run keeps all 18 sessions of the fixture, records intact.
      expect(count(runs[0]!.id)).toBe(18);
      const ids = (conn.prepare('SELECT session_id, record FROM sessions WHERE run_id = ? ORDER BY session_id').all(runs[0]!.id) as { session_id: string; record: string }[]).map(
        (r) => [r.session_id, (JSON.parse(r.record) as { session_id: string }).session_id],
      );
      const expected = earlier.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { session_id: string }).session_id)
        .sort();
      expect(ids).toEqual(expected.map((id) => [id, id]));
      // The killed run: zero sessions (stored at the end) or whole ones (stored in batches);
      // this capture is one connection, so at most one.
      const killedRecords = conn.prepare('SELECT record FROM sessions WHERE run_id = ?').all(runs[1]!.id) as { record: string }[];
      expect(killedRecords.length).toBeLessThanOrEqual(1);
      for (const r of killedRecords) expect((JSON.parse(r.record) as { packets: number }).packets).toBeGreaterThan(0);
    } finally {
      conn.close();
    }

    // The database still reads: every stored session, and the runs with their status.
    const report = runCli(tmp, 'report', '--db', db, '--all', '--format', 'jsonl');
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    expect(report.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(18);
    const listed = runCli(tmp, 'report', '--db', db, '--runs');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/incomplete/);
  }, 60_000);

  it('keeps the batches stored before the kill whole: session counts, certificates and findings agree', async () => {
    const db = join(tmp, 'batches.db');
    // 20,000 TLS sessions, each with its own certificate and findings: stored in batches as
    // they end, for several seconds; the run is killed once a thousand are in the database.
    const capture = join(tmp, 'many-sessions.pcap');
    writeManyCertificates(capture, { certificates: 1, sessions: 20_000 });
    const child = startCli(tmp, '--pcap', capture, '--db', db, '--format', 'jsonl', '-q');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    const stored = (): number => readDb(db, (c) => (c.prepare('SELECT coalesce(max(session_count), 0) AS n FROM runs').get() as { n: number }).n) ?? 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && stored() < 1000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(conn.pragma('foreign_key_check')).toEqual([]);
      const run = conn.prepare('SELECT id, status, session_count FROM runs').get() as { id: number; status: string; session_count: number };
      expect(run.status).toBe('incomplete');
      // Killed mid-run: some batches in, not all of them.
      expect(run.session_count).toBeGreaterThanOrEqual(1000);
      expect(run.session_count).toBeLessThan(20_000);
      // The count moves in the batch's own transaction: it matches the rows, and every stored
      // session has its certificate link and its findings (nothing half-written).
      const n = (sql: string) => (conn.prepare(sql).get(run.id) as { n: number }).n;
      expect(n('SELECT count(*) AS n FROM sessions WHERE run_id = ?')).toBe(run.session_count);
      expect(n('SELECT count(*) AS n FROM sessions s WHERE run_id = ? AND NOT EXISTS (SELECT 1 FROM session_certificates c WHERE c.run_id = s.run_id AND c.session_id = s.session_id)')).toBe(0);
      const findings = conn.prepare('SELECT finding_count, (SELECT count(*) FROM findings f WHERE f.run_id = s.run_id AND f.session_id = s.session_id) AS stored FROM sessions s WHERE run_id = ?').all(run.id) as { finding_count: number; stored: number }[];
      for (const f of findings) expect(f.stored).toBe(f.finding_count);
    } finally {
      conn.close();
    }
  }, 90_000);
});
