/**
 * Sessions on their way into the store while a run streams: written in one transaction per
 * SESSION_BATCH sessions, or sooner when FLUSH_AFTER_MS have passed (a live capture's sessions
 * show up in `analyze report` within about a second), and at the end of the run.
 */
import type { SessionRecord } from '../model/session.js';
import type { SessionStore } from './sqlite-store.js';

const SESSION_BATCH = 500;
const FLUSH_AFTER_MS = 1000;

export class SessionBatch {
  private pending: SessionRecord[] = [];
  private lastFlush = Date.now();

  constructor(
    private readonly store: SessionStore,
    private readonly runId: number,
  ) {}

  add(s: SessionRecord): void {
    this.pending.push(s);
    if (this.pending.length >= SESSION_BATCH || Date.now() - this.lastFlush >= FLUSH_AFTER_MS) this.flush();
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.store.addSessions(this.runId, batch, SESSION_BATCH);
  }
}
