/**
 * QuicAnalyzer on crafted flows: the RFC 9001/9369 Initials, a ClientHello split over packets
 * and datagrams out of order, coalesced packets, Retry, Version Negotiation, swapped directions,
 * caps and damage (named anomalies, never a throw), and the server's Handshake packets opened
 * with a key-log secret.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { ja4 } from '../../../src/fingerprint/ja4.js';
import { KeyLog } from '../../../src/keylog/key-log.js';
import { tls13Suite } from '../../../src/keylog/key-schedule.js';
import { initialKeys, packetKeys } from '../../../src/quic/packet-protection.js';
import { QuicAnalyzer } from '../../../src/quic/quic-analyzer.js';
import { quicVersionParams } from '../../../src/quic/versions.js';
import { concat, handshake, hex, toHex } from '../tls/helpers.js';
import { CERT_1RTT, EE_1RTT } from '../tls/rfc8448.js';
import { cryptoFrame, padding, protectLong, retryPacket, versionNegotiation } from './builder.js';
import { DCID, RFC9001, RFC9369 } from './rfc-vectors.js';

const V1 = 0x00000001;
const params = quicVersionParams(V1)!;
/** The ClientHello and ServerHello messages of RFC 9001 A.2/A.3 (4-byte header included). */
const CH = hex(RFC9001.clientCrypto).subarray(4);
const SH = hex(RFC9001.serverPayload).subarray(9);
const SCID_S = hex('f067a5502a4262b5');

function clientInitial(dcid: Uint8Array, pn: number, frames: Uint8Array, version = V1, token?: Uint8Array): Uint8Array {
  const p = quicVersionParams(version)!;
  const body = concat(frames, padding(Math.max(0, 1162 - frames.length)));
  return protectLong({ typeBits: p.packetTypes.indexOf(0), initial: true, version, dcid, scid: new Uint8Array(0), token, pn, pnLen: 4, payload: body, keys: initialKeys(p, dcid).client });
}

function serverInitial(keysDcid: Uint8Array, pn: number, frames: Uint8Array, version = V1): Uint8Array {
  const p = quicVersionParams(version)!;
  return protectLong({ typeBits: p.packetTypes.indexOf(0), initial: true, version, dcid: new Uint8Array(0), scid: SCID_S, pn, pnLen: 2, payload: concat(frames, padding(20)), keys: initialKeys(p, keysDcid).server });
}

describe('QuicAnalyzer: the RFC vectors', () => {
  it('the test builder reproduces RFC 9001 A.2 byte for byte', () => {
    const built = protectLong({
      typeBits: 0, version: V1, dcid: hex(DCID), scid: new Uint8Array(0), pn: 2, pnLen: 4,
      payload: concat(hex(RFC9001.clientCrypto), padding(1162 - hex(RFC9001.clientCrypto).length)),
      keys: initialKeys(params, hex(DCID)).client,
    });
    expect(toHex(built)).toBe(RFC9001.clientPacket);
  });

  it.each([
    { name: 'QUIC v1 (RFC 9001 A.2, A.3)', v: RFC9001, version: V1 },
    { name: 'QUIC v2 (RFC 9369 A.2, A.3)', v: RFC9369, version: 0x6b3343cf },
  ])('$name: ClientHello and ServerHello out of the protected Initials', ({ v, version }) => {
    const q = new QuicAnalyzer();
    q.datagram(true, hex(v.clientPacket));
    expect(q.clientHello?.sni).toBe('example.com');
    expect(q.clientHello?.transport).toBe('q');
    expect(ja4(q.clientHello!).ja4.startsWith('q13d')).toBe(true);
    expect(q.done).toBe(false);
    q.datagram(false, hex(v.serverPacket));
    expect(q.serverHello?.cipher).toBe(0x1301);
    expect(q.serverHello?.selectedVersion).toBe(0x0304);
    expect(q.version).toBe(version);
    expect([...q.anomalies]).toEqual([]);
    expect(q.done).toBe(true);
  });
});

describe('QuicAnalyzer: CRYPTO reassembly', () => {
  it('reads a ClientHello split over two Initial packets that arrive in reverse order', () => {
    const dcid = hex('0102030405060708');
    const cut = 100;
    const p1 = clientInitial(dcid, 0, cryptoFrame(0, CH.subarray(0, cut)));
    const p2 = clientInitial(dcid, 1, cryptoFrame(cut, CH.subarray(cut)));
    const q = new QuicAnalyzer();
    q.datagram(true, p2);
    expect(q.clientHello).toBeNull();
    q.datagram(true, p1);
    expect(q.clientHello?.sni).toBe('example.com');
    expect([...q.anomalies]).toEqual([]);
  });

  it('reads out-of-order, overlapping and duplicated CRYPTO frames inside one packet', () => {
    const dcid = hex('0102030405060709');
    const frames = concat(
      cryptoFrame(150, CH.subarray(150)),
      cryptoFrame(40, CH.subarray(40, 160)),
      Uint8Array.of(0x01), // PING
      cryptoFrame(0, CH.subarray(0, 50)),
      cryptoFrame(0, CH.subarray(0, 20)),
    );
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(dcid, 0, frames));
    expect(q.clientHello?.sni).toBe('example.com');
  });

  it('a CRYPTO frame past LIMITS.maxQuicCryptoBytes is dropped with quic_crypto_limit_reached', () => {
    const dcid = hex('0102030405060710');
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(dcid, 0, cryptoFrame(LIMITS.maxQuicCryptoBytes - 10, new Uint8Array(50))));
    expect(q.anomalies.has('quic_crypto_limit_reached')).toBe(true);
  });

  it('more than LIMITS.maxQuicCryptoFragments pieces ahead of a gap: quic_crypto_fragments_limit_reached', () => {
    const dcid = hex('0102030405060712');
    const frames: Uint8Array[] = [];
    for (let i = 0; i <= LIMITS.maxQuicCryptoFragments; i++) frames.push(cryptoFrame(10 + 2 * i, Uint8Array.of(1)));
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(dcid, 0, concat(...frames)));
    expect(q.anomalies.has('quic_crypto_fragments_limit_reached')).toBe(true);
  });

  it('a client spraying DCIDs stops at LIMITS.maxQuicKeySets key derivations (quic_keys_limit_reached)', () => {
    const q = new QuicAnalyzer();
    for (let i = 0; i <= LIMITS.maxQuicKeySets; i++) {
      const dcid = Uint8Array.of(9, 9, 9, 9, 9, 9, 9, i);
      q.datagram(true, clientInitial(dcid, i, cryptoFrame(0, CH.subarray(0, 50))));
    }
    expect(q.anomalies.has('quic_keys_limit_reached')).toBe(true);
    expect(q.clientHello).toBeNull();
  });

  it('a frame that does not belong in an Initial stops the packet (quic_unexpected_frame), what came before stays', () => {
    const dcid = hex('0102030405060711');
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(dcid, 0, concat(cryptoFrame(0, CH), Uint8Array.of(0x08, 0x00, 0x01, 0x41))));
    expect(q.clientHello?.sni).toBe('example.com');
    expect(q.anomalies.has('quic_unexpected_frame')).toBe(true);
  });
});

describe('QuicAnalyzer: connection events', () => {
  it('coalesced packets: the server Initial is read and the Handshake packet after it skipped', () => {
    const dcid = hex(DCID);
    const q = new QuicAnalyzer();
    q.datagram(true, hex(RFC9001.clientPacket));
    const hs = protectLong({ typeBits: 2, version: V1, dcid: new Uint8Array(0), scid: SCID_S, pn: 0, pnLen: 1, payload: padding(40), keys: initialKeys(params, hex('ffff')).server });
    q.datagram(false, concat(serverInitial(dcid, 0, concat(Uint8Array.of(0x02, 0, 0, 0, 0), cryptoFrame(0, SH))), hs, padding(30)));
    expect(q.serverHello?.cipher).toBe(0x1301);
    expect([...q.anomalies]).toEqual([]);
  });

  it('Retry: keys follow the SCID of the Retry the client answered (the server may send several)', () => {
    const first = hex('aaaaaaaaaaaaaaaa');
    const chosen = hex('bbbbbbbbbbbbbbbbbbbb');
    const other = hex('cccccccccccccccccccc');
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(first, 0, cryptoFrame(0, CH)));
    expect(q.clientHello?.sni).toBe('example.com');
    q.datagram(false, retryPacket(V1, new Uint8Array(0), chosen, hex('746f6b656e')));
    q.datagram(false, retryPacket(V1, new Uint8Array(0), other, hex('746f6b656e')));
    q.datagram(true, clientInitial(chosen, 1, cryptoFrame(0, CH), V1, hex('746f6b656e')));
    q.datagram(false, serverInitial(chosen, 0, cryptoFrame(0, SH)));
    expect(q.retry).toBe(true);
    expect(q.serverHello?.cipher).toBe(0x1301);
    expect([...q.anomalies]).toEqual([]);
  });

  it('Version Negotiation: a reserved version first, then v1; the ClientHello of the real attempt', () => {
    const q = new QuicAnalyzer();
    const forcing = concat(Uint8Array.of(0xc0, 0x1a, 0x2a, 0x3a, 0x4a, 8), hex('0102030405060708'), Uint8Array.of(0), padding(1180));
    q.datagram(true, forcing);
    q.datagram(false, versionNegotiation(new Uint8Array(0), hex('0102030405060708'), [V1, 0x6b3343cf]));
    expect(q.versionNegotiation).toEqual([V1, 0x6b3343cf]);
    const dcid = hex('1112131415161718');
    q.datagram(true, clientInitial(dcid, 0, cryptoFrame(0, CH)));
    q.datagram(false, serverInitial(dcid, 0, cryptoFrame(0, SH)));
    expect(q.clientHello?.sni).toBe('example.com');
    expect(q.serverHello).not.toBeNull();
    expect(q.version).toBe(V1);
    expect([...q.anomalies]).toEqual([]);
  });

  it('compatible version negotiation: a v1 ClientHello answered with v2 Initials', () => {
    const dcid = hex('2122232425262728');
    const q = new QuicAnalyzer();
    q.datagram(true, clientInitial(dcid, 0, cryptoFrame(0, CH)));
    q.datagram(false, serverInitial(dcid, 0, cryptoFrame(0, SH), 0x6b3343cf));
    expect(q.clientVersion).toBe(V1);
    expect(q.version).toBe(0x6b3343cf);
    expect(q.serverHello).not.toBeNull();
  });

  it('says when the caller had the directions the wrong way round', () => {
    const q = new QuicAnalyzer();
    q.datagram(false, hex(RFC9001.clientPacket));
    expect(q.directionSwapped).toBe(true);
    expect(q.clientHello?.sni).toBe('example.com');
    q.datagram(true, hex(RFC9001.serverPacket));
    expect(q.serverHello?.cipher).toBe(0x1301);
  });

  it('damage is an anomaly: a flipped ciphertext bit, a cut header, a server Initial before any client one', () => {
    const bad = hex(RFC9001.clientPacket);
    bad[500] = bad[500]! ^ 1;
    const q = new QuicAnalyzer();
    q.datagram(true, bad);
    expect(q.anomalies.has('quic_decrypt_failed')).toBe(true);
    q.datagram(true, hex(RFC9001.clientPacket).subarray(0, 12));
    expect(q.anomalies.has('quic_header_malformed')).toBe(true);
    const r = new QuicAnalyzer();
    r.datagram(false, hex(RFC9001.serverPacket));
    expect(r.anomalies.has('quic_server_initial_before_client')).toBe(true);
  });

  it('gives up after LIMITS.maxUdpInspectDatagrams datagrams', () => {
    const q = new QuicAnalyzer();
    for (let i = 0; i < LIMITS.maxUdpInspectDatagrams; i++) q.datagram(true, Uint8Array.of(0x40, 1, 2, 3));
    expect(q.done).toBe(true);
    q.datagram(true, hex(RFC9001.clientPacket));
    expect(q.clientHello).toBeNull();
    expect(q.anomalies.has('udp_inspect_limit_reached')).toBe(true);
  });
});

describe('QuicAnalyzer: Handshake packets with a key log', () => {
  const secret = new Uint8Array(32).map((_, i) => 0x40 + i);
  const flight = concat(hex(EE_1RTT), hex(CERT_1RTT), handshake(15, new Uint8Array(8)), handshake(20, new Uint8Array(32)));
  const handshakePacket = (s: Uint8Array, pn: number, frames: Uint8Array): Uint8Array =>
    protectLong({ typeBits: 2, version: V1, dcid: new Uint8Array(0), scid: SCID_S, pn, pnLen: 2, payload: concat(frames, padding(4)), keys: packetKeys(s, tls13Suite(0x1301)!, 'quic') });
  const random = toHex(CH.subarray(6, 38));

  it('opens them with "quic key"/"quic iv"/"quic hp" keys from SERVER_HANDSHAKE_TRAFFIC_SECRET and reads the certificate', () => {
    const keyLog = new KeyLog();
    keyLog.add(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} ${toHex(secret)}\n`);
    const q = new QuicAnalyzer({ secrets: keyLog });
    q.datagram(true, hex(RFC9001.clientPacket));
    const half = 300;
    // Server Initial + first Handshake packet coalesced, the rest of the flight in the next datagram.
    q.datagram(false, concat(hex(RFC9001.serverPacket), handshakePacket(secret, 0, cryptoFrame(0, flight.subarray(0, half)))));
    expect(q.done).toBe(false);
    q.datagram(false, handshakePacket(secret, 1, cryptoFrame(half, flight.subarray(half))));
    const f = q.serverFlight!;
    expect(f.messageTypes).toEqual([8, 11, 15, 20]);
    expect(f.certificates.length).toBe(1);
    expect(q.done).toBe(true);
    expect([...q.anomalies]).toEqual([]);
  });

  it('a wrong secret is keylog_decrypt_failed; a key log without this connection is keylog_missing_secret', () => {
    const keyLog = new KeyLog();
    keyLog.add(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} ${'77'.repeat(32)}\n`);
    const q = new QuicAnalyzer({ secrets: keyLog });
    q.datagram(true, hex(RFC9001.clientPacket));
    q.datagram(false, concat(hex(RFC9001.serverPacket), handshakePacket(secret, 0, cryptoFrame(0, flight))));
    expect(q.anomalies.has('keylog_decrypt_failed')).toBe(true);
    expect(q.serverFlight?.certificates.length ?? 0).toBe(0);
    expect(q.done).toBe(true);

    const other = new KeyLog();
    other.add(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${toHex(secret)}\n`);
    const r = new QuicAnalyzer({ secrets: other });
    r.datagram(true, hex(RFC9001.clientPacket));
    r.datagram(false, concat(hex(RFC9001.serverPacket), handshakePacket(secret, 0, cryptoFrame(0, flight))));
    expect(r.anomalies.has('keylog_missing_secret')).toBe(true);
  });
});
