/**
 * intel.client-fingerprint — the client JA3 or JA4 is on an imported indicator list.
 * Client fingerprints collide with ordinary clients (abuse.ch JA3s equal Chrome and Java
 * builds; the Sliver JA4 is Go's default client: ../shared/intel/README.md §9), so a hit is
 * medium at most ("a lone client-fingerprint hit is a lower severity", issue 5); lists that
 * call it "unknown" (dual-use) give info. Benign-list hits are not findings.
 */
import type { Finding } from '../../model/session.js';
import { finding, type Rule } from '../rule.js';

export const intelClientFingerprint: Rule = {
  id: 'intel.client-fingerprint',
  severity: 'medium',
  title: 'Client fingerprint on an intel list',
  description: 'The client JA3 or JA4 is on an imported indicator list (collisions are common: medium at most).',
  evaluate(s, ctx) {
    const t = s.tls;
    if (!t) return [];
    const out: Finding[] = [];
    for (const [kind, value, m] of [['ja4', t.ja4, t.ja4 ? ctx.intel.ja4(t.ja4) : null], ['ja3', t.ja3, t.ja3 ? ctx.intel.ja3(t.ja3) : null]] as const) {
      if (!m || m.verdict === 'benign') continue;
      out.push(finding(this, `client ${kind.toUpperCase()} ${value} is listed as "${m.label}" (${m.list})`,
        { kind, value, list: m.list, label: m.label, verdict: m.verdict, source: m.source ?? null }, m.verdict === 'malicious' ? 'medium' : 'info'));
    }
    return out;
  },
};
