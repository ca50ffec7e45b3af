/**
 * tls.legacy-version — SSL 3.0 / TLS 1.0 / TLS 1.1 negotiated (RFC 7568 deprecates SSL 3.0,
 * RFC 8996 TLS 1.0 and 1.1): high for SSL 2/3, medium for TLS 1.0/1.1. When no version was
 * negotiated but the client's highest offered version (JA4 characters 2-3) is legacy, low.
 * Source: issue 5 "Legacy protocol".
 */
import { finding, type Rule } from '../rule.js';

const NEGOTIATED: Record<string, 'high' | 'medium'> = { 'SSL 2.0': 'high', 'SSL 3.0': 'high', 'TLS 1.0': 'medium', 'TLS 1.1': 'medium' };
const JA4_VERSION: Record<string, string> = { s2: 'SSL 2.0', s3: 'SSL 3.0', '10': 'TLS 1.0', '11': 'TLS 1.1' };

export const tlsLegacyVersion: Rule = {
  id: 'tls.legacy-version',
  severity: 'medium',
  title: 'Legacy TLS version',
  description: 'SSL 3.0, TLS 1.0 or TLS 1.1 negotiated (or the only versions the client offered).',
  evaluate(s) {
    const t = s.tls;
    if (!t || s.protocol === 'dtls') return [];
    if (t.version !== null) {
      const sev = NEGOTIATED[t.version];
      return sev ? [finding(this, `${t.version} negotiated`, { version: t.version, client_version: t.client_version, cipher: t.cipher }, sev)] : [];
    }
    const offered = t.ja4 ? (t.ja4.startsWith('s2') ? 'SSL 2.0' : JA4_VERSION[t.ja4.slice(1, 3)]) : undefined;
    if (!offered) return [];
    return [finding(this, `client offered at most ${offered} (no version negotiated)`, { client_max_version: offered, client_version: t.client_version, ja4: t.ja4 }, 'low')];
  },
};
