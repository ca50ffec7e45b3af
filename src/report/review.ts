/**
 * What every review renderer shares: which sessions are flagged, how severe, in which order,
 * and the counts the summaries show. Pure functions of the session records.
 */
import type { SessionRecord, Severity } from '../model/session.js';
import { isFlagged } from '../classify/severity.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** critical 5 .. info 1; 0 for a session without findings. */
export function severityRank(s: Severity | null): number {
  return s === null ? 0 : 5 - SEVERITIES.indexOf(s);
}

/** The most severe finding of a session, null without findings. */
export function maxSeverity(s: SessionRecord): Severity | null {
  let best: Severity | null = null;
  for (const f of s.findings) if (severityRank(f.severity) > severityRank(best)) best = f.severity;
  return best;
}

/** Flagged: at least one finding, or a verdict other than "ok". */
export { isFlagged };

/** The rule ids of a session's findings, each once, in order of appearance. */
export function rulesOf(s: SessionRecord): string[] {
  return [...new Set(s.findings.map((f) => f.rule))];
}

/** Most severe first, then highest score, then first packet, then id (deterministic). */
export function compareSessions(a: SessionRecord, b: SessionRecord): number {
  return (
    severityRank(maxSeverity(b)) - severityRank(maxSeverity(a)) ||
    b.score - a.score ||
    (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) ||
    (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0)
  );
}

/** The sessions a review lists: the flagged ones (all with `all`), most severe first. */
export function reviewOrder(sessions: readonly SessionRecord[], all = false): SessionRecord[] {
  return (all ? [...sessions] : sessions.filter(isFlagged)).sort(compareSessions);
}

export interface ReviewSummary {
  sessions: number;
  flagged: number;
  /** Flagged sessions by their most severe finding; "none" = flagged by verdict alone. */
  bySeverity: Record<Severity | 'none', number>;
  /** Rules by the number of sessions they fired on, most first (ties by name). */
  topRules: { rule: string; count: number }[];
}

export function reviewSummary(sessions: readonly SessionRecord[], top = 10): ReviewSummary {
  const bySeverity: Record<Severity | 'none', number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, none: 0 };
  const rules = new Map<string, number>();
  let flagged = 0;
  for (const s of sessions) {
    if (!isFlagged(s)) continue;
    flagged++;
    bySeverity[maxSeverity(s) ?? 'none']++;
    for (const r of rulesOf(s)) rules.set(r, (rules.get(r) ?? 0) + 1);
  }
  const topRules = [...rules]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1))
    .slice(0, top);
  return { sessions: sessions.length, flagged, bySeverity, topRules };
}

/** "ip:port", IPv6 in brackets. */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** One evidence value as a single line of text (strings as they are, the rest as JSON). */
export function evidenceValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return '[unserialisable]';
  }
}
