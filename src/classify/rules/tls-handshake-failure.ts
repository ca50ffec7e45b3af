/**
 * tls.handshake-failure — the handshake did not complete: a plaintext alert (low; a
 * close_notify / user_canceled is info), or a ClientHello that got no ServerHello (info: the
 * server refused, the capture ended, or a scanner). Facts, not verdicts: they explain the
 * session and feed the beacon rule's "failed connections do not count".
 * Source: issue 5 "Handshake failure patterns (alerts, no ServerHello) as low-severity facts".
 */
import { finding, type Rule } from '../rule.js';
import { hasClientHello } from './util.js';

const BENIGN_ALERTS = new Set(['close_notify', 'user_canceled']);

export const tlsHandshakeFailure: Rule = {
  id: 'tls.handshake-failure',
  severity: 'low',
  title: 'TLS handshake failure',
  description: 'The handshake ended in an alert (low) or the ClientHello got no ServerHello (info).',
  evaluate(s) {
    const t = s.tls;
    if (!t) return [];
    const noServerHello = hasClientHello(s) && t.ja3s === null && t.version === null;
    if (t.alert) {
      return [finding(this, `TLS alert ${t.alert}${noServerHello ? ' before any ServerHello' : ''}`,
        { alert: t.alert, server_hello: !noServerHello, client_version: t.client_version, history: s.history },
        BENIGN_ALERTS.has(t.alert) ? 'info' : 'low')];
    }
    if (noServerHello) {
      return [finding(this, 'ClientHello without ServerHello', { server_hello: false, bytes_server: s.bytes_server, history: s.history }, 'info')];
    }
    return [];
  },
};
