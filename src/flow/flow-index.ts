/**
 * Flow key -> value, for one lookup per packet without a key object: open addressing with
 * linear probing over typed arrays that hold each slot's key words (flow-key.ts) and hash.
 *
 * - The hash is seeded at random per index, so that addresses and ports chosen by an attacker
 *   cannot line their flows up on one probe chain (hash flooding).
 * - The table doubles at half load; a delete shifts the entries after the hole back (no
 *   tombstones, so probe chains never grow with churn).
 * - Each value knows its slot (the index keeps `slot` up to date as entries move), so it is
 *   removed without its key: a flow need not keep a copy of its key (an Int32Array and its
 *   buffer, ~220 bytes of a SYN-flood flow's ~1.2 KB).
 */
import { randomInt } from 'node:crypto';
import { KEY_WORDS } from './flow-key.js';

const INITIAL_SLOTS = 1024;

/** What the index holds: its slot is written by the index, -1 when not in it. */
export interface Indexed {
  slot: number;
}

export class FlowIndex<T extends Indexed> {
  private keys = new Int32Array(INITIAL_SLOTS * KEY_WORDS);
  private hashes = new Int32Array(INITIAL_SLOTS);
  private values: (T | null)[] = new Array<T | null>(INITIAL_SLOTS).fill(null);
  private mask = INITIAL_SLOTS - 1;
  private readonly seed = randomInt(0x7fffffff);
  size = 0;

  get(key: Int32Array): T | undefined {
    const h = this.hash(key);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.values[slot]!;
      if (v === null) return undefined;
      if (this.hashes[slot] === h && this.sameKey(slot, key)) return v;
    }
  }

  /** Adds a key that is not in the index. */
  add(key: Int32Array, value: T): void {
    if ((this.size + 1) * 2 > this.values.length) this.grow();
    this.place(key, this.hash(key), value);
    this.size++;
  }

  /** Removes `value` (which must be in this index) without its key. */
  remove(value: T): void {
    if (this.values[value.slot] !== value) throw new Error('FlowIndex.remove: not in the index');
    this.removeAt(value.slot);
  }

  delete(key: Int32Array): boolean {
    const h = this.hash(key);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      if (this.values[slot] === null) return false;
      if (this.hashes[slot] === h && this.sameKey(slot, key)) {
        this.removeAt(slot);
        return true;
      }
    }
  }

  private removeAt(slot: number): void {
    const mask = this.mask;
    let hole = slot;
    this.values[hole]!.slot = -1;
    // Backward shift: an entry further along may move into the hole when the hole lies on its
    // probe path (between its home slot and where it sits now).
    for (let j = (hole + 1) & mask; this.values[j] !== null; j = (j + 1) & mask) {
      const home = this.hashes[j]! & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.keys.copyWithin(hole * KEY_WORDS, j * KEY_WORDS, (j + 1) * KEY_WORDS);
        this.hashes[hole] = this.hashes[j]!;
        const moved = this.values[j]!;
        this.values[hole] = moved;
        moved.slot = hole;
        hole = j;
      }
    }
    this.values[hole] = null;
    this.size--;
  }

  private place(key: Int32Array, h: number, value: T): void {
    let slot = h & this.mask;
    while (this.values[slot] !== null) slot = (slot + 1) & this.mask;
    this.keys.set(key, slot * KEY_WORDS);
    this.hashes[slot] = h;
    this.values[slot] = value;
    value.slot = slot;
  }

  private grow(): void {
    const { keys, hashes, values } = this;
    const slots = values.length * 2;
    this.keys = new Int32Array(slots * KEY_WORDS);
    this.hashes = new Int32Array(slots);
    this.values = new Array<T | null>(slots).fill(null);
    this.mask = slots - 1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== null) this.place(keys.subarray(i * KEY_WORDS, (i + 1) * KEY_WORDS), hashes[i]!, v);
    }
  }

  private sameKey(slot: number, key: Int32Array): boolean {
    const keys = this.keys;
    const at = slot * KEY_WORDS;
    for (let i = 0; i < KEY_WORDS; i++) if (keys[at + i] !== key[i]) return false;
    return true;
  }

  /** A 32-bit mix of the key words (multiply-rotate per word, then an avalanche). */
  private hash(key: Int32Array): number {
    let h = this.seed;
    for (let i = 0; i < KEY_WORDS; i++) {
      h = Math.imul(h ^ key[i]!, 0x9e3779b1);
      h = (h << 13) | (h >>> 19);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }
}
