/**
 * The intel rows in the run database (`intel` table, schema step 2 -> 3): import (a file's rows
 * replace the rows imported earlier from a file of the same name), counts, and loading them back.
 * A second connection beside SessionStore: SessionStore.open checks that the file is ours and
 * migrates it first.
 */
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { configure } from '../store/schema.js';
import { SessionStore } from '../store/sqlite-store.js';
import type { IntelKind, IntelRow, IntelVerdict } from './import.js';

export interface IntelCount {
  file: string;
  source: string;
  kind: string;
  verdict: string;
  rows: number;
}

export class IntelStore {
  private constructor(private readonly db: Database.Database) {}

  /** Open (creating and migrating when `create`) a database of ours. Throws a one-line StorageError. */
  static open(path: string, options: { create?: boolean } = {}): IntelStore {
    SessionStore.open(path, { create: options.create ?? true }).close();
    try {
      const db = new Database(path, { fileMustExist: true });
      configure(db);
      return new IntelStore(db);
    } catch (e) {
      throw new StorageError(`${path}: ${(e as Error).message}`, 'DB_OPEN');
    }
  }

  /**
   * Replace the rows of one imported file (by its base name) with `rows`, in one transaction.
   * Duplicate (kind, value, source) rows of the file keep the first. Returns rows stored per kind.
   */
  replaceFile(file: string, rows: readonly IntelRow[]): Map<IntelKind, number> {
    const name = basename(file);
    const del = this.db.prepare('DELETE FROM intel WHERE file = ?');
    const ins = this.db.prepare('INSERT OR IGNORE INTO intel (kind, value, source, listed_at, reason, verdict, file, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const counts = new Map<IntelKind, number>();
    this.db.transaction(() => {
      del.run(name);
      for (const r of rows) {
        const res = ins.run(r.kind, r.value, r.source, r.listedAt, r.label, r.verdict, name, r.extra ? JSON.stringify(r.extra) : null);
        if (res.changes > 0) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
      }
    }).immediate();
    return counts;
  }

  counts(): IntelCount[] {
    return this.db.prepare(`SELECT file, source, kind, verdict, count(*) AS rows FROM intel
      GROUP BY file, source, kind, verdict ORDER BY file, source, kind, verdict`).all() as IntelCount[];
  }

  total(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM intel').get() as { n: number }).n;
  }

  /** Every row of the given kinds. */
  rows(kinds: readonly IntelKind[]): IntelRow[] {
    const q = this.db.prepare(`SELECT kind, value, source, listed_at, reason, verdict, extra FROM intel WHERE kind IN (${kinds.map(() => '?').join(',')}) ORDER BY id`);
    return (q.all(...kinds) as { kind: IntelKind; value: string; source: string; listed_at: string | null; reason: string | null; verdict: IntelVerdict; extra: string | null }[])
      .map((r) => ({ kind: r.kind, value: r.value, source: r.source, listedAt: r.listed_at, label: r.reason ?? '', verdict: r.verdict, extra: r.extra ? (JSON.parse(r.extra) as Record<string, unknown>) : null }));
  }

  close(): void {
    this.db.close();
  }
}
