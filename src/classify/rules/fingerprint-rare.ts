/**
 * fingerprint.rare — the client JA4 has not occurred before in this run (RITA's "rare signature"
 * modifier; issue 5 "a client fingerprint seen once in the capture"). Sessions are classified
 * as they end (run-index.ts), so "seen once" is judged on the run so far: the first session
 * with a JA4 the run had not met. Only judged once the run has RARE_MIN_SESSIONS fingerprinted
 * sessions: at the start of a capture every fingerprint is new. Info: context, no score.
 * (Absent from the site baseline: baseline.new-fingerprint.)
 */
import { finding, type Rule } from '../rule.js';

export const RARE_MIN_SESSIONS = 10;

export const fingerprintRare: Rule = {
  id: 'fingerprint.rare',
  severity: 'info',
  title: 'Rare client fingerprint',
  description: `The client JA4 is seen for the first time in the run (judged once ${RARE_MIN_SESSIONS} sessions were fingerprinted).`,
  evaluate(s, ctx) {
    const ja4 = s.tls?.ja4;
    if (!ja4 || ctx.index.fingerprintedSessions < RARE_MIN_SESSIONS || ctx.index.ja4Counts.get(ja4) !== 1) return [];
    return [finding(this, `JA4 ${ja4} is new after ${ctx.index.fingerprintedSessions - 1} fingerprinted sessions`, {
      ja4, ja3: s.tls!.ja3, count: 1, fingerprinted_sessions: ctx.index.fingerprintedSessions,
    })];
  },
};
