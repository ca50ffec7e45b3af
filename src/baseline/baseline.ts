/**
 * The site baseline (issue 5, `analyze learn`): the client fingerprints, servers and leaf
 * certificates seen in captures the site calls normal. What a capture contributes is computed
 * here (pure); baseline-store.ts keeps it in the store's `baseline` table; the baseline.* rules
 * read it through BaselineLookup.
 */
import type { SessionRecord } from '../model/session.js';
import { isIpLiteral } from '../classify/rules/util.js';

/** Kinds stored in the `baseline` table's `kind` column (stable: stored). */
export const BASELINE_KINDS = ['ja3', 'ja4', 'server_ip', 'sni', 'cert_sha256'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export interface BaselineEntry {
  kind: BaselineKind;
  value: string;
  /** Capture time of the first and last session carrying it (record time format). */
  first_seen: string;
  last_seen: string;
  count: number;
}

/** What rules ask of the baseline. */
export interface BaselineLookup {
  has(kind: BaselineKind, value: string): boolean;
  /** Entries per kind (for evidence: "absent from a baseline of N JA4s"). */
  size(kind: BaselineKind): number;
}

/** An in-memory baseline (loaded from the store, or built in tests). */
export class BaselineSet implements BaselineLookup {
  private readonly sets = new Map<BaselineKind, Set<string>>();

  constructor(entries: Iterable<{ kind: string; value: string }> = []) {
    for (const e of entries) this.add(e.kind as BaselineKind, e.value);
  }

  add(kind: BaselineKind, value: string): void {
    let s = this.sets.get(kind);
    if (s === undefined) this.sets.set(kind, (s = new Set()));
    s.add(normalize(kind, value));
  }

  has(kind: BaselineKind, value: string): boolean {
    return this.sets.get(kind)?.has(normalize(kind, value)) ?? false;
  }

  size(kind: BaselineKind): number {
    return this.sets.get(kind)?.size ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const s of this.sets.values()) n += s.size;
    return n;
  }
}

/** SNI compares case-insensitively, hashes as lower-case hex; everything else as is. */
export function normalize(kind: BaselineKind, value: string): string {
  return kind === 'sni' || kind === 'cert_sha256' ? value.toLowerCase() : value;
}

/**
 * The baseline entries of one analysed capture: per kind and value, how many sessions carried it
 * and the first/last session time. Servers: the SNI (when the client sent a name) and the server IP.
 */
export function baselineEntries(sessions: readonly SessionRecord[]): BaselineEntry[] {
  const map = new Map<string, BaselineEntry>();
  const add = (kind: BaselineKind, value: string | null | undefined, s: SessionRecord): void => {
    if (value === null || value === undefined || value === '') return;
    const v = normalize(kind, value);
    const key = `${kind}\0${v}`;
    const e = map.get(key);
    if (e === undefined) map.set(key, { kind, value: v, first_seen: s.start, last_seen: s.end, count: 1 });
    else {
      e.count++;
      if (s.start < e.first_seen) e.first_seen = s.start;
      if (s.end > e.last_seen) e.last_seen = s.end;
    }
  };
  for (const s of sessions) {
    const t = s.tls;
    if (t === null) continue;
    add('ja3', t.ja3, s);
    add('ja4', t.ja4, s);
    add('server_ip', s.server_ip, s);
    if (t.sni !== null && !isIpLiteral(t.sni)) add('sni', t.sni, s);
    add('cert_sha256', t.certificates[0]?.sha256, s);
  }
  return [...map.values()].sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}
