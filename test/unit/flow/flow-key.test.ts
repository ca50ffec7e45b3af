import { describe, expect, it } from 'vitest';
import { DecodedPacket } from '../../../src/decode/decoded-packet.js';
import { FlowKey, flowKey, formatFlowKey } from '../../../src/flow/flow-key.js';

/** A packet whose addresses sit at realistic offsets (Ethernet + IP header) in its data. */
function packet(version: 4 | 6, src: number[], sport: number, dst: number[], dport: number, proto = 6): DecodedPacket {
  const p = new DecodedPacket();
  const srcOff = version === 4 ? 14 + 12 : 14 + 8;
  const dstOff = srcOff + src.length;
  p.data = new Uint8Array(dstOff + dst.length + 20);
  p.data.set(src, srcOff);
  p.data.set(dst, dstOff);
  p.ipVersion = version;
  p.srcOff = srcOff;
  p.dstOff = dstOff;
  p.proto = proto;
  p.srcPort = sport;
  p.dstPort = dport;
  return p;
}

function keyOf(p: DecodedPacket): FlowKey {
  const out = new FlowKey();
  expect(flowKey(p, out)).toBe(out);
  return out;
}

const v6a = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const v6b = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const v6hi = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

describe('flowKey', () => {
  it.each([
    { name: 'IPv4, client lower', v: 4 as const, c: [10, 0, 0, 1], cp: 50000, s: [10, 0, 0, 2], sp: 443 },
    { name: 'IPv4, server lower', v: 4 as const, c: [192, 168, 1, 9], cp: 50000, s: [10, 0, 0, 2], sp: 443 },
    { name: 'IPv4, addresses with the top bit set', v: 4 as const, c: [200, 1, 2, 3], cp: 1, s: [128, 0, 0, 0], sp: 443 },
    { name: 'IPv4, same address, ports decide', v: 4 as const, c: [127, 0, 0, 1], cp: 50000, s: [127, 0, 0, 1], sp: 443 },
    { name: 'IPv6, client lower', v: 6 as const, c: v6a, cp: 50000, s: v6b, sp: 443 },
    { name: 'IPv6, server lower', v: 6 as const, c: v6hi, cp: 50000, s: v6a, sp: 443 },
    { name: 'IPv6, same address, ports decide', v: 6 as const, c: v6b, cp: 443, s: v6b, sp: 444 },
  ])('$name: both directions give one key and opposite dirs', ({ v, c, cp, s, sp }) => {
    const there = keyOf(packet(v, c, cp, s, sp));
    const back = keyOf(packet(v, s, sp, c, cp));
    expect(back.words).toEqual(there.words);
    expect(there.fromA).toBe(!back.fromA);
    expect(there.valid && back.valid).toBe(true);
  });

  it('puts the lower endpoint first', () => {
    const k = keyOf(packet(4, [10, 0, 0, 9], 50000, [10, 0, 0, 2], 443));
    expect(k.fromA).toBe(false); // the source 10.0.0.9 is B
    expect(formatFlowKey(k.words)).toBe('tcp 10.0.0.2:443 <-> 10.0.0.9:50000');
  });

  it('compares IPv6 addresses byte by byte from the first', () => {
    const k = keyOf(packet(6, v6hi, 1, v6a, 2));
    expect(k.fromA).toBe(false);
    expect(formatFlowKey(k.words)).toBe('tcp [2001:db8:0:0:0:0:0:1]:2 <-> [fe80:0:0:0:ffff:ffff:ffff:ffff]:1');
  });

  it('tells protocols, addresses and ports apart', () => {
    const base = [...keyOf(packet(4, [10, 0, 0, 1], 50000, [10, 0, 0, 2], 443)).words].join();
    const others = [
      packet(4, [10, 0, 0, 1], 50000, [10, 0, 0, 2], 443, 17),
      packet(4, [10, 0, 0, 1], 50001, [10, 0, 0, 2], 443),
      packet(4, [10, 0, 0, 1], 50000, [10, 0, 0, 3], 443),
      packet(4, [10, 0, 0, 1], 50000, [10, 0, 0, 2], 8443),
      packet(6, [...Array(12).fill(0), 10, 0, 0, 1], 50000, [...Array(12).fill(0), 10, 0, 0, 2], 443),
    ];
    const keys = new Set([base, ...others.map((p) => [...keyOf(p).words].join())]);
    expect(keys.size).toBe(others.length + 1);
    expect(formatFlowKey(keyOf(others[0]!).words)).toBe('udp 10.0.0.1:50000 <-> 10.0.0.2:443');
  });

  it('reuses one shared object when no output is given', () => {
    const first = flowKey(packet(4, [1, 2, 3, 4], 5, [6, 7, 8, 9], 10));
    const key = first.words.slice();
    const second = flowKey(packet(4, [6, 7, 8, 9], 10, [1, 2, 3, 4], 5));
    expect(second).toBe(first);
    expect(second.words).toEqual(key);
    expect(second.fromA).toBe(false);
  });

  it('gives no key to a packet without an IP header', () => {
    expect(flowKey(new DecodedPacket(), new FlowKey()).valid).toBe(false);
  });

  it('is the same for a packet at any offset of a larger buffer', () => {
    const p = packet(4, [10, 0, 0, 1], 50000, [10, 0, 0, 2], 443);
    const shifted = new DecodedPacket();
    Object.assign(shifted, p);
    shifted.data = new Uint8Array(p.data.length + 100);
    shifted.data.set(p.data, 100);
    shifted.srcOff += 100;
    shifted.dstOff += 100;
    expect(keyOf(shifted)).toEqual(keyOf(p));
  });
});
