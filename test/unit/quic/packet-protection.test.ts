/**
 * QUIC packet protection against the RFC vectors: RFC 9001 Appendix A (v1) and RFC 9369
 * Appendix A (v2), keys from DCID 0x8394c8f03e515708, then the protected client and server
 * Initial packets opened back to the payloads the RFCs print.
 */
import { describe, expect, it } from 'vitest';
import { hkdfExpandLabel, hkdfExtract, tls13Suite } from '../../../src/keylog/key-schedule.js';
import {
  decodePacketNumber,
  initialKeys,
  initialSecrets,
  openLongHeaderPacket,
  packetKeys,
} from '../../../src/quic/packet-protection.js';
import { HeaderKind, LongHeader, parseLongHeader } from '../../../src/quic/long-header.js';
import { PacketType, quicVersionName, quicVersionParams } from '../../../src/quic/versions.js';
import { hex, toHex } from '../tls/helpers.js';
import { DCID, RFC9001, RFC9001_CHACHA, RFC9369 } from './rfc-vectors.js';

const CASES = [
  { name: 'RFC 9001 (QUIC v1)', version: 0x00000001, v: RFC9001 },
  { name: 'RFC 9369 (QUIC v2)', version: 0x6b3343cf, v: RFC9369 },
] as const;

describe.each(CASES)('$name Appendix A', ({ version, v }) => {
  const params = quicVersionParams(version)!;

  it('A.1: initial secret, client and server secrets, key, iv and hp', () => {
    expect(toHex(hkdfExtract('sha256', params.salt, hex(DCID)))).toBe(v.initialSecret);
    const s = initialSecrets(params, hex(DCID));
    expect(toHex(s.client)).toBe(v.clientInitialSecret);
    expect(toHex(s.server)).toBe(v.serverInitialSecret);
    const k = initialKeys(params, hex(DCID));
    expect([toHex(k.client.key), toHex(k.client.iv), toHex(k.client.hp)]).toEqual([v.clientKey, v.clientIv, v.clientHp]);
    expect([toHex(k.server.key), toHex(k.server.iv), toHex(k.server.hp)]).toEqual([v.serverKey, v.serverIv, v.serverHp]);
  });

  it('A.2: the protected client Initial opens to the CRYPTO frame plus PADDING, packet number 2', () => {
    const datagram = hex(v.clientPacket);
    expect(datagram.length).toBe(1200);
    const h = new LongHeader();
    expect(parseLongHeader(datagram, 0, datagram.length, h)).toBe(HeaderKind.Packet);
    expect(h.type).toBe(PacketType.Initial);
    expect(toHex(h.dcid)).toBe(DCID);
    expect(h.end).toBe(1200);
    const packet = datagram.slice();
    const res = openLongHeaderPacket(packet, h.pnOffset, initialKeys(params, h.dcid).client, -1);
    if (typeof res === 'string') throw new Error(res);
    expect(res.pn).toBe(2);
    // The unprotected header the RFC prints.
    expect(toHex(packet.subarray(0, h.pnOffset + 4))).toBe(v.clientHeader);
    expect(res.payload.length).toBe(1162);
    const crypto = hex(v.clientCrypto);
    expect(toHex(res.payload.subarray(0, crypto.length))).toBe(v.clientCrypto);
    expect(res.payload.subarray(crypto.length).every((b) => b === 0)).toBe(true);
  });

  it('A.3: the protected server Initial opens (2-byte packet number 1) to ACK + CRYPTO(ServerHello)', () => {
    const datagram = hex(v.serverPacket);
    const h = new LongHeader();
    expect(parseLongHeader(datagram, 0, datagram.length, h)).toBe(HeaderKind.Packet);
    expect(toHex(h.scid)).toBe('f067a5502a4262b5');
    const packet = datagram.slice();
    // Server packets are protected with server keys derived from the CLIENT's DCID.
    const res = openLongHeaderPacket(packet, h.pnOffset, initialKeys(params, hex(DCID)).server, -1);
    if (typeof res === 'string') throw new Error(res);
    expect(res.pn).toBe(1);
    expect(toHex(packet.subarray(0, h.pnOffset + 2))).toBe(v.serverHeader);
    expect(toHex(res.payload)).toBe(v.serverPayload);
  });

  it('A.4: the Retry packet is recognised, with its token and new SCID', () => {
    const datagram = hex(v.retryPacket);
    const h = new LongHeader();
    expect(parseLongHeader(datagram, 0, datagram.length, h)).toBe(HeaderKind.Retry);
    expect(toHex(h.scid)).toBe('f067a5502a4262b5');
    expect(Buffer.from(h.token).toString('latin1')).toBe('token');
  });

  it('a wrong key does not open, and says so as a value', () => {
    const datagram = hex(v.clientPacket);
    const h = new LongHeader();
    parseLongHeader(datagram, 0, datagram.length, h);
    expect(openLongHeaderPacket(datagram.slice(), h.pnOffset, initialKeys(params, hex('0011223344556677')).client, -1)).toBe('decrypt_failed');
    expect(openLongHeaderPacket(datagram.slice(0, 30), h.pnOffset, initialKeys(params, h.dcid).client, -1)).toBe('too_short');
  });
});

describe('RFC 9001 A.5: ChaCha20-Poly1305 short header packet', () => {
  it('derives key/iv/hp with "quic key"/"quic iv"/"quic hp" and SHA-256', () => {
    const suite = tls13Suite(0x1303)!;
    const k = packetKeys(hex(RFC9001_CHACHA.secret), suite, 'quic');
    expect(toHex(k.key)).toBe(RFC9001_CHACHA.key);
    expect(toHex(k.iv)).toBe(RFC9001_CHACHA.iv);
    expect(toHex(k.hp)).toBe(RFC9001_CHACHA.hp);
    expect(toHex(hkdfExpandLabel('sha256', hex(RFC9001_CHACHA.secret), 'quic ku', new Uint8Array(0), 32))).toBe(
      '1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9',
    );
    // ChaCha20 header protection (§5.4.4) and the packet opened (short header, 3-byte pn).
    expect(toHex(k.mask(hex(RFC9001_CHACHA.sample)))).toBe(RFC9001_CHACHA.mask);
    const packet = hex(RFC9001_CHACHA.packet);
    const mask = k.mask(packet.subarray(1 + 4, 1 + 4 + 16));
    const first = packet[0]! ^ (mask[0]! & 0x1f);
    const pnLen = (first & 3) + 1;
    expect(pnLen).toBe(3);
    const header = Uint8Array.of(first, ...packet.subarray(1, 1 + pnLen).map((b, i) => b ^ mask[1 + i]!));
    expect(toHex(header)).toBe('4200bff4');
    const truncated = (header[1]! << 16) | (header[2]! << 8) | header[3]!;
    const pn = decodePacketNumber(RFC9001_CHACHA.pn - 1, truncated, 24);
    expect(pn).toBe(RFC9001_CHACHA.pn);
    expect(toHex(k.open(pn, header, packet.subarray(4))!)).toBe('01');
  });
});

describe('packet number decoding (RFC 9000 A.3)', () => {
  it('decodes the RFC example and the edges of the window', () => {
    // "if the highest successfully authenticated packet had a packet number of 0xa82f30ea, then a
    // packet containing a 16-bit value of 0x9b32 will be decoded as 0xa82f9b32"
    expect(decodePacketNumber(0xa82f30ea, 0x9b32, 16)).toBe(0xa82f9b32);
    expect(decodePacketNumber(-1, 0, 8)).toBe(0);
    expect(decodePacketNumber(-1, 2, 32)).toBe(2);
    expect(decodePacketNumber(255, 0, 8)).toBe(256);
    expect(decodePacketNumber(300, 0xff, 8)).toBe(255);
  });
});

describe('versions', () => {
  it('knows the salts of v1, v2, the drafts, mvfst and Google T05x, and names them', () => {
    expect(toHex(quicVersionParams(0xff00001d)!.salt)).toBe('afbfec289993d24c9e9786f19c6111e04390a899');
    expect(toHex(quicVersionParams(0xff00001b)!.salt)).toBe('c3eef712c72ebb5a11a7d2432bb46365bef9f502');
    expect(toHex(quicVersionParams(0xff000022)!.salt)).toBe('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
    expect(toHex(quicVersionParams(0x54303530)!.salt)).toBe('7ff579e5acd072915580304c43a2367c60488310');
    expect(quicVersionParams(0x51303530)).toBeNull();
    expect(quicVersionParams(0x1a2a3a4a)).toBeNull();
    expect(quicVersionName(0x00000001)).toBe('QUIC v1');
    expect(quicVersionName(0x6b3343cf)).toBe('QUIC v2');
    expect(quicVersionName(0xff00001d)).toBe('draft-29');
    expect(quicVersionName(0x54303531)).toBe('T051');
    expect(quicVersionName(0xfaceb002)).toBe('mvfst-27');
  });
});
