/**
 * DtlsAnalyzer on crafted datagrams: records with epoch and sequence numbers, several records per
 * datagram, handshake fragments reassembled by offset (out of order, retransmitted), the
 * HelloVerifyRequest exchange (the FIRST ClientHello is fingerprinted), DTLS 1.3 hellos with an
 * encrypted unified-header record after them, STUN/RTP multiplexing, and damage as anomalies.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { DtlsAnalyzer } from '../../../src/dtls/dtls-analyzer.js';
import { ja3 } from '../../../src/fingerprint/ja3.js';
import { ja4 } from '../../../src/fingerprint/ja4.js';
import { concat, hex } from '../tls/helpers.js';
import { CERT_1RTT, CH_1RTT } from '../tls/rfc8448.js';

function u16(v: number): Uint8Array {
  return Uint8Array.of(v >> 8, v & 0xff);
}
function u24(v: number): Uint8Array {
  return Uint8Array.of((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
}

/** RFC 6347 §4.1 record: type, version, epoch, 48-bit sequence, length, fragment. */
function record(type: number, version: number, epoch: number, seq: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type), u16(version), u16(epoch), u16(0), u16(0), u16(seq), u16(body.length), body);
}

/** RFC 6347 §4.2.2 handshake fragment. */
function fragment(type: number, messageSeq: number, body: Uint8Array, offset = 0, length = body.length - offset): Uint8Array {
  return concat(Uint8Array.of(type), u24(body.length), u16(messageSeq), u24(offset), u24(length), body.subarray(offset, offset + length));
}

/** A DTLS ClientHello body made from RFC 8448's: legacy_version, and a cookie after the session id. */
function clientHello(version: number, cookie: Uint8Array, supportedVersions?: number[]): Uint8Array {
  const tls = hex(CH_1RTT).subarray(4);
  let rest = tls.subarray(35);
  if (supportedVersions !== undefined) {
    // Replace the extensions block with supported_versions only.
    const exts = concat(u16(43), u16(1 + 2 * supportedVersions.length), Uint8Array.of(2 * supportedVersions.length), ...supportedVersions.map(u16));
    rest = concat(rest.subarray(0, 2 + 6 + 2), u16(exts.length), exts);
  }
  return concat(u16(version), tls.subarray(2, 34), Uint8Array.of(0), Uint8Array.of(cookie.length), cookie, rest);
}

function serverHello(version: number, cipher: number, selected?: number): Uint8Array {
  const exts = selected === undefined ? new Uint8Array(0) : concat(u16(6), u16(43), u16(2), u16(selected));
  return concat(u16(version), new Uint8Array(32).fill(7), Uint8Array.of(0), u16(cipher), Uint8Array.of(0), exts);
}

const DER = hex(CERT_1RTT).subarray(4 + 4 + 3, 4 + 4 + 3 + 0x1b0);
const CERTIFICATE = concat(u24(DER.length + 3), u24(DER.length), DER);

describe('DtlsAnalyzer', () => {
  it('DTLS 1.2 with HelloVerifyRequest: first ClientHello kept, certificate reassembled from out-of-order fragments', () => {
    const d = new DtlsAnalyzer();
    const ch1 = clientHello(0xfefd, new Uint8Array(0), [0xfefd]);
    const ch2 = clientHello(0xfefd, hex('00112233445566778899'), [0xfefd]);
    d.datagram(true, record(22, 0xfeff, 0, 0, fragment(1, 0, ch1)));
    d.datagram(true, record(22, 0xfeff, 0, 1, fragment(1, 0, ch1))); // retransmission
    d.datagram(false, record(22, 0xfeff, 0, 0, fragment(3, 0, concat(u16(0xfefd), Uint8Array.of(10), hex('00112233445566778899')))));
    d.datagram(true, record(22, 0xfeff, 0, 2, fragment(1, 1, ch2)));
    const cut = 200;
    // ServerHello + second half of the Certificate in one datagram, then the first half + ServerHelloDone.
    d.datagram(false, concat(record(22, 0xfefd, 0, 1, fragment(2, 1, serverHello(0xfefd, 0xc02b))), record(22, 0xfefd, 0, 2, fragment(11, 2, CERTIFICATE, cut))));
    expect(d.certificates.length).toBe(0);
    expect(d.done).toBe(false);
    d.datagram(false, concat(record(22, 0xfefd, 0, 3, fragment(11, 2, CERTIFICATE, 0, cut)), record(22, 0xfefd, 0, 4, fragment(14, 3, new Uint8Array(0)))));
    expect(d.clientHello!.transport).toBe('d');
    expect(d.retryClientHello).not.toBeNull();
    expect(d.helloVerifyRequest!.cookie.length).toBe(10);
    expect(d.serverHello!.cipher).toBe(0xc02b);
    expect(d.version).toBe(0xfefd);
    expect(d.certificates.length).toBe(1);
    expect(Buffer.from(d.certificates[0]!).equals(Buffer.from(DER))).toBe(true);
    expect(ja4(d.clientHello!).ja4.startsWith('dd2i')).toBe(true);
    expect(ja3(d.clientHello!)!.raw.startsWith('65277,')).toBe(true);
    expect([...d.anomalies]).toEqual([]);
    expect(d.done).toBe(true);
  });

  it('DTLS 1.3: plaintext hellos, then an encrypted unified-header record; done after the ServerHello', () => {
    const d = new DtlsAnalyzer();
    d.datagram(true, record(22, 0xfeff, 0, 0, fragment(1, 0, clientHello(0xfefd, new Uint8Array(0), [0xfefc]))));
    d.datagram(false, concat(record(22, 0xfefd, 0, 0, fragment(2, 0, serverHello(0xfefd, 0x1301, 0xfefc))), Uint8Array.of(0x2c, 0x01, 0x00, 0x05), new Uint8Array(5)));
    expect(ja4(d.clientHello!).ja4.startsWith('dd3i')).toBe(true);
    expect(d.version).toBe(0xfefc);
    expect(d.done).toBe(true);
    expect([...d.anomalies]).toEqual([]);
  });

  it('skips STUN and RTP datagrams on the same flow (RFC 7983), and records of epoch > 0', () => {
    const d = new DtlsAnalyzer();
    d.datagram(true, hex('000100002112a442 0102030405060708090a0b0c'));
    d.datagram(true, hex('80c8000600000001'));
    d.datagram(true, record(22, 0xfefd, 0, 0, fragment(1, 0, clientHello(0xfefd, new Uint8Array(0)))));
    d.datagram(false, concat(record(22, 0xfefd, 0, 0, fragment(2, 0, serverHello(0xfefd, 0xc02f))), record(20, 0xfefd, 0, 1, Uint8Array.of(1)), record(22, 0xfefd, 1, 0, new Uint8Array(40))));
    expect(d.clientHello).not.toBeNull();
    expect(d.serverHello!.cipher).toBe(0xc02f);
    // The server went encrypted (a resumed handshake has no ServerHelloDone).
    expect(d.done).toBe(true);
    expect([...d.anomalies]).toEqual([]);
  });

  it('says when the ClientHello came from the side the caller called the server', () => {
    const d = new DtlsAnalyzer();
    d.datagram(false, record(22, 0xfefd, 0, 0, fragment(1, 0, clientHello(0xfefd, new Uint8Array(0)))));
    expect(d.directionSwapped).toBe(true);
    d.datagram(true, record(22, 0xfefd, 0, 0, concat(fragment(2, 0, serverHello(0xfefd, 0xc02f)), fragment(11, 1, CERTIFICATE), fragment(14, 2, new Uint8Array(0)))));
    expect(d.certificates.length).toBe(1);
    expect(d.done).toBe(true);
  });

  it('damage and caps are named anomalies, never throws', () => {
    const d = new DtlsAnalyzer();
    const good = record(22, 0xfefd, 0, 0, fragment(1, 0, clientHello(0xfefd, new Uint8Array(0))));
    d.datagram(true, good.subarray(0, 40));
    expect(d.anomalies.has('dtls_record_truncated')).toBe(true);
    d.datagram(true, record(22, 0x0303, 0, 0, new Uint8Array(4)));
    expect(d.anomalies.has('dtls_bad_record_header')).toBe(true);
    d.datagram(true, record(22, 0xfefd, 0, 0, concat(Uint8Array.of(1), u24(100), u16(0), u24(0), u24(90), new Uint8Array(10))));
    expect(d.anomalies.has('dtls_handshake_malformed')).toBe(true);
    d.datagram(true, record(22, 0xfefd, 0, 0, concat(Uint8Array.of(11), u24(LIMITS.maxHandshakeMessageBytes + 1), u16(5), u24(0), u24(1), new Uint8Array(1))));
    expect(d.anomalies.has('handshake_message_limit_reached')).toBe(true);
    // Every other byte of a message: more holes than LIMITS.maxDtlsFragments.
    const body = new Uint8Array(400);
    const frags: Uint8Array[] = [];
    for (let i = 0; i < 2 * (LIMITS.maxDtlsFragments + 2); i += 2) frags.push(fragment(11, 6, body, i, 1));
    d.datagram(true, record(22, 0xfefd, 0, 1, concat(...frags)));
    expect(d.anomalies.has('dtls_fragments_limit_reached')).toBe(true);
    expect(d.clientHello).toBeNull();
    d.datagram(true, good);
    expect(d.clientHello).not.toBeNull();
  });

  it('an alert ends the handshake', () => {
    const d = new DtlsAnalyzer();
    d.datagram(true, record(22, 0xfefd, 0, 0, fragment(1, 0, clientHello(0xfefd, new Uint8Array(0)))));
    d.datagram(false, record(21, 0xfefd, 0, 0, Uint8Array.of(2, 40)));
    expect(d.alert).toBe('handshake_failure');
    expect(d.alertFromClient).toBe(false);
    expect(d.done).toBe(true);
  });
});
