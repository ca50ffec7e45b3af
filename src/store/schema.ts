/**
 * What makes a SQLite file one of ours, the connection settings, and bringing a database up to
 * SCHEMA_VERSION. The marker is `PRAGMA application_id` (a 32-bit number in the file header,
 * meant for exactly this, https://sqlite.org/pragma.html#pragma_application_id); the version is
 * `PRAGMA user_version`.
 */
import type Database from 'better-sqlite3';
import type { Severity } from '../model/session.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** "T443" in ASCII. */
export const APPLICATION_ID = 0x54343433;

/** The first 16 bytes of every SQLite 3 database file. */
export const SQLITE_HEADER = 'SQLite format 3\0';

export const BUSY_TIMEOUT_MS = 5000;

/** Severity as a number so that "at least high" and "most severe first" are index scans; 0 = no finding. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
export const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

/** WAL (readers never block the writer), NORMAL sync (durable at checkpoints, never corrupt), FKs. */
export function configure(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') setWal(db);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

/**
 * Switching to WAL needs a moment alone with the file; a second process creating the same
 * database at the same instant gets SQLITE_BUSY without the busy handler, so retry briefly.
 */
function setWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

export interface SchemaState {
  applicationId: number;
  version: number;
  /** Tables, views, indexes and triggers, other than SQLite's own. */
  objects: number;
}

export function schemaState(db: Database.Database): SchemaState {
  return {
    applicationId: Number(db.pragma('application_id', { simple: true })),
    version: Number(db.pragma('user_version', { simple: true })),
    objects: Number((db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as { n: number }).n),
  };
}

/**
 * Applies the missing migrations, each with its version bump, inside one IMMEDIATE transaction
 * (state re-read inside it: two processes opening a new file at once migrate it once).
 * Returns the version found before migrating.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): number {
  return db
    .transaction(() => {
      const { applicationId, version } = schemaState(db);
      if (applicationId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      for (let v = version; v < target; v++) {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
      return version;
    })
    .immediate();
}
