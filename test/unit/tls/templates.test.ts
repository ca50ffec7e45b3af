/**
 * Real handshakes from ../shared/bench/templates (curl, openssl, Chromium with GREASE and ECH,
 * python, node, gnutls; see its README): both directions through TlsRecordStream and the
 * parsers, checked against the JA3 string and SNI the templates recorded. Skipped when
 * ../shared is not there.
 */
import { describe, expect, it } from 'vitest';
import { negotiatedVersion, type ClientHelloModel, type ServerHelloModel } from '../../../src/model/handshake.js';
import { parseCertificateMessage } from '../../../src/tls/certificate-message.js';
import { parseClientHello } from '../../../src/tls/client-hello.js';
import { TlsRecordStream, type TlsStreamSink } from '../../../src/tls/record-stream.js';
import { parseServerHello } from '../../../src/tls/server-hello.js';
import { ja3String, loadTemplates, type Template } from './helpers.js';

interface Conversation {
  clientHellos: ClientHelloModel[];
  serverHellos: ServerHelloModel[];
  certificates: Uint8Array[][];
  alerts: number[];
  problems: string[];
}

function converse(t: Template): Conversation {
  const c: Conversation = { clientHellos: [], serverHellos: [], certificates: [], alerts: [], problems: [] };
  const tls12 = (): boolean => {
    const sh = c.serverHellos.find((s) => !s.helloRetryRequest);
    return sh !== undefined && negotiatedVersion(sh) < 0x0304;
  };
  const make = (side: 'c' | 's'): TlsRecordStream => {
    const sink: TlsStreamSink = {
      onRecord: () => {},
      onHandshake: (type, body, rv) => {
        if (type === 1) {
          const r = parseClientHello(body, 't', rv);
          if (r.ok) c.clientHellos.push(r.value);
          else c.problems.push(r.error);
        } else if (type === 2) {
          const r = parseServerHello(body, 't', rv);
          if (r.ok) c.serverHellos.push(r.value);
          else c.problems.push(r.error);
        } else if (type === 11 && side === 's') {
          const r = parseCertificateMessage(body);
          if (r.ok) c.certificates.push(r.value);
          else c.problems.push(r.error);
        }
      },
      onChangeCipherSpec: () => {
        if (tls12()) stream.encrypted = true;
      },
      onAlert: (_level, description) => c.alerts.push(description),
      onClientHello: () => c.problems.push('unexpected sslv2'),
      onServerHello: () => c.problems.push('unexpected sslv2'),
      onMalformed: (name) => c.problems.push(name),
      onAnomaly: (name) => c.problems.push(name),
    };
    const stream = new TlsRecordStream(sink);
    return stream;
  };
  const streams = { c: make('c'), s: make('s') };
  for (const [side, b64] of t.flights) {
    const bytes = Buffer.from(b64, 'base64');
    // Feed in uneven pieces, as TCP segments would arrive.
    for (let off = 0; off < bytes.length; off += 1000) streams[side].push(bytes.subarray(off, off + 1000));
  }
  return c;
}

const templates = loadTemplates();

describe.skipIf(templates.length === 0)('bench templates (real clients and servers)', () => {
  it.each(templates.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const c = converse(t);
    expect(c.problems).toEqual([]);
    expect(c.clientHellos.length).toBe(t.client_hellos);
    const ch = c.clientHellos[0]!;
    expect(ja3String(ch)).toBe(t.ja3);
    expect(ch.sni).toBe(t.sni);
    expect(ch.anomalies).toEqual([]);

    if (t.tls_version === 'rejected') {
      expect(c.alerts.length).toBeGreaterThan(0);
      return;
    }
    const hellos = c.serverHellos.filter((s) => !s.helloRetryRequest);
    expect(hellos.length).toBe(1);
    expect(c.serverHellos.length - hellos.length).toBe(t.client_hellos - 1); // one HRR per retry
    const want = { '1.0': 0x0301, '1.1': 0x0302, '1.2': 0x0303, '1.3': 0x0304 }[t.tls_version];
    expect(negotiatedVersion(hellos[0]!)).toBe(want);
    if (want !== undefined && want < 0x0304 && !t.name.includes('resume')) {
      // TLS <= 1.2 sends the chain in clear: leaf + intermediate (one self-signed certificate).
      expect(c.certificates.length).toBe(1);
      const chain = c.certificates[0]!;
      expect(chain.length).toBe(t.name.includes('selfsigned') ? 1 : 2);
      for (const der of chain) expect(der[0]).toBe(0x30);
    }
  });
});
