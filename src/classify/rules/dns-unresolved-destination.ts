/**
 * dns.unresolved-destination — a TLS or QUIC session to a server IP that no DNS answer in the
 * capture gave, while the capture does show DNS answers (issue 5: "flag TLS to an IP that no
 * DNS answer in the capture gave while DNS is visible"). Hard-coded IPs are a C2 habit.
 *
 * Not judged (no finding) when:
 *  - the capture has no DNS address answer at all (DNS not visible: nothing to compare with);
 *  - the session started before the first DNS answer of the capture: the client may have
 *    resolved the name before the capture began (a cached answer), which the capture cannot show;
 *  - the DNS log hit a cap (an answer may have been dropped);
 *  - the session is not TLS/QUIC (no ClientHello seen).
 * Low: clients with DNS over HTTPS/TLS, hosts files and long-lived caches do this legitimately.
 */
import { finding, type Rule } from '../rule.js';
import { startSeconds } from '../run-index.js';
import { hasClientHello } from './util.js';

export const dnsUnresolvedDestination: Rule = {
  id: 'dns.unresolved-destination',
  severity: 'low',
  title: 'Server IP not resolved by DNS in the capture',
  description: 'TLS/QUIC to a server IP that no DNS answer in the capture gave, while DNS answers are visible (from the first answer on).',
  evaluate(s, ctx) {
    const dns = ctx.dns;
    if (dns.answerCount === 0 || dns.firstAnswerUs === null || dns.incomplete) return [];
    if ((s.protocol !== 'tls' && s.protocol !== 'quic') || !hasClientHello(s)) return [];
    if (startSeconds(s) * 1e6 < dns.firstAnswerUs) return [];
    if (dns.namesOf(s.server_ip).size > 0) return [];
    const sni = s.tls?.sni ?? null;
    return [finding(this, `no DNS answer in the capture gave ${s.server_ip}${sni ? ` (SNI ${sni})` : ''}, though ${dns.answerCount} DNS address answers are visible`, {
      server_ip: s.server_ip, sni, dns_answers: dns.answerCount,
    })];
  },
};
