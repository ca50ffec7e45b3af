/**
 * cert.sni-mismatch — the leaf does not cover the SNI the client asked for (RFC 6125 matching,
 * x509/hostname.ts, like Zeek's `sni_matches_cert`). A legitimate server answers its own names;
 * a mismatch means a default/catch-all certificate, interception, or domain fronting.
 * Source: issue 5 "Impersonation ... does not cover the SNI".
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence } from './util.js';

export const certSniMismatch: Rule = {
  id: 'cert.sni-mismatch',
  severity: 'medium',
  title: 'Certificate does not cover the SNI',
  description: 'The server certificate does not match the server name the client requested.',
  evaluate(s) {
    const t = s.tls;
    const leaf = t?.certificates[0];
    if (!t || !leaf || t.sni_matches_cert !== false) return [];
    return [finding(this, `SNI ${t.sni ?? ''} is not covered by certificate "${leaf.subject ?? ''}" (SAN ${leaf.san.join(', ') || 'none'})`,
      { ...certEvidence(leaf, 0), sni: t.sni, san: leaf.san })];
  },
};
