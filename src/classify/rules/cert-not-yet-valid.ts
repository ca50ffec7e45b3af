/**
 * cert.not-yet-valid — a certificate's notBefore is after the capture time (fact
 * `not_yet_valid`): a freshly generated kit certificate with a skewed clock, or backdating
 * gone wrong. Source: issue 5.
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence, certsWithFact } from './util.js';

export const certNotYetValid: Rule = {
  id: 'cert.not-yet-valid',
  severity: 'medium',
  title: 'Certificate not yet valid',
  description: 'A certificate of the server chain was not yet valid at capture time.',
  evaluate(s) {
    return certsWithFact(s, 'not_yet_valid').map(({ cert, position }) => finding(this,
      `certificate "${cert.subject ?? ''}" valid only from ${cert.not_before ?? '?'} (capture at ${s.start})`,
      { ...certEvidence(cert, position), not_before: cert.not_before, capture_time: s.start }));
  },
};
