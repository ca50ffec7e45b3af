/**
 * fingerprint.c2-default — the client JA3/JA4 or server JA3S equals a fingerprint the C2 traits
 * file attributes to a C2 framework. Fingerprints collide with ordinary clients (the Sliver JA4
 * is Go's default client; Cobalt Strike's JA3S is Java's), so this is low on its own:
 * its weight only matters next to other evidence. Source: issue 5 "a lone client-fingerprint
 * hit is a lower severity"; ../shared/intel/README.md §9 (conflicts).
 */
import { fingerprintTraitValue } from '../c2-traits.js';
import { finding, type Rule } from '../rule.js';

export const fingerprintC2Default: Rule = {
  id: 'fingerprint.c2-default',
  severity: 'low',
  title: 'Fingerprint of a C2 framework',
  description: 'The JA3, JA4 or JA3S equals one the C2 traits file ties to a C2 framework (collisions are common).',
  evaluate(s, ctx) {
    const t = s.tls;
    if (!t || ctx.c2Traits.length === 0) return [];
    const hits = ctx.c2Traits.filter((tr) => tr.verdict === 'malicious' && fingerprintTraitValue(tr, t) !== null);
    if (hits.length === 0) return [];
    return [finding(this, `${hits[0]!.field.toUpperCase()} ${hits[0]!.value} is listed for ${[...new Set(hits.map((h) => h.framework))].join(' / ')}`, {
      matches: hits.map((h) => ({ framework: h.framework, field: h.field, value: h.value, notes: h.notes, source: h.source })),
    })];
  },
};
