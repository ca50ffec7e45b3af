/** Shared by the store tests: session records from the golden file, variations, a built dist. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, SessionRecord } from '../../src/model/session.js';
import { cli, ensureBuiltCli, root } from '../helpers/built-cli.js';

export { cli, root };
export const distStore = join(root, 'dist/store/sqlite-store.js');
export const fixture = join(root, 'fixtures/loopback-clients.pcap');
export const golden = join(root, 'test/golden/loopback-clients.sessions.jsonl');

/** The 18 sessions of fixtures/loopback-clients.pcap, as the golden file records them. */
export function goldenSessions(): SessionRecord[] {
  return readFileSync(golden, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SessionRecord);
}

/** The same sessions with the classifier's findings removed: a clean base for store tests. */
export function cleanSessions(): SessionRecord[] {
  return goldenSessions().map((s) => ({ ...s, findings: [], score: 0, verdict: 'ok' as const }));
}

/** A copy of `base` with another id and optional changes (findings set the verdict and score). */
export function variant(base: SessionRecord, id: string, change: Partial<SessionRecord> & { sni?: string | null } = {}): SessionRecord {
  const s = structuredClone(base);
  const { sni, ...rest } = change;
  Object.assign(s, rest, { session_id: id });
  if (sni !== undefined && s.tls !== null) s.tls.sni = sni;
  if (change.findings?.length) {
    s.verdict = change.verdict ?? 'suspicious';
    s.score = change.score ?? 50;
  }
  return s;
}

export function finding(rule: string, severity: Finding['severity']): Finding {
  return { rule, severity, message: `${rule} fired`, evidence: { why: rule } };
}

/** Builds dist/ when it is missing or older than any source (the store tests run it in children). */
export const ensureBuilt = ensureBuiltCli;
