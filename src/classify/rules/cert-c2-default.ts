/**
 * cert.c2-default — the certificate is a C2 framework's default: built in, the Cobalt Strike
 * default keystore certificate (serial 146473198 = 0x08BB00EE, CN "Major Cobalt Strike"), plus
 * every certificate trait of the C2 traits CSV given at run time (ClassifyContext.c2Traits,
 * e.g. ../shared/intel/c2/c2_cert_traits.csv: Metasploit, PoshC2, Sliver, AsyncRAT... defaults).
 * Severity by the trait's confidence: high -> critical, medium -> high, low -> low;
 * traits whose verdict is not "malicious" (dual-use: scanners, phishing-awareness kits) -> medium at most.
 * Source: issue 5 "Certificate traits of attack kits and defaults".
 */
import type { Finding, Severity } from '../../model/session.js';
import { certHasTrait, dnValues, type C2Trait } from '../c2-traits.js';
import { finding, type Rule } from '../rule.js';
import { certEvidence } from './util.js';

const COBALT_STRIKE_SERIAL = 146473198n;
const COBALT_STRIKE_CN = 'major cobalt strike';

function severityOf(t: C2Trait): Severity {
  const s: Severity = t.confidence === 'high' ? 'critical' : t.confidence === 'medium' ? 'high' : 'low';
  if (t.verdict !== 'malicious' && (s === 'critical' || s === 'high')) return 'medium';
  return s;
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export const certC2Default: Rule = {
  id: 'cert.c2-default',
  severity: 'critical',
  title: 'C2 framework default certificate',
  description: 'The certificate matches a command-and-control framework default (Cobalt Strike built in; more from the C2 traits file).',
  evaluate(s, ctx) {
    const out: Finding[] = [];
    for (const [position, c] of (s.tls?.certificates ?? []).entries()) {
      const hits: { framework: string; field: string; value: string; severity: Severity; source: string }[] = [];
      const serial = c.serial && /^[0-9a-f]+$/i.test(c.serial) ? BigInt('0x' + c.serial) : null;
      if (serial === COBALT_STRIKE_SERIAL) hits.push({ framework: 'Cobalt Strike', field: 'serial', value: c.serial!, severity: 'critical', source: 'built-in' });
      for (const [field, dn] of [['subject_cn', c.subject], ['issuer_cn', c.issuer]] as const) {
        if (dnValues(dn, 'CN').some((v) => v.toLowerCase() === COBALT_STRIKE_CN)) {
          hits.push({ framework: 'Cobalt Strike', field, value: 'Major Cobalt Strike', severity: 'critical', source: 'built-in' });
        }
      }
      for (const t of ctx.c2Traits) {
        if (certHasTrait(t, c)) hits.push({ framework: t.framework, field: t.field, value: t.value, severity: severityOf(t), source: t.source });
      }
      if (hits.length === 0) continue;
      const top = hits.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
      const frameworks = [...new Set(hits.map((h) => h.framework))];
      out.push(finding(this, `certificate "${c.subject ?? ''}" matches the ${frameworks.join(' / ')} default (${top.field} ${top.value})`, {
        ...certEvidence(c, position), matches: hits.map((h) => ({ framework: h.framework, field: h.field, value: h.value, source: h.source })),
      }, top.severity));
    }
    return out;
  },
};
