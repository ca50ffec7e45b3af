/**
 * fingerprint.rare — the client JA4 occurs in exactly one session of the capture (RITA's "rare
 * signature" modifier; issue 5 "a client fingerprint seen once in the capture"). Only judged
 * when the capture has at least RARE_MIN_SESSIONS fingerprinted sessions: in a small capture
 * every fingerprint is rare. Info: context for a reviewer, no score.
 * (The "absent from the site baseline" half comes with the baseline store.)
 */
import { finding, type Rule } from '../rule.js';

export const RARE_MIN_SESSIONS = 10;

export const fingerprintRare: Rule = {
  id: 'fingerprint.rare',
  severity: 'info',
  title: 'Rare client fingerprint',
  description: `The client JA4 appears in only one session of the capture (judged from ${RARE_MIN_SESSIONS} fingerprinted sessions).`,
  evaluate(s, ctx) {
    const ja4 = s.tls?.ja4;
    if (!ja4 || ctx.index.fingerprintedSessions < RARE_MIN_SESSIONS || ctx.index.ja4Counts.get(ja4) !== 1) return [];
    return [finding(this, `JA4 ${ja4} is seen once among ${ctx.index.fingerprintedSessions} fingerprinted sessions`, {
      ja4, ja3: s.tls!.ja3, count: 1, fingerprinted_sessions: ctx.index.fingerprintedSessions,
    })];
  },
};
