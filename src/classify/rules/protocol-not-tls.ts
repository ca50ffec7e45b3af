/**
 * protocol.not-tls-on-tls-port — like Suricata's `app-layer-protocol:!tls` on port 443: the flow
 * carried payload, and it was not TLS/QUIC/DTLS. Source: issue 5 "Not TLS on 443"; the
 * protocol is identified by protocol/detect.ts (a fact in SessionRecord.protocol).
 * A flow without payload ("none") is not flagged; TLS picked up mid-stream is still TLS.
 */
import type { AppProtocol, Severity } from '../../model/session.js';
import { finding, type Rule } from '../rule.js';

/** Severity by what was found: interactive tunnels and opaque binary rank highest. */
const KIND: Partial<Record<AppProtocol, { severity: Severity; what: string }>> = {
  ssh: { severity: 'high', what: 'SSH (remote shell / tunnel)' },
  socks: { severity: 'high', what: 'a SOCKS proxy handshake' },
  unknown: { severity: 'high', what: 'unidentified binary payload' },
  openvpn: { severity: 'medium', what: 'OpenVPN over TCP' },
  http: { severity: 'medium', what: 'plain-text HTTP' },
};

export const notTlsOnTlsPort: Rule = {
  id: 'protocol.not-tls-on-tls-port',
  severity: 'high',
  title: 'Not TLS on a TLS port',
  description: 'A TLS service port carried payload that is not TLS (HTTP, SSH, OpenVPN, SOCKS or unknown binary).',
  evaluate(s, ctx) {
    if (!ctx.tlsPorts.has(s.server_port)) return [];
    const protocol: AppProtocol = s.protocol === 'tls' && s.anomalies.includes('tls_inside_openvpn') ? 'openvpn' : s.protocol;
    const kind = KIND[protocol];
    if (!kind) return [];
    return [finding(this, `${kind.what} on ${s.transport.toUpperCase()} port ${s.server_port}, not TLS`, {
      protocol, server_port: s.server_port, transport: s.transport, bytes_client: s.bytes_client, bytes_server: s.bytes_server,
    }, kind.severity)];
  },
};
