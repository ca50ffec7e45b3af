/**
 * The baseline in the store's `baseline` table (migration 1 -> 2: kind, value, first_seen,
 * last_seen, count). The database is opened and migrated by SessionStore.open (which also
 * refuses files that are not ours); this module then uses its own short-lived connection, so
 * the session store stays as it is.
 */
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { SessionStore } from '../store/sqlite-store.js';
import { BUSY_TIMEOUT_MS, configure } from '../store/schema.js';
import { BaselineSet, type BaselineEntry } from './baseline.js';

function connect(path: string, create: boolean): Database.Database {
  // Validates the file (ours, not newer) and migrates it; throws a one-line StorageError.
  SessionStore.open(path, { create }).close();
  try {
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    configure(db);
    return db;
  } catch (e) {
    throw new StorageError(`${path}: ${(e as Error).message}`, 'DB_OPEN');
  }
}

/**
 * Adds a capture's entries: counts add up, first_seen/last_seen widen (record time strings
 * compare as text). One transaction. Returns the number of entries that were new.
 */
export function recordBaseline(path: string, entries: readonly BaselineEntry[]): number {
  const db = connect(path, true);
  try {
    const exists = db.prepare('SELECT 1 FROM baseline WHERE kind = ? AND value = ?');
    const upsert = db.prepare(`INSERT INTO baseline (kind, value, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (kind, value) DO UPDATE SET
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        count = count + excluded.count`);
    return db
      .transaction(() => {
        let added = 0;
        for (const e of entries) {
          if (exists.get(e.kind, e.value) === undefined) added++;
          upsert.run(e.kind, e.value, e.first_seen, e.last_seen, e.count);
        }
        return added;
      })
      .immediate();
  } finally {
    db.close();
  }
}

/** Every stored entry, ordered by kind and value. */
export function readBaseline(path: string): BaselineEntry[] {
  const db = connect(path, false);
  try {
    return db.prepare('SELECT kind, value, first_seen, last_seen, count FROM baseline ORDER BY kind, value').all() as BaselineEntry[];
  } finally {
    db.close();
  }
}

/** The baseline of an existing database as a lookup, or null when it holds none (or the file does not exist yet). */
export function loadBaseline(path: string): BaselineSet | null {
  const entries = readBaseline(path);
  return entries.length === 0 ? null : new BaselineSet(entries);
}
