/**
 * cert.expired — a certificate of the chain had expired at capture time (fact `expired`,
 * computed against the capture timestamp, design.md principle 8). Source: issue 5.
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence, certsWithFact } from './util.js';

export const certExpired: Rule = {
  id: 'cert.expired',
  severity: 'medium',
  title: 'Expired certificate',
  description: 'A certificate of the server chain was expired at capture time.',
  evaluate(s) {
    return certsWithFact(s, 'expired').map(({ cert, position }) => finding(this,
      `certificate "${cert.subject ?? ''}" expired ${cert.not_after ?? '?'} (before the capture at ${s.start})`,
      { ...certEvidence(cert, position), not_after: cert.not_after, capture_time: s.start }));
  },
};
