// Writers of adversarial captures (issue 8): classic pcap files built to push every cap of
// src/config/limits.ts. Shared by scripts/adversarial.mjs (full scale, timed) and the CLI tests
// under test/regressions/ (small scale). Every writer streams to disk through a fixed 4 MiB
// buffer, so a capture of millions of packets never sits in memory; everything is
// deterministic for a given seed.
import { generateKeyPairSync, sign } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRng } from './fuzz-lib.mjs';

const LINKTYPE_ETHERNET = 1;
const CLIENT_MAC = Buffer.from('020000000001', 'hex');
const SERVER_MAC = Buffer.from('020000000002', 'hex');

export const SERVER_IP = '192.0.2.1';
export const CLIENT_IP = '198.51.100.7';

/** Streams a little-endian microsecond pcap (snaplen 65535 unless told) to `path`. */
export class PcapFileWriter {
  constructor(path, { snaplen = 65535, bufferBytes = 4 * 1024 * 1024 } = {}) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(bufferBytes);
    this.fill = 0;
    this.packets = 0;
    this.bytes = 0;
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(snaplen, 16);
    h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.raw(h);
  }

  /** Appends bytes as they are (headers, or a precomputed run of records). */
  raw(b) {
    if (this.fill + b.length > this.buf.length) this.flush();
    if (b.length > this.buf.length) {
      writeSync(this.fd, b);
    } else {
      b.copy(this.buf, this.fill);
      this.fill += b.length;
    }
    this.bytes += b.length;
  }

  /** One record with an Ethernet frame; `tsUs` may exceed 2^32 µs (split into sec/usec). */
  packet(tsUs, frame) {
    this.raw(recordHeader(tsUs, frame.length));
    this.raw(frame);
    this.packets++;
  }

  flush() {
    if (this.fill > 0) writeSync(this.fd, this.buf, 0, this.fill);
    this.fill = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
    return { packets: this.packets, bytes: this.bytes };
  }
}

function recordHeader(tsUs, len) {
  const h = Buffer.allocUnsafe(16);
  h.writeUInt32LE(Math.floor(tsUs / 1e6), 0);
  h.writeUInt32LE(tsUs % 1e6, 4);
  h.writeUInt32LE(len, 8);
  h.writeUInt32LE(len, 12);
  return h;
}

function ipBytes(ip) {
  return typeof ip === 'number' ? [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff] : ip.split('.').map(Number);
}

/** One's-complement sum of 16-bit words (RFC 1071), folded. */
function sum16(b, start, end, acc = 0) {
  let s = acc;
  for (let i = start; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) s += b[end - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 };

/**
 * An Ethernet/IPv4/TCP frame with correct IP and TCP checksums. `src`/`dst` are dotted strings
 * or 32-bit numbers; `payload` a Buffer (may be empty).
 */
export function tcpFrame({ src, dst, sport, dport, seq, ack = 0, flags, payload = EMPTY, window = 65535 }) {
  const ipLen = 20 + 20 + payload.length;
  const f = Buffer.alloc(14 + ipLen);
  SERVER_MAC.copy(f, 0);
  CLIENT_MAC.copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  const ip = 14;
  f[ip] = 0x45;
  f.writeUInt16BE(ipLen, ip + 2);
  f.writeUInt16BE(0x4000, ip + 6); // DF
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(ipBytes(src), ip + 12);
  f.set(ipBytes(dst), ip + 16);
  f.writeUInt16BE(~sum16(f, ip, ip + 20) & 0xffff, ip + 10);
  const t = ip + 20;
  f.writeUInt16BE(sport, t);
  f.writeUInt16BE(dport, t + 2);
  f.writeUInt32BE(seq >>> 0, t + 4);
  f.writeUInt32BE(ack >>> 0, t + 8);
  f[t + 12] = 5 << 4;
  f[t + 13] = flags;
  f.writeUInt16BE(window, t + 14);
  payload.copy(f, t + 20);
  // Pseudo-header (RFC 793 §3.1): addresses, protocol, TCP length.
  let s = sum16(f, ip + 12, ip + 20);
  s = sum16(Buffer.from([0, 6, (ipLen - 20) >> 8, (ipLen - 20) & 0xff]), 0, 4, s);
  s = sum16(f, t, f.length, s);
  f.writeUInt16BE(~s & 0xffff, t + 16);
  return f;
}

const EMPTY = Buffer.alloc(0);

/**
 * One TCP connection's two directions: tracks sequence numbers so a writer only says who sends
 * what. Payloads longer than `mss` are cut into segments.
 */
export class TcpConversation {
  constructor(w, { client = CLIENT_IP, server = SERVER_IP, sport = 50000, dport = 443, tsUs = 1_700_000_000_000_000, mss = 1460 } = {}) {
    Object.assign(this, { w, client, server, sport, dport, ts: tsUs, mss });
    this.seq = [1000, 5000]; // next sequence number of client (0) and server (1)
  }

  frame(dir, flags, payload = EMPTY, seq = this.seq[dir]) {
    const c = { src: this.client, dst: this.server, sport: this.sport, dport: this.dport };
    const s = { src: this.server, dst: this.client, sport: this.dport, dport: this.sport };
    return tcpFrame({ ...(dir === 0 ? c : s), seq, ack: this.seq[1 - dir], flags, payload });
  }

  emit(frame) {
    this.w.packet(this.ts, frame);
    this.ts += 10;
  }

  handshake() {
    this.emit(this.frame(0, TCP.SYN));
    this.seq[0]++;
    this.emit(this.frame(1, TCP.SYN | TCP.ACK));
    this.seq[1]++;
    this.emit(this.frame(0, TCP.ACK));
  }

  send(dir, bytes) {
    for (let off = 0; off < bytes.length; off += this.mss) {
      const part = bytes.subarray(off, Math.min(bytes.length, off + this.mss));
      this.emit(this.frame(dir, TCP.ACK | TCP.PSH, part));
      this.seq[dir] = (this.seq[dir] + part.length) >>> 0;
    }
  }

  close() {
    this.emit(this.frame(0, TCP.FIN | TCP.ACK));
    this.seq[0]++;
    this.emit(this.frame(1, TCP.FIN | TCP.ACK));
    this.seq[1]++;
    this.emit(this.frame(0, TCP.ACK));
  }
}

// ---- TLS bytes (RFC 5246 §6.2, §7.4) ----

const u16 = (n) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec8 = (b) => Buffer.concat([Buffer.from([b.length]), b]);
const vec16 = (b) => Buffer.concat([u16(b.length), b]);
const vec24 = (b) => {
  if (b.length > 0xffffff) throw new RangeError(`${b.length} bytes do not fit a 24-bit length`);
  return Buffer.concat([u24(b.length), b]);
};

/** TLS records of `type` carrying `bytes`, cut at 2^14 bytes of fragment. */
export function tlsRecords(type, bytes, version = 0x0303) {
  const out = [];
  for (let off = 0; off < bytes.length || off === 0; off += 16384) {
    const frag = bytes.subarray(off, Math.min(bytes.length, off + 16384));
    out.push(Buffer.from([type, version >> 8, version & 0xff]), u16(frag.length), frag);
    if (bytes.length === 0) break;
  }
  return Buffer.concat(out);
}

export const handshakeMessage = (type, body) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);

/** A plain TLS 1.2 ClientHello body: SNI, two ECDHE suites, no other extensions. */
export function clientHelloBody(sni = 'adversarial.example') {
  const host = Buffer.from(sni, 'latin1');
  const sniExt = Buffer.concat([u16(0), vec16(vec16(Buffer.concat([Buffer.from([0]), vec16(host)])))]);
  return Buffer.concat([u16(0x0303), Buffer.alloc(32, 0x11), vec8(EMPTY), vec16(Buffer.concat([u16(0xc02f), u16(0xc030)])), vec8(Buffer.from([0])), vec16(sniExt)]);
}

/** A TLS 1.2 ServerHello body choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
export function serverHelloBody() {
  return Buffer.concat([u16(0x0303), Buffer.alloc(32, 0x22), vec8(Buffer.alloc(32, 0x33)), u16(0xc02f), Buffer.from([0]), vec16(EMPTY)]);
}

/** Certificate message body (RFC 5246 §7.4.2): a 24-bit list of 24-bit DER entries. */
export function certificateBody(ders) {
  return vec24(Buffer.concat(ders.map((d) => vec24(d))));
}

// ---- DER (X.690) and a small self-signed certificate ----

function derLength(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const seq = (...p) => tlv(0x30, ...p);
const oidBytes = { ecdsaWithSHA256: '06082a8648ce3d040302', commonName: '0603550403' };
const oid = (name) => Buffer.from(oidBytes[name], 'hex');
const cn = (s) => seq(tlv(0x31, seq(oid('commonName'), tlv(0x0c, Buffer.from(s, 'utf8')))));

/**
 * `depth` SEQUENCEs nested inside each other around `inner`, built from the inside out in one
 * buffer (no recursion, so the writer never overflows its own stack).
 */
export function nestedSequences(depth, inner = Buffer.from([0x05, 0x00])) {
  // sizes[i]: length of the contents of the i-th SEQUENCE counted from the inside.
  const sizes = new Array(depth);
  let size = inner.length;
  for (let i = 0; i < depth; i++) {
    sizes[i] = size;
    size += 1 + derLength(size).length;
  }
  const out = Buffer.alloc(size);
  let pos = 0;
  for (let i = depth - 1; i >= 0; i--) {
    out[pos++] = 0x30;
    const l = derLength(sizes[i]);
    l.copy(out, pos);
    pos += l.length;
  }
  inner.copy(out, pos);
  return out;
}

let signer = null;
/** One P-256 key for every generated certificate (key generation is the slow part). */
function key() {
  signer ??= generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signer;
}

/**
 * A self-signed ECDSA P-256 certificate for `name` with this serial; `extraExtension` (a DER
 * Extension SEQUENCE) is added to the v3 extensions when given.
 */
export function selfSignedCertificate({ name = 'adversarial.example', serial = 1, extraExtension = null } = {}) {
  const { publicKey, privateKey } = key();
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const alg = seq(oid('ecdsaWithSHA256'));
  const serialBytes = Buffer.from(serial.toString(16).padStart(16, '0'), 'hex');
  const validity = seq(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('350101000000Z')));
  const extensions = extraExtension ? [tlv(0xa3, seq(extraExtension))] : [];
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, Buffer.concat([Buffer.from([0x01]), serialBytes])), alg, cn(name), validity, cn(name), spki, ...extensions);
  const sig = sign('sha256', tbs, privateKey);
  return seq(tbs, alg, tlv(0x03, Buffer.from([0]), sig));
}

/** An Extension (RFC 5280 §4.1) with a private OID whose value nests SEQUENCEs `depth` deep. */
export function deepExtension(depth) {
  // 1.3.6.1.4.1.32473.1 (the documentation enterprise number, RFC 5612).
  return seq(Buffer.from('06092b0601040181fd5901', 'hex'), tlv(0x04, nestedSequences(depth)));
}

// ---- the captures ----

/**
 * (a) SYN flood: `flows` SYNs to SERVER_IP:443 from distinct addresses and random ports (1 µs
 * apart, so no flow idles out and the flow table fills up).
 */
export function writeSynFlood(path, { flows = 1_000_000, seed = 1, firstFlowsToPort = null } = {}) {
  const w = new PcapFileWriter(path);
  const rng = createRng(seed);
  const t0 = 1_700_000_000_000_000;
  for (let i = 0; i < flows; i++) {
    // `firstFlowsToPort: {count, port}` sends the oldest flows to another port, so a test can
    // report only those (--ports) and see them evicted first, without 200,000 session records.
    const dport = firstFlowsToPort !== null && i < firstFlowsToPort.count ? firstFlowsToPort.port : 443;
    // 10.0.0.0/8 plus a counter in the low bits keeps every flow distinct even if ports repeat.
    const src = (0x0a000000 | (i & 0xffffff)) >>> 0;
    const sport = 1024 + rng.int(64512);
    w.packet(t0 + i, tcpFrame({ src, dst: SERVER_IP, sport, dport, seq: rng.next(), flags: TCP.SYN, window: 1024 }));
  }
  return w.close();
}

/**
 * (b) A ClientHello whose handshake header claims 0xFFFFFF bytes, then `bytes` of filler sent
 * in order, in full 2^14-byte handshake records.
 */
export function writeHugeClientHello(path, { bytes = 4 * 1024 * 1024 } = {}) {
  const w = new PcapFileWriter(path);
  const c = new TcpConversation(w);
  c.handshake();
  const start = Buffer.concat([Buffer.from([1]), u24(0xffffff), clientHelloBody()]);
  c.send(0, tlsRecords(22, start, 0x0301));
  const filler = tlsRecords(22, Buffer.alloc(16384, 0x41), 0x0301);
  for (let sent = 0; sent < bytes; sent += filler.length) c.send(0, filler);
  c.close();
  return w.close();
}

/**
 * (c) One connection, then `segments` client segments that each leave a gap: the first byte
 * after the handshake never arrives, and every segment starts 2 × its length further on.
 */
export function writeEndlessOutOfOrder(path, { segments = 1_000_000, segmentBytes = 100 } = {}) {
  const w = new PcapFileWriter(path);
  const c = new TcpConversation(w);
  c.handshake();
  const payload = Buffer.alloc(segmentBytes, 0x42);
  const base = c.seq[0];
  for (let i = 0; i < segments; i++) {
    c.emit(c.frame(0, TCP.ACK | TCP.PSH, payload, (base + (i * 2 + 1) * segmentBytes) >>> 0));
  }
  return w.close();
}

/**
 * One TLS 1.2 connection: ClientHello, then ServerHello + Certificate(`ders`) + ServerHelloDone
 * as one handshake byte stream cut into records and segments.
 */
function tls12Connection(w, ders, options = {}) {
  const c = new TcpConversation(w, options);
  c.handshake();
  c.send(0, tlsRecords(22, handshakeMessage(1, clientHelloBody(options.sni)), 0x0301));
  const flight = Buffer.concat([handshakeMessage(2, serverHelloBody()), handshakeMessage(11, certificateBody(ders)), handshakeMessage(14, EMPTY)]);
  c.send(1, tlsRecords(22, flight));
  c.close();
  return c;
}

/**
 * (d) One server flight whose Certificate message lists `certificates` copies of one small
 * certificate (over many records and segments), then `sessions` more connections, each with
 * its own distinct certificate (serial and name differ). When the copies of a real certificate
 * (~330 bytes) would not fit the message's 24-bit length (about 50,000 of them), a 100-byte
 * stand-in DER is listed instead: 100,000 entries then make a valid 10 MB message.
 */
export function writeManyCertificates(path, { certificates = 100_000, sessions = 0 } = {}) {
  const w = new PcapFileWriter(path);
  const real = selfSignedCertificate();
  const one = certificates * (real.length + 3) + 3 <= 0xffffff ? real : seq(tlv(0x04, Buffer.alloc(96, 0x5a)));
  tls12Connection(w, new Array(certificates).fill(one), { sport: 40000 });
  let ts = 1_700_000_100_000_000;
  for (let i = 0; i < sessions; i++) {
    const name = `host${i}.adversarial.example`;
    tls12Connection(w, [selfSignedCertificate({ name, serial: i + 2 })], {
      client: (0x0a000000 | (i & 0xffffff)) >>> 0,
      sport: 1024 + (i % 60000),
      tsUs: ts,
      sni: name,
    });
    ts += 1000;
  }
  return w.close();
}

/**
 * (e) Deep ASN.1: session 1's certificate carries an extension nesting SEQUENCEs `depth` deep;
 * session 2's "certificate" is nothing but SEQUENCEs nested `depth` deep.
 */
export function writeDeepAsn1(path, { depth = 10_000 } = {}) {
  const w = new PcapFileWriter(path);
  tls12Connection(w, [selfSignedCertificate({ extraExtension: deepExtension(depth) })], { sport: 40001 });
  tls12Connection(w, [nestedSequences(depth)], { sport: 40002, tsUs: 1_700_000_001_000_000 });
  return w.close();
}

/**
 * (f) A gzip bomb: a pcap whose decompressed size is `decompressedBytes` (rounded up to whole
 * 64 MiB blocks), of one connection's ACK repeated (`mode: 'packets'`) or of records of 16 MiB
 * minus a little, full of zeros (`mode: 'jumbo'`, few packets, so the cost is gunzip alone).
 * One block is compressed once and its gzip member written again and again (RFC 1952 §2.2
 * allows concatenated members), so writing costs only the compressed size.
 */
export function writeGzipBomb(path, { decompressedBytes = 4 * 1024 ** 3, mode = 'packets' } = {}) {
  const blockBytes = 64 * 1024 * 1024;
  let block;
  let recordsPerBlock;
  if (mode === 'packets') {
    const frame = tcpFrame({ src: CLIENT_IP, dst: SERVER_IP, sport: 50000, dport: 443, seq: 1, ack: 1, flags: TCP.ACK });
    const rec = Buffer.concat([recordHeader(1_700_000_000_000_000, frame.length), frame]);
    recordsPerBlock = Math.floor(blockBytes / rec.length);
    block = Buffer.concat(new Array(recordsPerBlock).fill(rec));
  } else {
    const dataLen = 16 * 1024 * 1024 - 1024; // under LIMITS.maxRecordBytes
    const rec = Buffer.alloc(16 + dataLen);
    rec.set(recordHeader(1_700_000_000_000_000, dataLen), 0);
    recordsPerBlock = Math.floor(blockBytes / rec.length);
    block = Buffer.concat(new Array(recordsPerBlock).fill(rec));
  }
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(mode === 'packets' ? 65535 : 16 * 1024 * 1024, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const member = gzipSync(block, { level: 9 });
  const blocks = Math.max(1, Math.ceil(decompressedBytes / block.length));
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    const head = gzipSync(header);
    writeSync(fd, head);
    written += head.length;
    for (let i = 0; i < blocks; i++) written += writeSync(fd, member);
  } finally {
    closeSync(fd);
  }
  return { packets: blocks * recordsPerBlock, bytes: written, decompressedBytes: 24 + blocks * block.length };
}
