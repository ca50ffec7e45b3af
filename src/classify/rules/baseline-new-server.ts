/**
 * baseline.new-server — a server the site baseline (`analyze learn`) has not seen: by name when
 * the client sent an SNI (CDN addresses rotate, so a known name at a new IP is not new), by IP
 * otherwise. Info: context for a reviewer. Judged only for TLS sessions when a baseline exists.
 */
import { finding, type Rule } from '../rule.js';
import { isIpLiteral } from './util.js';

export const baselineNewServer: Rule = {
  id: 'baseline.new-server',
  severity: 'info',
  title: 'Server new to the site',
  description: 'The SNI (or, without one, the server IP) is not in the site baseline recorded by `analyze learn` (only with a baseline).',
  evaluate(s, ctx) {
    const b = ctx.baseline;
    if (b === null || s.tls === null || (b.size('sni') === 0 && b.size('server_ip') === 0)) return [];
    const sni = s.tls.sni;
    if (sni && !isIpLiteral(sni)) {
      if (b.has('sni', sni)) return [];
      return [finding(this, `SNI ${sni} is not in the site baseline`, {
        sni, server_ip: s.server_ip, server_ip_in_baseline: b.has('server_ip', s.server_ip),
      })];
    }
    if (b.has('server_ip', s.server_ip)) return [];
    return [finding(this, `server ${s.server_ip} is not in the site baseline`, { server_ip: s.server_ip, sni: sni ?? null })];
  },
};
