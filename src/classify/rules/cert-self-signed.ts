/**
 * cert.self-signed — the server's leaf is self-signed (x509/traits fact `self_signed`, or chain
 * validation error `self_signed`). Source: issue 5 "Certificate traits ... self-signed";
 * Zeek `validation_status` "self signed certificate".
 */
import { finding, type Rule } from '../rule.js';
import { certEvidence } from './util.js';

export const certSelfSigned: Rule = {
  id: 'cert.self-signed',
  severity: 'medium',
  title: 'Self-signed certificate',
  description: 'The server presented a self-signed leaf certificate that no trusted root vouches for.',
  evaluate(s) {
    const t = s.tls;
    const leaf = t?.certificates[0];
    if (!t || !leaf || t.chain_valid === true) return [];
    if (!(leaf.facts.includes('self_signed') || leaf.self_signed === true || t.chain_error === 'self_signed')) return [];
    return [finding(this, `self-signed certificate "${leaf.subject ?? ''}"${t.sni ? ` for SNI ${t.sni}` : ''}`, {
      ...certEvidence(leaf, 0), sni: t.sni, chain_error: t.chain_error,
    })];
  },
};
