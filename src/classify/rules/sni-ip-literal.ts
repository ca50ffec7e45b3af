/**
 * sni.ip-literal — the SNI is an IP address, which RFC 6066 §3 forbids ("Literal IPv4 and IPv6
 * addresses are not permitted in HostName"); typical of hand-written clients and implants.
 * Source: issue 5 "IP literal as SNI".
 */
import { finding, type Rule } from '../rule.js';
import { isIpLiteral } from './util.js';

export const sniIpLiteral: Rule = {
  id: 'sni.ip-literal',
  severity: 'low',
  title: 'IP address as SNI',
  description: 'The SNI is a literal IP address (forbidden by RFC 6066).',
  evaluate(s) {
    const sni = s.tls?.sni;
    if (!sni || !isIpLiteral(sni)) return [];
    return [finding(this, `SNI is the IP literal ${sni}`, { sni, server_ip: s.server_ip, same_as_server: sni.replace(/^\[|\]$/g, '') === s.server_ip })];
  },
};
