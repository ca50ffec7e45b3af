/**
 * cert.weak-key — RSA/DSA/DH key under 2048 bits or EC under 224 bits (fact `weak_key`).
 * Source: NIST SP 800-131A, CA/B Forum BR §6.1.5; issue 5.
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence, certsWithFact } from './util.js';

export const certWeakKey: Rule = {
  id: 'cert.weak-key',
  severity: 'medium',
  title: 'Weak certificate key',
  description: 'A certificate of the chain has an RSA/DSA key under 2048 bits or an EC key under 224 bits.',
  evaluate(s) {
    return certsWithFact(s, 'weak_key').map(({ cert, position }) => finding(this,
      `certificate "${cert.subject ?? ''}" has a ${cert.key_type ?? '?'} ${cert.key_bits ?? '?'}-bit key`,
      { ...certEvidence(cert, position), key_type: cert.key_type, key_bits: cert.key_bits, key_curve: cert.key_curve }));
  },
};
