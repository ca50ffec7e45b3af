/**
 * cert.openssl-default — subject or issuer still carries the OpenSSL `req` defaults
 * (O=Internet Widgits Pty Ltd, ST=Some-State, from openssl.cnf): generated in a hurry, typical of
 * test servers and attack kits (IcedID used exactly this DN). Source: issue 5; OpenSSL
 * apps/openssl.cnf defaults.
 */
import { finding, type Rule } from '../rule.js';
import { dnPairs } from '../c2-traits.js';
import { certEvidence } from './util.js';

const DEFAULTS: readonly { attr: string; value: string }[] = [
  { attr: 'O', value: 'internet widgits pty ltd' },
  { attr: 'ST', value: 'some-state' },
];

export const certOpensslDefault: Rule = {
  id: 'cert.openssl-default',
  severity: 'medium',
  title: 'OpenSSL default subject',
  description: 'The certificate subject or issuer keeps the OpenSSL defaults (Internet Widgits Pty Ltd, Some-State).',
  evaluate(s) {
    const out = [];
    for (const [position, c] of (s.tls?.certificates ?? []).entries()) {
      for (const [which, dn] of [['subject', c.subject], ['issuer', c.issuer]] as const) {
        const hits = dnPairs(dn).filter((p) => DEFAULTS.some((d) => d.attr === p.attr && d.value === p.value.toLowerCase()));
        if (hits.length === 0) continue;
        out.push(finding(this, `certificate ${which} "${dn ?? ''}" keeps the OpenSSL default ${hits.map((h) => `${h.attr}=${h.value}`).join(', ')}`,
          { ...certEvidence(c, position), field: which, defaults: hits.map((h) => `${h.attr}=${h.value}`) }));
        break;
      }
      if (out.length > 0) break;
    }
    return out;
  },
};
