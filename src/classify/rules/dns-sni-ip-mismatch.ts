/**
 * dns.sni-ip-mismatch — the SNI was resolved by DNS in the capture, but none of its answers
 * (following CNAMEs, over the whole capture: CDNs rotate addresses) is the server IP the client
 * connected to (issue 5: "an SNI whose DNS answers do not include the server IP"): domain
 * fronting, a pinned C2 address behind a borrowed name, or a spoofed answer elsewhere.
 * Not judged when the name was never resolved in the capture, or the DNS log hit a cap. Medium.
 */
import { finding, type Rule } from '../rule.js';
import { isIpLiteral } from './util.js';

export const dnsSniIpMismatch: Rule = {
  id: 'dns.sni-ip-mismatch',
  severity: 'medium',
  title: 'SNI resolved elsewhere',
  description: 'The SNI was resolved by DNS in the capture, but none of its answers (following CNAMEs) is the server IP.',
  evaluate(s, ctx) {
    const sni = s.tls?.sni;
    if (!sni || isIpLiteral(sni) || ctx.dns.incomplete) return [];
    const addresses = ctx.dns.addressesOf(sni);
    if (addresses.size === 0 || addresses.has(s.server_ip)) return [];
    const resolved = [...addresses].sort();
    const chain = ctx.dns.chainOf(sni);
    return [finding(this, `SNI ${sni} resolved to ${resolved.join(', ')} in the capture, but the client connected to ${s.server_ip}`, {
      sni, server_ip: s.server_ip, dns_addresses: resolved, cname_chain: chain.length > 1 ? chain : [],
      server_ip_names: [...ctx.dns.namesOf(s.server_ip)].sort(),
    })];
  },
};
