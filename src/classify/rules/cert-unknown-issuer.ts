/**
 * cert.unknown-issuer — the chain does not build to a trusted root (Node's Mozilla roots plus
 * --ca-bundle): chain_error unknown_issuer / untrusted_root / bad_signature / issuer_not_ca /
 * path_length_exceeded. Medium when the SNI is a public-looking name (a public service would
 * chain to a public root: impersonation, interception), low for internal names.
 * Source: issue 5 "Impersonation ... chain not valid for a public name"; Zeek validation_status.
 * Self-signed leaves and expiry have their own rules.
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence, isPublicLookingName } from './util.js';

const ERRORS = new Set(['unknown_issuer', 'untrusted_root', 'bad_signature', 'issuer_not_ca', 'path_length_exceeded']);

export const certUnknownIssuer: Rule = {
  id: 'cert.unknown-issuer',
  severity: 'medium',
  title: 'Chain not trusted',
  description: 'The certificate chain does not build to a trusted root (medium for a public-looking SNI, low otherwise).',
  evaluate(s) {
    const t = s.tls;
    const leaf = t?.certificates[0];
    if (!t || !leaf || t.chain_valid !== false || !t.chain_error || !ERRORS.has(t.chain_error)) return [];
    const name = t.sni ?? leaf.san.find((n) => !n.startsWith('*')) ?? null;
    const publicName = name !== null && isPublicLookingName(name);
    return [finding(this, `chain not valid (${t.chain_error})${name ? ` for ${publicName ? 'public-looking ' : ''}name ${name}` : ''}, issuer "${leaf.issuer ?? ''}"`, {
      ...certEvidence(leaf, 0), sni: t.sni, chain_error: t.chain_error, public_name: publicName,
    }, publicName ? 'medium' : 'low')];
  },
};
