/**
 * Severity order and weights: the one place that ranks severities (for scoring, `--fail-on`,
 * `report --severity`). Order: info < low < medium < high < critical.
 */
import type { Finding, Severity } from '../model/session.js';

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Score points per finding severity (see classifier.ts for how they combine). */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  info: 0, low: 5, medium: 15, high: 35, critical: 60,
};

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** 0 (info) .. 4 (critical). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** a >= b in severity order (e.g. `atLeast(f.severity, failOn)` for --fail-on). */
export function atLeast(a: Severity, b: Severity): boolean {
  return severityRank(a) >= severityRank(b);
}

/** The highest severity among the findings, or null when there are none. */
export function maxSeverity(findings: readonly Finding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) if (best === null || severityRank(f.severity) > severityRank(best)) best = f.severity;
  return best;
}

/** Parse a user-given severity name (case-insensitive); throws a one-line Error otherwise. */
export function parseSeverity(text: string): Severity {
  const v = text.trim().toLowerCase();
  if (!isSeverity(v)) throw new Error(`unknown severity "${text}" (expected one of ${SEVERITIES.join(', ')})`);
  return v;
}

/**
 * A session worth a reviewer's look: its verdict is not ok, or a finding is above info (info
 * findings are context, such as a rare fingerprint, and do not flag a session on their own).
 */
export function isFlagged(s: { verdict: string; findings: readonly { severity: Severity }[] }): boolean {
  return s.verdict !== 'ok' || s.findings.some((f) => f.severity !== 'info');
}
