/**
 * sni.missing — a TLS ClientHello without server_name (RFC 6066 §3). Browsers and HTTP
 * libraries always send it for names; its absence points to a client connecting by IP
 * address, a scanner or a hand-rolled implant. Low on its own. Source: issue 5 "SNI".
 */
import { finding, type Rule } from '../rule.js';
import { hasClientHello } from './util.js';

export const sniMissing: Rule = {
  id: 'sni.missing',
  severity: 'low',
  title: 'No SNI',
  description: 'The ClientHello carries no server_name extension.',
  evaluate(s) {
    if (!hasClientHello(s) || s.tls!.sni !== null) return [];
    return [finding(this, `ClientHello to ${s.server_ip}:${s.server_port} without SNI`, { server_ip: s.server_ip, server_port: s.server_port, ja4: s.tls!.ja4 })];
  },
};
