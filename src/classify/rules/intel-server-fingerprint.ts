/**
 * intel.server-fingerprint — the server JA3S is on an imported indicator list. JA3S depends on
 * the server stack and the client's offer (Cobalt Strike's equals Java's), so: medium.
 * Source: issue 5 "Known-bad intel: ... server JA3S".
 */
import { finding, type Rule } from '../rule.js';

export const intelServerFingerprint: Rule = {
  id: 'intel.server-fingerprint',
  severity: 'medium',
  title: 'Server fingerprint on an intel list',
  description: 'The server JA3S is on an imported indicator list.',
  evaluate(s, ctx) {
    const ja3s = s.tls?.ja3s;
    const m = ja3s ? ctx.intel.ja3s(ja3s) : null;
    if (!ja3s || !m || m.verdict === 'benign') return [];
    return [finding(this, `server JA3S ${ja3s} is listed as "${m.label}" (${m.list})`,
      { kind: 'ja3s', value: ja3s, list: m.list, label: m.label, verdict: m.verdict, source: m.source ?? null }, m.verdict === 'malicious' ? 'medium' : 'info')];
  },
};
