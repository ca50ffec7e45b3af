/**
 * cert.weak-signature — a certificate signed with MD2/MD4/MD5/SHA-1 (fact `weak_signature`,
 * not raised on self-signed certificates). Source: CA/B Forum BR §7.1.3 (SHA-1 banned 2016); issue 5.
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence, certsWithFact } from './util.js';

export const certWeakSignature: Rule = {
  id: 'cert.weak-signature',
  severity: 'medium',
  title: 'Weak certificate signature',
  description: 'A certificate of the chain is signed with MD2, MD4, MD5 or SHA-1.',
  evaluate(s) {
    return certsWithFact(s, 'weak_signature').map(({ cert, position }) => finding(this,
      `certificate "${cert.subject ?? ''}" is signed with ${cert.signature_algorithm ?? '?'}`,
      { ...certEvidence(cert, position), signature_algorithm: cert.signature_algorithm }));
  },
};
