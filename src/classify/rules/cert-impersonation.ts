/**
 * cert.impersonation — the SNI is a well-known name (a popular-domain list such as the Majestic
 * top 10k, or a provider's own domain list) but the server's certificate is not what that service
 * presents: it does not chain to a public root (self-signed, unknown issuer, untrusted root), it
 * does not cover the SNI, or it is issued by a CA the provider does not use for its own names
 * (providers/provider_issuers_seed.csv).
 * Source: issue 5 "Impersonation of a known service".
 *
 * Severity: high when the chain is untrusted or does not cover the SNI. An issuer mismatch alone
 * is medium: the issuer seed is hand-compiled and unverified against CT (README §8), rows of
 * "low" confidence are not used, and a TLS-inspecting proxy trusted through --ca-bundle shows up
 * here too (allow it with a policy). Needs imported intel (analyze intel import); without the
 * domain lists the rule never fires. Names are matched with their parent domains
 * (www.google.com -> google.com).
 */
import { dnValues } from '../c2-traits.js';
import { finding, type Rule } from '../rule.js';
import { certEvidence, isPublicLookingName } from './util.js';

const UNTRUSTED = new Set(['unknown_issuer', 'untrusted_root', 'self_signed', 'bad_signature', 'issuer_not_ca', 'path_length_exceeded']);

const orgKey = (o: string): string => o.toLowerCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();

export const certImpersonation: Rule = {
  id: 'cert.impersonation',
  severity: 'high',
  title: 'Well-known service impersonated',
  description: 'The SNI is a well-known domain (popular or provider list) but the certificate is untrusted, does not cover it, or comes from a CA that provider does not use.',
  evaluate(s, ctx) {
    const t = s.tls;
    const leaf = t?.certificates[0];
    const sni = t?.sni;
    if (!t || !leaf || !sni || !isPublicLookingName(sni)) return [];
    const provider = ctx.intel.providerOf?.(sni) ?? null;
    const popular = ctx.intel.popularDomain?.(sni) ?? null;
    if (!provider && !popular) return [];
    const reasons: string[] = [];
    let strong = false;
    if (leaf.self_signed || (t.chain_valid === false && t.chain_error !== null && UNTRUSTED.has(t.chain_error))) {
      reasons.push(`the chain does not build to a public root (${leaf.self_signed ? 'self-signed' : t.chain_error})`);
      strong = true;
    }
    if (t.sni_matches_cert === false) {
      reasons.push(`the certificate does not cover ${sni} (SAN ${leaf.san.join(', ') || 'none'})`);
      strong = true;
    }
    const issuerO = dnValues(leaf.issuer, 'O');
    let unexpectedIssuer = false;
    if (provider && provider.expectedIssuers.length > 0 && provider.issuerConfidence !== 'low') {
      const expected = new Set(provider.expectedIssuers.map(orgKey));
      if (!issuerO.some((o) => expected.has(orgKey(o)))) {
        unexpectedIssuer = true;
        reasons.push(`issuer O "${issuerO.join(', ') || 'none'}" is not a CA ${provider.provider} uses (${provider.expectedIssuers.join(' | ')})`);
      }
    }
    if (reasons.length === 0) return [];
    const known = provider ? `${provider.provider} domain (${provider.domain}, ${provider.list})` : `popular domain (${popular!.label})`;
    return [finding(this, `SNI ${sni} is a ${known}, but ${reasons.join('; ')}`, {
      ...certEvidence(leaf, 0), sni, provider: provider?.provider ?? null, matched_domain: provider?.domain ?? null,
      list: provider?.list ?? popular?.list ?? null, popular: popular !== null, chain_valid: t.chain_valid, chain_error: t.chain_error,
      sni_matches_cert: t.sni_matches_cert, issuer_o: issuerO, expected_issuers: unexpectedIssuer ? provider!.expectedIssuers : null, reasons,
    }, strong ? 'high' : 'medium')];
  },
};
