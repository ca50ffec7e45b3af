/**
 * cert.empty-subject — the leaf subject DN is empty (or every attribute is empty, as in the
 * "C=, ST=, L=, O=, OU=, CN=" certificates ET sid 2023629 ties to Cobalt Strike). Legitimate
 * empty-subject leaves exist (RFC 5280 §4.2.1.6 with a critical SAN) but are rare on TLS servers.
 * Source: issue 5 "empty subject".
 */
import { finding, type Rule } from '../rule.js';
import { dnPairs } from '../c2-traits.js';
import { certEvidence } from './util.js';

export const certEmptySubject: Rule = {
  id: 'cert.empty-subject',
  severity: 'medium',
  title: 'Empty certificate subject',
  description: 'The leaf certificate has an empty subject (no attribute with a value).',
  evaluate(s) {
    const leaf = s.tls?.certificates[0];
    if (!leaf) return [];
    if (dnPairs(leaf.subject).some((p) => p.value !== '')) return [];
    return [finding(this, `leaf certificate has an empty subject${leaf.san.length ? ` (SAN ${leaf.san.join(', ')})` : ''}`,
      { ...certEvidence(leaf, 0), san: leaf.san })];
  },
};
