/**
 * The classifier: runs every rule (classify/rules/) over every session of a run and fills
 * `findings`, `score` and `verdict`. A session is judged when it ends (RunClassifier), on its
 * own facts and on what the run saw before it (fingerprint counts, beacon series, DNS answers):
 * the verdict printed with a streamed session is final.
 *
 * Combination logic
 *  1. Rules run in RULES order; a rule disabled by the policy does not run; a policy override
 *     replaces the severity of every finding of that rule.
 *  2. score = sum over RULES that fired of the weight of that rule's most severe finding
 *     (critical 60, high 35, medium 15, low 5, info 0; a rule counts once however many
 *     certificates or groups it flags), capped at 100.
 *  3. verdict
 *       malicious  - a critical finding, or score >= 70 with evidence of at least two
 *                    independent kinds (kind = rule id prefix: protocol, cert, sni, tls,
 *                    fingerprint, beacon, intel; info findings do not count);
 *       suspicious - score >= 15 with at least one finding of medium or above, or score >= 20
 *                    from low findings alone (four low rules: a client without SNI to a
 *                    private-CA server with a long-lived certificate is not yet suspicious);
 *       ok         - otherwise.
 *     Intel client-fingerprint hits are medium at most (collisions), so a lone one gives
 *     "suspicious", never "malicious"; a listed certificate hash is critical.
 *  4. A session matching a policy allow entry keeps its findings, each downgraded to info with
 *     evidence.allowed_by and evidence.original_severity; its score is 0 and its verdict ok
 *     (an internal dashboard with a self-signed certificate, once allowed, is legitimate).
 *  5. A rule that throws (a bug) does not stop the run: the session gets an info finding
 *     `classify.rule-error` naming the rule.
 */
import { readFileSync } from 'node:fs';
import type { Finding, SessionRecord, Severity, Verdict } from '../model/session.js';
import { parseC2Traits, type C2Trait } from './c2-traits.js';
import { allowMatch, emptyPolicy, parsePolicy, type Policy } from './policy.js';
import { EMPTY_INTEL, type ClassifyContext, type IntelLookup, type Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { buildRunIndex } from './run-index.js';
import { SEVERITY_WEIGHTS, severityRank } from './severity.js';
import { EMPTY_DNS, type DnsLookup } from '../dns/dns-log.js';
import type { BaselineLookup } from '../baseline/baseline.js';

export { maxSeverity, atLeast, severityRank, parseSeverity, SEVERITIES, SEVERITY_WEIGHTS } from './severity.js';

export const SUSPICIOUS_SCORE = 15;
/** Low findings alone need this much (four low rules) to make a session suspicious. */
export const SUSPICIOUS_LOW_ONLY_SCORE = 20;
export const MALICIOUS_SCORE = 70;
export const MALICIOUS_MIN_KINDS = 2;

/** Ports where non-TLS payload is flagged when the caller gives none (IANA TLS service ports). */
export const DEFAULT_TLS_PORTS: ReadonlySet<number> = new Set([443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443]);

export interface ClassifyOptions {
  policy?: Policy;
  intel?: IntelLookup;
  /** Path of a C2 traits CSV (../shared/intel/c2/c2_cert_traits.csv layout); read once per run. */
  c2TraitsCsv?: string;
  /** Already parsed traits (instead of, or in addition to, c2TraitsCsv). */
  c2Traits?: readonly C2Trait[];
  /** Service ports for protocol.not-tls-on-tls-port (default DEFAULT_TLS_PORTS; pass the run's --ports). */
  tlsPorts?: ReadonlySet<number>;
  /** The run's DNS log (dns.* rules); default: nothing resolved. */
  dns?: DnsLookup;
  /** The site baseline (baseline.* rules); default: none. */
  baseline?: BaselineLookup | null;
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  title: string;
  description: string;
}

/** Every rule with its default severity, for `analyze rules`. */
export function listRules(): RuleInfo[] {
  return RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, description: r.description }));
}

export function ruleIds(): string[] {
  return RULES.map((r) => r.id);
}

/** parsePolicy that also rejects unknown rule ids. Throws a one-line Error. */
export function loadPolicy(text: string): Policy {
  return parsePolicy(text, ruleIds());
}

/** Read and parse a C2 traits CSV; throws a one-line Error naming the file. */
export function loadC2Traits(path: string): C2Trait[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read C2 traits file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return parseC2Traits(text);
}

/** The kind of evidence a rule gives (its id prefix). */
export function evidenceKind(ruleId: string): string {
  const dot = ruleId.indexOf('.');
  return dot === -1 ? ruleId : ruleId.slice(0, dot);
}

/** Score and verdict of a session's findings (step 2 and 3 above). */
export function scoreFindings(findings: readonly Finding[]): { score: number; verdict: Verdict } {
  const perRule = new Map<string, Severity>();
  for (const f of findings) {
    const prev = perRule.get(f.rule);
    if (prev === undefined || severityRank(f.severity) > severityRank(prev)) perRule.set(f.rule, f.severity);
  }
  let score = 0;
  for (const sev of perRule.values()) score += SEVERITY_WEIGHTS[sev];
  score = Math.min(100, score);
  const kinds = new Set(findings.filter((f) => f.severity !== 'info').map((f) => evidenceKind(f.rule)));
  let verdict: Verdict = 'ok';
  if (findings.some((f) => f.severity === 'critical') || (score >= MALICIOUS_SCORE && kinds.size >= MALICIOUS_MIN_KINDS)) verdict = 'malicious';
  else if ((score >= SUSPICIOUS_SCORE && findings.some((f) => severityRank(f.severity) >= severityRank('medium'))) || score >= SUSPICIOUS_LOW_ONLY_SCORE) {
    verdict = 'suspicious';
  }
  return { score, verdict };
}

/**
 * A context whose run index already counts `sessions` (in that order). The pipeline uses
 * RunClassifier instead, which counts each session just before judging it.
 */
export function buildContext(sessions: readonly SessionRecord[], options: ClassifyOptions = {}): ClassifyContext {
  const c2Traits = [...(options.c2Traits ?? []), ...(options.c2TraitsCsv ? loadC2Traits(options.c2TraitsCsv) : [])];
  return {
    index: buildRunIndex(sessions),
    policy: options.policy ?? emptyPolicy(),
    intel: options.intel ?? EMPTY_INTEL,
    c2Traits,
    tlsPorts: options.tlsPorts ?? DEFAULT_TLS_PORTS,
    dns: options.dns ?? EMPTY_DNS,
    baseline: options.baseline ?? null,
  };
}

function runRule(rule: Rule, s: SessionRecord, ctx: ClassifyContext): Finding[] {
  try {
    return rule.evaluate(s, ctx);
  } catch (e) {
    return [{ rule: 'classify.rule-error', severity: 'info', message: `rule ${rule.id} failed: ${(e as Error).message}`, evidence: { rule: rule.id } }];
  }
}

/** Findings, score and verdict of one session in a prepared context. */
export function classifySession(s: SessionRecord, ctx: ClassifyContext): void {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (ctx.policy.disabled.has(rule.id)) continue;
    const override = ctx.policy.overrides.get(rule.id);
    for (const f of runRule(rule, s, ctx)) findings.push(override ? { ...f, severity: override } : f);
  }
  const allowed = allowMatch(ctx.policy, s);
  if (allowed) {
    s.findings = findings.map((f) => ({
      ...f, severity: 'info',
      evidence: { ...f.evidence, allowed_by: `${allowed.list}: ${allowed.entry}`, original_severity: f.severity },
    }));
    s.score = 0;
    s.verdict = 'ok';
    return;
  }
  s.findings = findings;
  const { score, verdict } = scoreFindings(findings);
  s.score = score;
  s.verdict = verdict;
}

/**
 * Classifies the sessions of one run as they end (the pipeline streams them out): each session
 * is counted into the run index, then judged on it and on the sessions before it.
 * Throws (one-line Error) only on a bad option, e.g. an unreadable C2 traits file.
 */
export class RunClassifier {
  readonly ctx: ClassifyContext;

  constructor(options: ClassifyOptions = {}) {
    this.ctx = buildContext([], options);
  }

  classify(s: SessionRecord): void {
    this.ctx.index.add(s);
    classifySession(s, this.ctx);
  }
}

/** Classifies `sessions` in place, in the given order (as if they had ended in that order). */
export function classifySessions(sessions: readonly SessionRecord[], options: ClassifyOptions = {}): void {
  const run = new RunClassifier(options);
  for (const s of sessions) run.classify(s);
}
