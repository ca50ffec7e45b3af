/**
 * What a flow on port 443 carries, from the first bytes each side sent. Each protocol has its own
 * sniffer (one file each); the first sniffer that the client's opening proves wins, else the first
 * that the server's reply proves, else "unknown" ("none" when neither side sent a byte).
 * TLS behind a plaintext preamble (STARTTLS, HTTP CONNECT, SOCKS) is classified by its preamble
 * here; `findTlsStart` finds the ClientHello behind it.
 */
import type { AppProtocol } from '../model/session.js';
import { sniffDtls } from './dtls.js';
import { sniffHttp } from './http.js';
import { sniffOpenVpnTcp, sniffOpenVpnUdp } from './openvpn.js';
import { sniffQuic } from './quic.js';
import type { Sniffer } from './sniffer.js';
import { sniffSocks } from './socks.js';
import { sniffSsh } from './ssh.js';
import { sniffTls } from './tls.js';

export { findTlsStart } from './tls.js';

const TCP_SNIFFERS: ReadonlyArray<readonly [AppProtocol, Sniffer]> = [
  ['tls', sniffTls],
  ['http', sniffHttp],
  ['ssh', sniffSsh],
  ['socks', sniffSocks],
  ['openvpn', sniffOpenVpnTcp],
];

const UDP_SNIFFERS: ReadonlyArray<readonly [AppProtocol, Sniffer]> = [
  ['quic', sniffQuic],
  ['dtls', sniffDtls],
  ['openvpn', sniffOpenVpnUdp],
];

export function detectProtocol(transport: 'tcp' | 'udp', clientBytes: Uint8Array, serverBytes: Uint8Array): AppProtocol {
  if (clientBytes.length === 0 && serverBytes.length === 0) return 'none';
  let byServer: AppProtocol | null = null;
  for (const [protocol, sniff] of transport === 'tcp' ? TCP_SNIFFERS : UDP_SNIFFERS) {
    const proof = sniff(clientBytes, serverBytes);
    if (proof === 'client') return protocol;
    if (proof === 'server') byServer ??= protocol;
  }
  return byServer ?? 'unknown';
}
