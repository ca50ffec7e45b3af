/**
 * A bounds-checked reader for QUIC's wire forms (RFC 9000 §16, §17): big-endian integers and
 * variable-length integers.
 *
 *   "The QUIC variable-length integer encoding reserves the two most significant bits of the
 *   first byte to encode the base-2 logarithm of the integer encoding length in bytes. The
 *   integer value is encoded on the remaining bits, in network byte order."  (2MSB 00/01/10/11 ->
 *   1/2/4/8 bytes, 6/14/30/62 usable bits)
 *
 * Like ByteReader it never throws: a read past the end clears `ok`. Values of 8-byte integers
 * above 2^53 lose precision (they are only ever compared with buffer sizes, which they exceed).
 */
const EMPTY = new Uint8Array(0);

export class QuicReader {
  buf: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  ok = true;

  reset(buf: Uint8Array, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = start;
    this.end = Math.min(end, buf.length);
    this.ok = start <= this.end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) return this.fail();
    return this.buf[this.pos++]!;
  }

  u32(): number {
    if (this.end - this.pos < 4) return this.fail();
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** RFC 9000 §16 variable-length integer. */
  varint(): number {
    if (this.pos >= this.end) return this.fail();
    const b = this.buf;
    const first = b[this.pos]!;
    const len = 1 << (first >> 6);
    if (this.end - this.pos < len) return this.fail();
    let v = first & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + b[this.pos + i]!;
    this.pos += len;
    return v;
  }

  /** A view of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    if (!(n >= 0) || this.end - this.pos < n) {
      this.fail();
      return EMPTY;
    }
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number): void {
    if (!(n >= 0) || this.end - this.pos < n) this.fail();
    else this.pos += n;
  }

  private fail(): number {
    this.ok = false;
    this.pos = this.end;
    return 0;
  }
}
