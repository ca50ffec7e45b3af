/**
 * The SQLite store (better-sqlite3): runs, their sessions, deduplicated certificates, findings.
 *
 * Durability: a run is inserted as 'incomplete' before the capture is read; sessions go in with
 * prepared statements, one transaction per batch; `finishRun` marks it 'complete' and, in that
 * same transaction, deletes the earlier runs of the same file (same SHA-256). A process killed
 * at any point leaves whole batches only, an 'incomplete' run, and the earlier runs untouched.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import type { Finding, SessionRecord, Severity } from '../model/session.js';
import { TOOL_VERSION } from '../version.js';
import { SCHEMA_VERSION } from './migrations.js';
import { APPLICATION_ID, BUSY_TIMEOUT_MS, SEVERITY_RANK, SQLITE_HEADER, configure, migrate, schemaState } from './schema.js';
import { isFlagged } from '../classify/severity.js';

export type RunStatus = 'complete' | 'incomplete';

export interface RunMeta {
  /** The capture as the user named it ('-' for stdin). */
  file: string;
  size: number | null;
  /** SHA-256 of the capture file (hex); null for stdin, which then never replaces a run. */
  sha256: string | null;
  /** The analysis options, stored as JSON. */
  options: Record<string, unknown>;
  toolVersion?: string;
  /** Keep earlier runs of the same file instead of replacing them when this one completes. */
  keepRuns?: boolean;
}

export interface RunTotals {
  packets: number;
  bytes: number;
  /** Pipeline counters (RunStats), stored as JSON. */
  stats?: unknown;
  /** Size and SHA-256 known only once the file was read (hashed while it was analysed). */
  identity?: { size: number | null; sha256: string | null };
  /**
   * The capture was not read to its end (Ctrl-C on a file): the totals are stored, the run
   * stays 'incomplete' and replaces nothing.
   */
  partial?: boolean;
}

export interface RunInfo {
  id: number;
  file: string;
  size: number | null;
  sha256: string | null;
  capture_start: string | null;
  capture_end: string | null;
  options: Record<string, unknown>;
  tool_version: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  packets: number | null;
  bytes: number | null;
  sessions: number;
  flagged: number;
}

export interface SessionFilter {
  run?: number;
  /** At least this severity. */
  severity?: Severity;
  /** Sessions with a finding of this rule. */
  rule?: string;
  /** Glob on the SNI, case-insensitive: `*.example.com`, `mail?.example.org`. */
  sni?: string;
  /** Client or server address, exactly as stored. */
  ip?: string;
  /** Session start at or after / at or before (ISO-8601 UTC, see toRecordTime). */
  since?: string;
  until?: string;
  /** Include sessions without findings (default: flagged only). */
  all?: boolean;
  limit?: number;
}

export interface StoredSession {
  runId: number;
  record: SessionRecord;
}

export interface OpenOptions {
  /** Create the file when missing (analyze); report/show want an existing one. Default true. */
  create?: boolean;
}

/** Record timestamps are ISO-8601 UTC with microseconds; a Date in the same shape compares as text. */
export function toRecordTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export function maxSeverity(findings: readonly Finding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) if (best === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[best]) best = f.severity;
  return best;
}

/** Flagged (what a review lists by default): a finding, or a verdict other than "ok" (as report/review.ts). */
export { isFlagged };

const DEFAULT_BATCH = 500;

interface RunRow extends Omit<RunInfo, 'options' | 'sessions' | 'flagged'> {
  options: string;
  session_count: number;
  flagged_count: number;
}

export class SessionStore {
  private readonly keepRuns = new Map<number, boolean>();
  private readonly insertSession: Database.Statement;
  private readonly insertCertificate: Database.Statement;
  private readonly insertSessionCertificate: Database.Statement;
  private readonly insertFinding: Database.Statement;
  private readonly countBatch: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    this.insertSession = db.prepare(`INSERT OR IGNORE INTO sessions
      (run_id, session_id, start_time, end_time, transport, client_ip, client_port, server_ip, server_port, protocol,
       sni, ja3, ja3s, ja4, version, score, verdict, max_severity, severity_rank, finding_count, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertCertificate = db.prepare(`INSERT OR IGNORE INTO certificates
      (sha256, sha1, subject, issuer, serial, not_before, not_after, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertSessionCertificate = db.prepare('INSERT INTO session_certificates (run_id, session_id, position, sha256, facts) VALUES (?, ?, ?, ?, ?)');
    this.insertFinding = db.prepare(
      'INSERT INTO findings (run_id, session_id, rule, severity, severity_rank, message, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.countBatch = db.prepare('UPDATE runs SET session_count = session_count + ?, flagged_count = flagged_count + ? WHERE id = ?');
  }

  /**
   * Opens (or creates) a database of ours and migrates it to SCHEMA_VERSION. Anything else (a PNG,
   * a text file, someone else's SQLite database, a newer schema) is a one-line StorageError.
   */
  static open(path: string, options: OpenOptions = {}): SessionStore {
    const create = options.create ?? true;
    checkFile(path, create);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: !create });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      const state = schemaState(db);
      const fresh = state.applicationId === 0 && state.version === 0 && state.objects === 0;
      if (!fresh && state.applicationId !== APPLICATION_ID) {
        throw new StorageError(`${path}: a SQLite database, but not one written by analyze (choose another --db path)`, 'NOT_OUR_DB');
      }
      if (state.version > SCHEMA_VERSION) {
        throw new StorageError(
          `${path}: written by a newer analyze (schema ${state.version}, this one knows up to ${SCHEMA_VERSION}); upgrade the tool`,
          'DB_TOO_NEW',
        );
      }
      configure(db);
      if (state.version < SCHEMA_VERSION || fresh) migrate(db);
      return new SessionStore(db, path);
    } catch (e) {
      db?.close();
      if (e instanceof StorageError) throw e;
      throw new StorageError(`${path}: ${sqliteMessage(e)}`, 'DB_OPEN');
    }
  }

  /** Inserts a run marked 'incomplete'; returns its id. */
  beginRun(meta: RunMeta): number {
    const r = this.write(() =>
      this.db
        .prepare(
          `INSERT INTO runs (file, size, sha256, options, tool_version, status, started_at)
           VALUES (?, ?, ?, ?, ?, 'incomplete', ?)`,
        )
        .run(meta.file, meta.size, meta.sha256, JSON.stringify(meta.options), meta.toolVersion ?? TOOL_VERSION, new Date().toISOString()),
    );
    const id = Number(r.lastInsertRowid);
    this.keepRuns.set(id, meta.keepRuns ?? false);
    return id;
  }

  /** Stores sessions, one transaction per `batchSize`; returns how many were new. */
  addSessions(runId: number, sessions: Iterable<SessionRecord>, batchSize = DEFAULT_BATCH): number {
    const insertBatch = this.db.transaction((batch: SessionRecord[]) => {
      let added = 0;
      let flagged = 0;
      for (const s of batch) {
        if (this.insertOne(runId, s)) {
          added++;
          if (isFlagged(s)) flagged++;
        }
      }
      this.countBatch.run(added, flagged, runId);
      return added;
    });
    let total = 0;
    let batch: SessionRecord[] = [];
    const flush = (): void => {
      total += this.write(() => insertBatch.immediate(batch));
      batch = [];
    };
    for (const s of sessions) {
      batch.push(s);
      if (batch.length >= batchSize) flush();
    }
    if (batch.length > 0) flush();
    return total;
  }

  /**
   * Marks the run 'complete' with its totals and capture time span; unless the run was begun with
   * keepRuns, deletes the earlier runs of the same SHA-256 in the same transaction. Returns their ids.
   */
  finishRun(runId: number, totals: RunTotals): number[] {
    const keep = (this.keepRuns.get(runId) ?? false) || totals.partial === true;
    return this.write(() =>
      this.db
        .transaction(() => {
          const span = this.db.prepare('SELECT min(start_time) AS a, max(end_time) AS b FROM sessions WHERE run_id = ?').get(runId) as {
            a: string | null;
            b: string | null;
          };
          const changed = this.db
            .prepare(
              `UPDATE runs SET status = ?, finished_at = ?, packets = ?, bytes = ?, stats = ?, capture_start = ?, capture_end = ?
               WHERE id = ?`,
            )
            .run(totals.partial ? 'incomplete' : 'complete', new Date().toISOString(), totals.packets, totals.bytes, JSON.stringify(totals.stats ?? null), span.a, span.b, runId).changes;
          if (changed === 0) throw new StorageError(`${this.path}: run ${runId} is not in the database`, 'NO_RUN');
          if (totals.identity !== undefined) {
            this.db.prepare('UPDATE runs SET size = coalesce(?, size), sha256 = coalesce(?, sha256) WHERE id = ?').run(totals.identity.size, totals.identity.sha256, runId);
          }
          if (keep) return [];
          const older = this.db
            .prepare('SELECT id FROM runs WHERE sha256 = (SELECT sha256 FROM runs WHERE id = ?) AND id <> ? ORDER BY id')
            .pluck()
            .all(runId, runId) as number[];
          for (const id of older) this.deleteRunRows(id);
          return older;
        })
        .immediate(),
    );
  }

  /** Forgets a run entirely (e.g. the input turned out not to be a capture). */
  deleteRun(runId: number): void {
    this.write(() => this.db.transaction(() => this.deleteRunRows(runId)).immediate());
  }

  /** Sessions matching `filter`, most severe first, then highest score, then by start time. */
  querySessions(filter: SessionFilter = {}): SessionRecord[] {
    return this.selectSessions(filter).map((r) => r.record);
  }

  /** Like querySessions, with the run each session belongs to. */
  selectSessions(filter: SessionFilter = {}): StoredSession[] {
    const { where, params } = whereClause(filter);
    const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
    const rows = this.db
      .prepare(
        `SELECT s.run_id AS run_id, s.record AS record FROM sessions s ${where}
         ORDER BY s.severity_rank DESC, s.score DESC, s.start_time, s.session_id, s.run_id${limit}`,
      )
      .all(params) as { run_id: number; record: string }[];
    return rows.map((r) => ({ runId: r.run_id, record: JSON.parse(r.record) as SessionRecord }));
  }

  countSessions(filter: SessionFilter = {}): number {
    const { where, params } = whereClause(filter);
    return (this.db.prepare(`SELECT count(*) FROM sessions s ${where}`).pluck().get(params) as number) ?? 0;
  }

  /**
   * One session by id, or by a unique prefix of at least 6 characters; the newest run's copy
   * when several runs hold it. undefined when absent; StorageError when the prefix is ambiguous.
   */
  getSession(sessionId: string): StoredSession | undefined {
    const exact = this.db
      .prepare('SELECT run_id, record FROM sessions WHERE session_id = ? ORDER BY run_id DESC LIMIT 1')
      .get(sessionId) as { run_id: number; record: string } | undefined;
    let row = exact;
    if (row === undefined && sessionId.length >= 6 && /^[0-9a-z]+$/i.test(sessionId)) {
      const ids = this.db
        .prepare('SELECT DISTINCT session_id FROM sessions WHERE session_id GLOB ? LIMIT 2')
        .pluck()
        .all(`${sessionId.toLowerCase()}*`) as string[];
      if (ids.length > 1) throw new StorageError(`session id prefix ${sessionId} is ambiguous (${ids.join(', ')}, ...): give more characters`, 'AMBIGUOUS');
      if (ids.length === 1) {
        row = this.db
          .prepare('SELECT run_id, record FROM sessions WHERE session_id = ? ORDER BY run_id DESC LIMIT 1')
          .get(ids[0]) as { run_id: number; record: string };
      }
    }
    return row === undefined ? undefined : { runId: row.run_id, record: JSON.parse(row.record) as SessionRecord };
  }

  runs(): RunInfo[] {
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[];
    return rows.map(({ options, session_count, flagged_count, ...rest }) => ({
      ...rest,
      options: JSON.parse(options) as Record<string, unknown>,
      sessions: session_count,
      flagged: flagged_count,
    }));
  }

  /** The underlying connection, for tests and one-off maintenance. */
  get connection(): Database.Database {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private insertOne(runId: number, s: SessionRecord): boolean {
    const sev = maxSeverity(s.findings);
    const tls = s.tls;
    // Positional parameters, in the order of the INSERT's column list: binding by name cost a
    // fifth of the store's time (a parameter object per session, names looked up).
    const added = this.insertSession.run(
      runId,
      s.session_id,
      s.start,
      s.end,
      s.transport,
      s.client_ip,
      s.client_port,
      s.server_ip,
      s.server_port,
      s.protocol,
      tls?.sni ?? null,
      tls?.ja3 ?? null,
      tls?.ja3s ?? null,
      tls?.ja4 ?? null,
      tls?.version ?? null,
      s.score,
      s.verdict,
      sev,
      sev === null ? 0 : SEVERITY_RANK[sev],
      s.findings.length,
      JSON.stringify(s),
    ).changes;
    if (added === 0) return false;
    const certificates = tls?.certificates ?? [];
    for (let i = 0; i < certificates.length; i++) {
      const { facts, ...cert } = certificates[i]!;
      this.insertCertificate.run(cert.sha256, cert.sha1, cert.subject, cert.issuer, cert.serial, cert.not_before, cert.not_after, JSON.stringify(cert));
      this.insertSessionCertificate.run(runId, s.session_id, i, cert.sha256, JSON.stringify(facts));
    }
    for (const f of s.findings) {
      this.insertFinding.run(runId, s.session_id, f.rule, f.severity, SEVERITY_RANK[f.severity], f.message, JSON.stringify(f.evidence ?? {}));
    }
    return true;
  }

  private deleteRunRows(runId: number): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    this.db.prepare('DELETE FROM certificates WHERE sha256 NOT IN (SELECT sha256 FROM session_certificates)').run();
    this.keepRuns.delete(runId);
  }

  /** Runs a write, turning SQLite failures (disk full, read-only file, lock timeout) into one line. */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StorageError) throw e;
      if (e instanceof Database.SqliteError) throw new StorageError(`${this.path}: ${sqliteMessage(e)}`, 'DB_WRITE');
      throw e;
    }
  }
}

function whereClause(f: SessionFilter): { where: string; params: Record<string, unknown> } {
  const terms: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.run !== undefined) {
    terms.push('s.run_id = @run');
    params.run = f.run;
  }
  if (f.severity !== undefined) {
    terms.push('s.severity_rank >= @rank');
    params.rank = SEVERITY_RANK[f.severity];
  } else if (!f.all && f.rule === undefined) {
    // isFlagged (classify/severity.ts): a finding above info, or a verdict other than ok.
    terms.push("(s.severity_rank >= @flagRank OR s.verdict <> 'ok')");
    params.flagRank = SEVERITY_RANK.low;
  }
  if (f.rule !== undefined) {
    terms.push('EXISTS (SELECT 1 FROM findings x WHERE x.run_id = s.run_id AND x.session_id = s.session_id AND x.rule = @rule)');
    params.rule = f.rule;
  }
  if (f.sni !== undefined) {
    terms.push('lower(s.sni) GLOB @sni');
    params.sni = f.sni.toLowerCase();
  }
  if (f.ip !== undefined) {
    terms.push('(s.client_ip = @ip OR s.server_ip = @ip)');
    params.ip = f.ip;
  }
  if (f.since !== undefined) {
    terms.push('s.start_time >= @since');
    params.since = f.since;
  }
  if (f.until !== undefined) {
    terms.push('s.start_time <= @until');
    params.until = f.until;
  }
  return { where: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/** Refuses, before SQLite sees it, anything that cannot be a database: a directory, a PNG, text. */
function checkFile(path: string, create: boolean): void {
  if (path === ':memory:') return;
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new StorageError(`${path}: is a directory, not a database file`, 'NOT_A_DB');
    size = st.size;
  } catch (e) {
    if (e instanceof StorageError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (create) return;
      throw new StorageError(`${path}: no such database (create one with analyze --pcap FILE --db ${path})`, 'NO_DB');
    }
    throw new StorageError(`${path}: ${(e as Error).message}`, 'DB_OPEN');
  }
  if (size === 0) return;
  const head = Buffer.alloc(16);
  let n: number;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new StorageError(`${path}: ${(e as Error).message}`, 'DB_OPEN');
  }
  if (n < 16 || head.toString('latin1') !== SQLITE_HEADER) {
    throw new StorageError(`${path}: not a SQLite database (choose another --db path)`, 'NOT_A_DB');
  }
}

function sqliteMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = (err.message ?? String(e)).split('\n')[0]!;
  return err.code && err.code.startsWith('SQLITE_') ? `${msg} (${err.code})` : msg;
}
