/**
 * baseline.new-fingerprint — the client JA4 is absent from the site baseline (`analyze learn`;
 * issue 5 "a client fingerprint ... absent from the site baseline"): software the site has not
 * run before. Judged only when a baseline with at least one JA4 exists. Low: a browser update
 * changes its fingerprint too; it weighs with other facts.
 */
import { finding, type Rule } from '../rule.js';

export const baselineNewFingerprint: Rule = {
  id: 'baseline.new-fingerprint',
  severity: 'low',
  title: 'Client fingerprint new to the site',
  description: 'The client JA4 is not in the site baseline recorded by `analyze learn` (only with a baseline).',
  evaluate(s, ctx) {
    const b = ctx.baseline;
    const ja4 = s.tls?.ja4;
    if (b === null || !ja4 || b.size('ja4') === 0 || b.has('ja4', ja4)) return [];
    const ja3 = s.tls!.ja3;
    return [finding(this, `client JA4 ${ja4} is not in the site baseline (${b.size('ja4')} known JA4s)`, {
      ja4, ja3, ja3_in_baseline: ja3 ? b.has('ja3', ja3) : null, baseline_ja4s: b.size('ja4'),
    })];
  },
};
