/**
 * intel.certificate — a certificate of the server chain is on an imported list by SHA-1
 * (abuse.ch SSLBL lists C2 leaf certificates by SHA-1) or SHA-256. A certificate hash does not
 * collide: a malicious listing is critical; an "unknown" (dual-use) one is low.
 * Source: issue 5 "certificate SHA-1/SHA-256 on an imported list".
 */
import type { Finding } from '../../model/session.js';
import { finding, type Rule } from '../rule.js';
import { certEvidence } from './util.js';

export const intelCertificate: Rule = {
  id: 'intel.certificate',
  severity: 'critical',
  title: 'Certificate on an intel list',
  description: 'A certificate of the server chain is on an imported indicator list (SHA-1 or SHA-256).',
  evaluate(s, ctx) {
    const out: Finding[] = [];
    for (const [position, c] of (s.tls?.certificates ?? []).entries()) {
      const hit = ((): { kind: string; m: NonNullable<ReturnType<typeof ctx.intel.certSha1>> } | null => {
        const a = ctx.intel.certSha1(c.sha1);
        if (a && a.verdict !== 'benign') return { kind: 'sha1', m: a };
        const b = ctx.intel.certSha256(c.sha256);
        if (b && b.verdict !== 'benign') return { kind: 'sha256', m: b };
        return null;
      })();
      if (!hit) continue;
      out.push(finding(this, `certificate "${c.subject ?? ''}" (${hit.kind.toUpperCase()} ${hit.kind === 'sha1' ? c.sha1 : c.sha256}) is listed as "${hit.m.label}" (${hit.m.list})`,
        { ...certEvidence(c, position), sha1: c.sha1, matched: hit.kind, list: hit.m.list, label: hit.m.label, verdict: hit.m.verdict, source: hit.m.source ?? null },
        hit.m.verdict === 'malicious' ? 'critical' : 'low'));
    }
    return out;
  },
};
