/** Hand-written DNS and pcap bytes for the DNS tests (no captures needed). */

export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** A name as uncompressed labels, ending in the root label. */
export function name(n: string): number[] {
  const out: number[] = [];
  for (const label of n.split('.').filter((l) => l !== '')) out.push(label.length, ...Buffer.from(label, 'ascii'));
  out.push(0);
  return out;
}

/** A compression pointer to `offset`. */
export function ptr(offset: number): number[] {
  return [0xc0 | (offset >> 8), offset & 0xff];
}

export function header(o: { id?: number; flags?: number; qd?: number; an?: number; ns?: number; ar?: number } = {}): number[] {
  return [...u16(o.id ?? 0x1234), ...u16(o.flags ?? 0x8180), ...u16(o.qd ?? 1), ...u16(o.an ?? 0), ...u16(o.ns ?? 0), ...u16(o.ar ?? 0)];
}

/** A resource record: owner bytes (a name or pointer), type, class IN, TTL 300, rdata. */
export function rr(owner: number[], type: number, rdata: number[]): number[] {
  return [...owner, ...u16(type), ...u16(1), ...u32(300), ...u16(rdata.length), ...rdata];
}

export function question(n: string, type = 1): number[] {
  return [...name(n), ...u16(type), ...u16(1)];
}

/** A response to `query` with A records (dotted quads), owner = a pointer to the question name. */
export function aResponse(query: string, addresses: string[]): Uint8Array {
  const body = [...header({ an: addresses.length }), ...question(query)];
  for (const a of addresses) body.push(...rr(ptr(12), 1, a.split('.').map(Number)));
  return Uint8Array.from(body);
}

// ---- pcap (LINKTYPE_RAW, IPv4) ----

function ipv4(proto: number, src: string, dst: string, payload: number[]): number[] {
  const total = 20 + payload.length;
  return [0x45, 0, ...u16(total), 0, 0, 0x40, 0, 64, proto, 0, 0, ...src.split('.').map(Number), ...dst.split('.').map(Number), ...payload];
}

export function udpPacket(src: string, sport: number, dst: string, dport: number, payload: Uint8Array): number[] {
  return ipv4(17, src, dst, [...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0, ...payload]);
}

export function tcpPacket(src: string, sport: number, dst: string, dport: number, seq: number, ack: number, flags: number, payload: Uint8Array = new Uint8Array(0)): number[] {
  return ipv4(6, src, dst, [...u16(sport), ...u16(dport), ...u32(seq), ...u32(ack), 0x50, flags, ...u16(65535), 0, 0, 0, 0, ...payload]);
}

export function pcapFile(packets: { sec: number; data: number[] }[]): Uint8Array {
  const out: number[] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0];
  const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  for (const p of packets) out.push(...le32(p.sec), ...le32(0), ...le32(p.data.length), ...le32(p.data.length), ...p.data);
  return Uint8Array.from(out);
}

/** A TLS 1.2-style ClientHello record with an SNI and the given cipher suites. */
export function clientHelloRecord(sni: string, ciphers: number[] = [0x1301, 0xc02f]): Uint8Array {
  const host = [...Buffer.from(sni, 'ascii')];
  const sniExt = [...u16(0), ...u16(host.length + 5), ...u16(host.length + 3), 0, ...u16(host.length), ...host];
  const exts = [...sniExt];
  const body = [
    0x03, 0x03, ...new Array<number>(32).fill(7), 0,
    ...u16(ciphers.length * 2), ...ciphers.flatMap(u16), 1, 0, ...u16(exts.length), ...exts,
  ];
  const hs = [1, 0, ...u16(body.length), ...body];
  return Uint8Array.from([0x16, 0x03, 0x01, ...u16(hs.length), ...hs]);
}

/** One TCP connection: handshake, then the ClientHello from the client. */
export function tlsConnection(sec: number, client: string, cport: number, server: string, sni: string, ciphers?: number[]): { sec: number; data: number[] }[] {
  return [
    { sec, data: tcpPacket(client, cport, server, 443, 1000, 0, 0x02) },
    { sec, data: tcpPacket(server, 443, client, cport, 5000, 1001, 0x12) },
    { sec, data: tcpPacket(client, cport, server, 443, 1001, 5001, 0x10) },
    { sec: sec + 1, data: tcpPacket(client, cport, server, 443, 1001, 5001, 0x18, clientHelloRecord(sni, ciphers)) },
  ];
}
