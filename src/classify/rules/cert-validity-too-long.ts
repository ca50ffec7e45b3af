/**
 * cert.validity-too-long — a leaf valid longer than the CA/Browser Forum maximum in force when it
 * was issued (fact `validity_too_long`: 398 days since 2020-09-01...). Public CAs cannot issue
 * these; private CAs and kits often do (10-year certificates), so it is low on its own.
 * Source: CA/B Forum Baseline Requirements §6.3.2; issue 5 "validity far beyond public-CA limits".
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence } from './util.js';

export const certValidityTooLong: Rule = {
  id: 'cert.validity-too-long',
  severity: 'low',
  title: 'Validity beyond public-CA limits',
  description: 'The leaf certificate is valid longer than public CAs may issue (CA/B Forum limits).',
  evaluate(s) {
    const leaf = s.tls?.certificates[0];
    if (!leaf || !leaf.facts.includes('validity_too_long')) return [];
    return [finding(this, `leaf "${leaf.subject ?? ''}" is valid for ${leaf.validity_days ?? '?'} days (${leaf.not_before ?? '?'} to ${leaf.not_after ?? '?'})`,
      { ...certEvidence(leaf, 0), validity_days: leaf.validity_days, not_before: leaf.not_before, not_after: leaf.not_after })];
  },
};
