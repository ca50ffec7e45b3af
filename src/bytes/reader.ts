/**
 * A small bounds-checked big-endian reader over a `Uint8Array` range.
 *
 * It never throws. A read past the end clears `ok`, moves `pos` to `end` (so every later read
 * fails too) and returns 0 or an empty view; the caller checks `ok` once after a group of
 * reads, in the "read field, check length, advance" style of RFC presentation-language parsers.
 *
 * Views returned by `bytes()` and `vec*()` share memory with the input: they are valid as long
 * as the input is. The reader itself can be reused with `reset()` to avoid allocating one per
 * structure.
 */

const EMPTY = new Uint8Array(0);

export class ByteReader {
  buf: Uint8Array = EMPTY;
  /** Next byte to read. */
  pos = 0;
  /** One past the last readable byte. */
  end = 0;
  /** False once any read ran past `end`. */
  ok = true;

  constructor(buf?: Uint8Array, start = 0, end?: number) {
    if (buf !== undefined) this.reset(buf, start, end);
  }

  /** Points the reader at `buf[start, end)` and clears the error flag. */
  reset(buf: Uint8Array, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = Math.max(0, start);
    this.end = Math.max(this.pos, Math.min(end, buf.length));
    this.ok = true;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** True when `n` more bytes can be read (does not change the state). */
  has(n: number): boolean {
    return n >= 0 && this.end - this.pos >= n;
  }

  /** Marks the reader as failed and exhausted. */
  fail(): void {
    this.ok = false;
    this.pos = this.end;
  }

  u8(): number {
    if (this.end - this.pos < 1) return this.failed0();
    return this.buf[this.pos++]!;
  }

  u16(): number {
    if (this.end - this.pos < 2) return this.failed0();
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u24(): number {
    if (this.end - this.pos < 3) return this.failed0();
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(): number {
    if (this.end - this.pos < 4) return this.failed0();
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    // `>>> 0` keeps the result unsigned when the top bit is set.
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** Skips `n` bytes; fails when fewer remain. */
  skip(n: number): void {
    if (!this.has(n)) this.fail();
    else this.pos += n;
  }

  /** A view of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    if (!this.has(n)) {
      this.fail();
      return EMPTY;
    }
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** `opaque x<0..2^8-1>`: a view of a body prefixed by an 8-bit length. */
  vec8(): Uint8Array {
    const n = this.u8();
    return this.ok ? this.bytes(n) : EMPTY;
  }

  /** `opaque x<0..2^16-1>`: a view of a body prefixed by a 16-bit length. */
  vec16(): Uint8Array {
    const n = this.u16();
    return this.ok ? this.bytes(n) : EMPTY;
  }

  /** `opaque x<0..2^24-1>`: a view of a body prefixed by a 24-bit length. */
  vec24(): Uint8Array {
    const n = this.u24();
    return this.ok ? this.bytes(n) : EMPTY;
  }

  private failed0(): number {
    this.fail();
    return 0;
  }
}
