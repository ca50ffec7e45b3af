/**
 * baseline.new-certificate — the server's leaf certificate (SHA-256) is absent from the site
 * baseline (`analyze learn`). Info: certificates are renewed routinely; context for a reviewer.
 * Judged only when a baseline with certificates exists and the leaf is visible.
 */
import { finding, type Rule } from '../rule.js';

export const baselineNewCertificate: Rule = {
  id: 'baseline.new-certificate',
  severity: 'info',
  title: 'Certificate new to the site',
  description: 'The server leaf certificate (SHA-256) is not in the site baseline recorded by `analyze learn` (only with a baseline).',
  evaluate(s, ctx) {
    const b = ctx.baseline;
    const leaf = s.tls?.certificates[0];
    if (b === null || leaf === undefined || b.size('cert_sha256') === 0 || b.has('cert_sha256', leaf.sha256)) return [];
    return [finding(this, `leaf certificate ${leaf.sha256} (${leaf.subject}) is not in the site baseline`, {
      sha256: leaf.sha256, subject: leaf.subject, issuer: leaf.issuer, sni: s.tls!.sni, baseline_certificates: b.size('cert_sha256'),
    })];
  },
};
