// Mutation engine of the fuzz harness (scripts/fuzz.mjs), shared with the fixed-seed vitest run
// (test/regressions/fuzz-fixed-seed.test.ts). Everything here is deterministic for a given seed:
// the same seed, seed files and case index give the same bytes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A small deterministic PRNG (mulberry32) with the helpers the mutators need. */
export function createRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n) => (n <= 0 ? 0 : next() % n);
  return {
    next,
    int,
    chance: (p) => next() / 0x100000000 < p,
    pick: (arr) => arr[int(arr.length)],
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
  };
}

/** The capture files under a directory tree (pcap, pcapng, cap, their .gz), sorted. */
function listCaptures(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(pcap|pcapng|cap)(\.gz)?$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Seed inputs: every fixtures/*.pcap* capture (not the .expected.json beside them) plus, when
 * `corpusDir` exists, a seeded sample of `corpusSample` captures of at most `maxBytes` from it.
 * A gzip seed is used as it is and also decompressed (so its contents get byte-level mutations).
 */
export function loadSeeds({ fixturesDir, corpusDir, corpusSample = 0, maxBytes = 2 * 1024 * 1024, seed = 1 }) {
  const seeds = [];
  const add = (path, base) => {
    const bytes = readFileSync(path);
    const name = relative(base, path);
    seeds.push({ name, bytes });
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        const raw = gunzipSync(bytes, { maxOutputLength: 64 * 1024 * 1024 });
        seeds.push({ name: `${name}#gunzipped`, bytes: raw });
      } catch {
        // A broken gzip seed stays a seed only in its compressed form.
      }
    }
  };
  for (const name of readdirSync(fixturesDir).sort()) {
    if (/\.(pcap|pcapng|cap)(\.gz)?$/i.test(name)) add(join(fixturesDir, name), fixturesDir);
  }
  if (corpusDir && corpusSample > 0) {
    const candidates = listCaptures(corpusDir).filter((p) => statSync(p).size <= maxBytes);
    const rng = createRng(seed ^ 0x5eed5eed);
    // A seeded partial Fisher-Yates shuffle: the first `corpusSample` entries are the sample.
    const n = Math.min(corpusSample, candidates.length);
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(candidates.length - i);
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
      add(candidates[i], corpusDir);
    }
  }
  return seeds;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;

/** Length of the file header (pcap global header or first pcapng block), 0 when unknown. */
export function headerLength(b) {
  if (b.length < 24) return 0;
  const magic = b.readUInt32BE(0);
  if (PCAP_MAGICS.has(magic)) return 24;
  if (magic === PCAPNG_SHB && b.length >= 12) {
    const le = b.readUInt32BE(8) === 0x4d3c2b1a;
    const len = le ? b.readUInt32LE(4) : b.readUInt32BE(4);
    return len >= 28 && len <= b.length ? len : 0;
  }
  return 0;
}

/**
 * Offsets of length fields the file format itself declares: pcap record caplen/origlen, pcapng
 * block total lengths (leading and trailing). At most `limit` of them.
 */
export function structuralLengthOffsets(b, limit = 4096) {
  const out = [];
  if (b.length < 24) return out;
  const magic = b.readUInt32BE(0);
  if (PCAP_MAGICS.has(magic)) {
    const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    let off = 24;
    while (off + 16 <= b.length && out.length < limit) {
      out.push({ at: off + 8, width: 4, le }, { at: off + 12, width: 4, le });
      const caplen = le ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
      // The first bytes of the packet: an IP total length or TCP/TLS length is close by.
      off += 16 + caplen;
    }
  } else if (magic === PCAPNG_SHB && b.length >= 12) {
    const le = b.readUInt32BE(8) === 0x4d3c2b1a;
    let off = 0;
    while (off + 12 <= b.length && out.length < limit) {
      const len = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
      out.push({ at: off + 4, width: 4, le });
      if (len < 12 || len % 4 !== 0) break;
      if (off + len - 4 >= 0 && off + len <= b.length) out.push({ at: off + len - 4, width: 4, le });
      // Enhanced Packet Block: captured and original lengths.
      const type = le ? b.readUInt32LE(off) : b.readUInt32BE(off);
      if (type === 6 && off + 28 <= b.length) out.push({ at: off + 20, width: 4, le }, { at: off + 24, width: 4, le });
      off += len;
    }
  }
  return out;
}

const LENGTH_VALUES = [0, 0xffff, 0xffffffff];

function writeLength(b, at, width, le, value) {
  if (at < 0 || at + width > b.length) return;
  if (width === 2) {
    if (le) b.writeUInt16LE(value & 0xffff, at);
    else b.writeUInt16BE(value & 0xffff, at);
  } else if (le) b.writeUInt32LE(value >>> 0, at);
  else b.writeUInt32BE(value >>> 0, at);
}

/** One mutation of `input` (a fresh Buffer); returns the bytes and a one-line description. */
function mutateOnce(input, seeds, rng) {
  const kind = rng.pick(['flip', 'flip', 'truncate', 'length', 'length', 'structural-length', 'splice', 'random-tail']);
  switch (kind) {
    case 'flip': {
      const b = Buffer.from(input);
      if (b.length === 0) return { bytes: b, what: 'flip(empty)' };
      const n = 1 + rng.int(rng.chance(0.2) ? 64 : 8);
      for (let i = 0; i < n; i++) {
        const at = rng.int(b.length);
        b[at] = rng.chance(0.5) ? b[at] ^ (1 << rng.int(8)) : rng.next() & 0xff;
      }
      return { bytes: b, what: `flip(${n})` };
    }
    case 'truncate': {
      const at = rng.int(input.length + 1);
      return { bytes: Buffer.from(input.subarray(0, at)), what: `truncate(${at}/${input.length})` };
    }
    case 'length': {
      const b = Buffer.from(input);
      const n = 1 + rng.int(4);
      const parts = [];
      for (let i = 0; i < n && b.length >= 4; i++) {
        const width = rng.chance(0.5) ? 2 : 4;
        const at = rng.int(b.length - width + 1);
        const value = rng.pick(LENGTH_VALUES);
        const le = rng.chance(0.5);
        writeLength(b, at, width, le, value);
        parts.push(`${at}:${width}${le ? 'le' : 'be'}=${value.toString(16)}`);
      }
      return { bytes: b, what: `length(${parts.join(',')})` };
    }
    case 'structural-length': {
      const b = Buffer.from(input);
      const fields = structuralLengthOffsets(b);
      if (fields.length === 0) return mutateOnce(input, seeds, rng);
      const f = rng.pick(fields);
      const value = rng.pick(LENGTH_VALUES);
      writeLength(b, f.at, f.width, f.le, value);
      // And sometimes a nearby IP/TCP/TLS 16-bit length inside the record that follows.
      let extra = '';
      if (rng.chance(0.5)) {
        const at = f.at + 8 + rng.int(96);
        const v = rng.pick(LENGTH_VALUES);
        writeLength(b, at, 2, false, v);
        extra = `+${at}:2be=${v.toString(16)}`;
      }
      return { bytes: b, what: `structural-length(${f.at}=${value.toString(16)}${extra})` };
    }
    case 'splice': {
      const other = rng.pick(seeds);
      const ha = headerLength(input);
      const hb = headerLength(other.bytes);
      if (ha > 0 && hb > 0 && rng.chance(0.7)) {
        // Header of one capture, records of another.
        return {
          bytes: Buffer.concat([input.subarray(0, ha), other.bytes.subarray(hb)]),
          what: `splice-header(${other.name})`,
        };
      }
      const a = rng.int(input.length + 1);
      const bStart = rng.int(other.bytes.length + 1);
      return {
        bytes: Buffer.concat([input.subarray(0, a), other.bytes.subarray(bStart)]),
        what: `splice(${a}|${other.name}@${bStart})`,
      };
    }
    case 'random-tail':
    default: {
      const h = headerLength(input) || Math.min(24, input.length);
      const n = rng.int(rng.chance(0.2) ? 256 * 1024 : 4096);
      return { bytes: Buffer.concat([input.subarray(0, h), rng.bytes(n)]), what: `random-tail(${h}+${n})` };
    }
  }
}

/**
 * Case `index` of a run seeded with `seed`: a seed input with 1 to 3 stacked mutations. Each case
 * has its own PRNG stream, so a case can be regenerated from (seed, index) alone.
 */
export function makeCase(seeds, seed, index) {
  const rng = createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const base = rng.pick(seeds);
  let bytes = base.bytes;
  const mutation = [];
  const n = rng.chance(0.6) ? 1 : 2 + rng.int(2);
  for (let i = 0; i < n; i++) {
    const m = mutateOnce(bytes, seeds, rng);
    bytes = m.bytes;
    mutation.push(m.what);
  }
  return { bytes, seedFile: base.name, mutation: mutation.join(' then '), index, seed };
}

/** The name a failing input is saved under: the first 16 hex digits of its SHA-256. */
export function caseHash(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
