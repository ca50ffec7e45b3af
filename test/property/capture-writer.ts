/**
 * Writes pcap and pcapng files from a model, for the property tests, together with the packets
 * a correct reader must return (timestamps computed independently, with BigInt).
 */
import fc from 'fast-check';

export interface ExpectedPacket {
  tsUs: number;
  linkType: number;
  data: string;
}

export interface WrittenCapture {
  bytes: Uint8Array;
  packets: ExpectedPacket[];
  secrets: string[];
}

class Writer {
  private parts: number[] = [];
  constructor(private le: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: Uint8Array, padTo = 1): this {
    for (const x of b) this.u8(x);
    while (this.parts.length % padTo !== 0) this.u8(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// ---- classic pcap ----

export interface PcapModel {
  le: boolean;
  nanos: boolean;
  linkType: number;
  records: { sec: number; frac: number; data: Uint8Array }[];
}

export const pcapModel: fc.Arbitrary<PcapModel> = fc.boolean().chain((nanos) =>
  fc.record({
    le: fc.boolean(),
    nanos: fc.constant(nanos),
    linkType: fc.constantFrom(0, 1, 101, 113, 276),
    records: fc.array(
      fc.record({
        sec: fc.nat({ max: 0xffffffff }),
        frac: fc.nat({ max: nanos ? 999_999_999 : 999_999 }),
        data: fc.uint8Array({ maxLength: 120 }),
      }),
      { maxLength: 12 },
    ),
  }),
);

export function writePcap(m: PcapModel): WrittenCapture {
  const w = new Writer(m.le);
  w.u32(m.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(m.linkType);
  const packets: ExpectedPacket[] = [];
  for (const r of m.records) {
    w.u32(r.sec).u32(r.frac).u32(r.data.length).u32(r.data.length).bytes(r.data);
    packets.push({ tsUs: r.sec * 1e6 + (m.nanos ? Math.floor(r.frac / 1000) : r.frac), linkType: m.linkType, data: hex(r.data) });
  }
  return { bytes: w.done(), packets, secrets: [] };
}

// ---- pcapng ----

type Block =
  | { kind: 'epb' | 'opb'; iface: number; ts: bigint; data: Uint8Array }
  | { kind: 'spb'; data: Uint8Array }
  | { kind: 'dsb'; data: Uint8Array }
  | { kind: 'unknown'; type: number; data: Uint8Array };

interface Iface {
  linkType: number;
  /** if_tsresol option byte, or undefined for the default (10^-6). */
  resol?: number;
  /** if_tsoffset in seconds. */
  offset?: number;
}

interface Section {
  le: boolean;
  ifaces: Iface[];
  blocks: Block[];
}

export interface PcapngModel {
  sections: Section[];
}

const iface: fc.Arbitrary<Iface> = fc.record(
  {
    linkType: fc.constantFrom(1, 101, 113, 228, 229),
    resol: fc.constantFrom(0, 3, 6, 9, 12, 15, 0x80 | 10, 0x80 | 20, 0x80 | 32),
    offset: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  },
  { requiredKeys: ['linkType'] },
);

const section: fc.Arbitrary<Section> = fc
  .record({ le: fc.boolean(), ifaces: fc.array(iface, { minLength: 1, maxLength: 3 }) })
  .chain((s) =>
    fc.record({
      le: fc.constant(s.le),
      ifaces: fc.constant(s.ifaces),
      blocks: fc.array(
        fc.oneof(
          fc.record({
            kind: fc.constantFrom('epb' as const, 'opb' as const),
            iface: fc.nat({ max: s.ifaces.length - 1 }),
            // Timestamps in units of the interface resolution: keep microseconds below 2^53.
            ts: fc.bigInt({ min: 0n, max: (1n << 50n) - 1n }),
            data: fc.uint8Array({ maxLength: 100 }),
          }),
          fc.record({ kind: fc.constant('spb' as const), data: fc.uint8Array({ maxLength: 100 }) }),
          fc.record({ kind: fc.constant('dsb' as const), data: fc.uint8Array({ maxLength: 40 }) }),
          fc.record({ kind: fc.constant('unknown' as const), type: fc.constantFrom(4, 5, 9, 0xbad, 0x40000bad, 0x77), data: fc.uint8Array({ maxLength: 40 }) }),
        ),
        { maxLength: 10 },
      ),
    }),
  );

export const pcapngModel: fc.Arbitrary<PcapngModel> = fc.record({ sections: fc.array(section, { minLength: 1, maxLength: 3 }) });

function unitsPerSecond(resol: number | undefined): bigint {
  if (resol === undefined) return 1_000_000n;
  return resol & 0x80 ? 1n << BigInt(resol & 0x7f) : 10n ** BigInt(resol);
}

/** Writes one block: type, total length, body padded to 32 bits, total length. */
function block(le: boolean, type: number, body: (w: Writer) => void): Uint8Array {
  const inner = new Writer(le);
  body(inner);
  const b = inner.done();
  const total = 12 + b.length;
  return new Writer(le).u32(type).u32(total).bytes(b).u32(total).done();
}

export function writePcapng(m: PcapngModel): WrittenCapture {
  const out: Uint8Array[] = [];
  const packets: ExpectedPacket[] = [];
  const secrets: string[] = [];
  let lastTs = 0;
  for (const s of m.sections) {
    const le = s.le;
    out.push(block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff)));
    for (const i of s.ifaces) {
      out.push(
        block(le, 1, (w) => {
          w.u16(i.linkType).u16(0).u32(0);
          if (i.resol !== undefined) w.u16(9).u16(1).bytes(Uint8Array.of(i.resol), 4);
          if (i.offset !== undefined) {
            const v = BigInt.asUintN(64, BigInt(i.offset));
            const lo = Number(v & 0xffffffffn);
            const hi = Number(v >> 32n);
            w.u16(14).u16(8);
            if (le) w.u32(lo).u32(hi);
            else w.u32(hi).u32(lo);
          }
          w.u16(0).u16(0);
        }),
      );
    }
    for (const b of s.blocks) {
      switch (b.kind) {
        case 'epb':
        case 'opb': {
          const i = s.ifaces[b.iface]!;
          const hi = Number(b.ts >> 32n);
          const lo = Number(b.ts & 0xffffffffn);
          out.push(
            block(le, b.kind === 'epb' ? 6 : 2, (w) => {
              if (b.kind === 'epb') w.u32(b.iface);
              else w.u16(b.iface).u16(0);
              w.u32(hi).u32(lo).u32(b.data.length).u32(b.data.length).bytes(b.data, 4);
            }),
          );
          lastTs = Number((b.ts * 1_000_000n) / unitsPerSecond(i.resol)) + (i.offset ?? 0) * 1e6;
          packets.push({ tsUs: lastTs, linkType: i.linkType, data: hex(b.data) });
          break;
        }
        case 'spb':
          out.push(block(le, 3, (w) => w.u32(b.data.length).bytes(b.data, 4)));
          packets.push({ tsUs: lastTs, linkType: s.ifaces[0]!.linkType, data: hex(b.data) });
          break;
        case 'dsb':
          out.push(block(le, 10, (w) => w.u32(0x544c534b).u32(b.data.length).bytes(b.data, 4)));
          secrets.push(hex(b.data));
          break;
        case 'unknown':
          out.push(block(le, b.type, (w) => w.bytes(b.data, 4)));
          break;
      }
    }
  }
  return { bytes: Uint8Array.from(Buffer.concat(out)), packets, secrets };
}
