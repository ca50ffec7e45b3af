/**
 * The SQLite store in process: migrations, the marker that makes a file ours, idempotent runs,
 * the report filters, and the speed of a batched insert.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { APPLICATION_ID } from '../../src/store/schema.js';
import { SessionStore, toRecordTime, type RunMeta } from '../../src/store/sqlite-store.js';
import { cleanSessions, finding, variant } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'analyze-store-'));
let n = 0;
const dbPath = (): string => join(tmp, `t${++n}.db`);
const open: SessionStore[] = [];
function openStore(path: string): SessionStore {
  const s = SessionStore.open(path);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const sessions = cleanSessions();
const meta = (sha256: string | null, keepRuns = false): RunMeta => ({ file: 'capture.pcap', size: 1234, sha256, options: { ports: [443] }, keepRuns });

function storeRun(store: SessionStore, m: RunMeta, list = sessions): number {
  const id = store.beginRun(m);
  store.addSessions(id, list);
  store.finishRun(id, { packets: 288, bytes: 5000 });
  return id;
}

describe('schema and migrations', () => {
  it('creates a new database: our application_id, the latest schema, WAL, foreign keys', () => {
    const path = dbPath();
    const store = openStore(path);
    const db = store.connection;
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['runs', 'sessions', 'certificates', 'session_certificates', 'findings', 'intel', 'baseline']));
  });

  it('opens an empty (0-byte) file as a new database', () => {
    const path = dbPath();
    writeFileSync(path, '');
    expect(openStore(path).connection.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('migrates a version-1 database forward, keeping its runs', () => {
    const path = dbPath();
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO runs (file, options, tool_version, status, started_at) VALUES ('old.pcap', '{}', '0.0.1', 'complete', '2026-01-01T00:00:00Z')").run();
    old.close();
    const store = openStore(path);
    expect(store.connection.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.connection.prepare('SELECT count(*) FROM intel').pluck().get()).toBe(0);
    expect(store.connection.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sessions_sni'").pluck().get()).toBe(1);
    expect(store.runs().map((r) => r.file)).toEqual(['old.pcap']);
  });

  it('refuses a database from a newer version', () => {
    const path = dbPath();
    openStore(path).connection.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    open.pop()!.close();
    expect(() => SessionStore.open(path)).toThrow(/newer analyze/);
  });

  it.each([
    ['a PNG', (p: string) => writeFileSync(p, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')), /not a SQLite database/],
    ['a text file', (p: string) => writeFileSync(p, 'just some notes\nsecond line\n'), /not a SQLite database/],
    [
      "someone else's SQLite database",
      (p: string) => {
        const d = new Database(p);
        d.exec('CREATE TABLE contacts (name TEXT)');
        d.close();
      },
      /not one written by analyze/,
    ],
    ['a truncated database', (p: string) => writeFileSync(p, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84, 0xff)])), /.+/],
  ])('refuses %s with a one-line StorageError', (_name, make, message) => {
    const path = dbPath();
    make(path);
    let err: unknown;
    try {
      SessionStore.open(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('does not create a database when asked not to', () => {
    expect(() => SessionStore.open(join(tmp, 'missing.db'), { create: false })).toThrow(/no such database/);
  });
});

describe('runs', () => {
  it('replaces the run of the same file (same SHA-256): one run, same sessions', () => {
    const store = openStore(dbPath());
    const first = storeRun(store, meta('aa'));
    const second = storeRun(store, meta('aa'));
    expect(store.runs().map((r) => [r.id, r.status, r.sessions])).toEqual([[second, 'complete', 18]]);
    expect(second).not.toBe(first);
    expect(store.countSessions({ all: true })).toBe(18);
    // Certificates are deduplicated, and the replaced run's links are gone.
    const certs = store.connection.prepare('SELECT count(*) FROM certificates').pluck().get() as number;
    const distinct = new Set(sessions.flatMap((s) => s.tls?.certificates.map((c) => c.sha256) ?? [])).size;
    expect(certs).toBe(distinct);
    expect(store.connection.prepare('SELECT count(DISTINCT run_id) FROM session_certificates').pluck().get()).toBe(1);
  });

  it('keeps both runs with keepRuns, and runs of other files always', () => {
    const store = openStore(dbPath());
    storeRun(store, meta('aa'));
    storeRun(store, meta('aa', true));
    storeRun(store, meta('bb'));
    storeRun(store, meta(null));
    expect(store.runs()).toHaveLength(4);
    expect(store.countSessions({ all: true })).toBe(72);
  });

  it('records the capture span, counts and options; a run is incomplete until finished', () => {
    const store = openStore(dbPath());
    const id = store.beginRun(meta('cc'));
    store.addSessions(id, sessions, 5);
    expect(store.runs()[0]).toMatchObject({ status: 'incomplete', sessions: 18, finished_at: null });
    store.finishRun(id, { packets: 288, bytes: 5000, stats: { flows: 18 } });
    const r = store.runs()[0]!;
    expect(r).toMatchObject({ status: 'complete', packets: 288, bytes: 5000, sha256: 'cc', options: { ports: [443] }, tool_version: '0.1.0' });
    expect(r.capture_start).toBe(sessions[0]!.start);
    expect(r.capture_end! >= r.capture_start!).toBe(true);
  });

  it('stores each session record whole', () => {
    const store = openStore(dbPath());
    storeRun(store, meta('dd'));
    expect(store.getSession(sessions[3]!.session_id)?.record).toEqual(sessions[3]);
    expect(store.getSession(sessions[3]!.session_id.slice(0, 8))?.record.session_id).toBe(sessions[3]!.session_id);
    expect(store.getSession('ffffffffff')).toBeUndefined();
  });

  it('inserts quickly in batched transactions', () => {
    const store = openStore(dbPath());
    const base = sessions[1]!; // TLS 1.2 with two certificates
    const many = Array.from({ length: 20_000 }, (_, i) => variant(base, `bulk${i}`, i % 10 === 0 ? { findings: [finding('r1', 'high')] } : {}));
    const id = store.beginRun(meta('ee'));
    const t0 = performance.now();
    expect(store.addSessions(id, many)).toBe(20_000);
    const seconds = (performance.now() - t0) / 1000;
    store.finishRun(id, { packets: 0, bytes: 0 });
    console.log(`store: ${many.length} sessions (+ ${many.length * 2} certificate links, ${many.length / 10} findings) in ${seconds.toFixed(2)} s, ${Math.round(many.length / seconds)} sessions/s`);
    expect(store.runs()[0]).toMatchObject({ sessions: 20_000, flagged: 2_000 });
  });
});

describe('report filters', () => {
  const [a, b, c] = [sessions[0]!, sessions[1]!, sessions[2]!];
  const rows = [
    variant(a, 's-crit', { findings: [finding('beacon', 'critical'), finding('self_signed', 'low')], start: '2026-11-24T10:00:00.000000Z', sni: 'evil.example.com', server_ip: '203.0.113.7' }),
    variant(b, 's-high', { findings: [finding('self_signed', 'high')], start: '2026-11-24T11:00:00.000000Z', sni: 'Mail.Example.com' }),
    variant(c, 's-med', { findings: [finding('old_tls', 'medium')], start: '2026-11-24T12:00:00.000000Z', sni: 'other.test', client_ip: '10.0.0.9' }),
    variant(a, 's-verdict', { verdict: 'suspicious', score: 30, start: '2026-11-24T09:00:00.000000Z' }),
    variant(b, 's-clean', { start: '2026-11-24T08:00:00.000000Z', sni: 'clean.example.com' }),
  ];
  const ids = (store: SessionStore, f: Parameters<SessionStore['querySessions']>[0]) => store.querySessions(f).map((s) => s.session_id);
  function filled(): SessionStore {
    const store = openStore(dbPath());
    storeRun(store, meta('ff'), rows);
    return store;
  }

  it('lists flagged sessions by default, most severe first; --all adds the clean ones', () => {
    const store = filled();
    expect(ids(store, {})).toEqual(['s-crit', 's-high', 's-med', 's-verdict']);
    expect(ids(store, { all: true })).toEqual(['s-crit', 's-high', 's-med', 's-verdict', 's-clean']);
  });

  it('filters by minimum severity and by rule', () => {
    const store = filled();
    expect(ids(store, { severity: 'high' })).toEqual(['s-crit', 's-high']);
    expect(ids(store, { severity: 'critical' })).toEqual(['s-crit']);
    expect(ids(store, { rule: 'self_signed' })).toEqual(['s-crit', 's-high']);
    expect(ids(store, { rule: 'nope' })).toEqual([]);
  });

  it('filters by SNI glob (case-insensitive) and by address on either side', () => {
    const store = filled();
    expect(ids(store, { sni: '*.example.com' })).toEqual(['s-crit', 's-high']);
    expect(ids(store, { sni: '*.EXAMPLE.com', all: true })).toEqual(['s-crit', 's-high', 's-clean']);
    expect(ids(store, { sni: 'other.test' })).toEqual(['s-med']);
    expect(ids(store, { ip: '203.0.113.7' })).toEqual(['s-crit']);
    expect(ids(store, { ip: '10.0.0.9' })).toEqual(['s-med']);
  });

  it('filters by start time, since and until inclusive', () => {
    const store = filled();
    expect(ids(store, { since: toRecordTime(new Date('2026-11-24T11:00:00Z')) })).toEqual(['s-high', 's-med']);
    expect(ids(store, { until: toRecordTime(new Date('2026-11-24T10:00:00Z')) })).toEqual(['s-crit', 's-verdict']);
    expect(ids(store, { since: '2026-11-24T09:30:00.000000Z', until: '2026-11-24T11:30:00.000000Z', all: true })).toEqual(['s-crit', 's-high']);
  });

  it('filters by run', () => {
    const store = filled();
    const other = storeRun(store, meta('gg'), [variant(a, 'x-1', { findings: [finding('beacon', 'info')] })]);
    expect(ids(store, { run: other })).toEqual(['x-1']);
    expect(store.countSessions({ all: true })).toBe(6);
  });
});
