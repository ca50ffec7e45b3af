/**
 * A bounded memo for pure functions of a string key (fingerprints of a hello, pairs of a DN, weak
 * ciphers of a JA3 string). A capture repeats the same few client stacks and certificates
 * thousands of times, and the per-session work runs too rarely for V8 to optimise it, so looking a
 * result up beats computing it again. When full it starts over: memory stays bounded however
 * varied the input, and a result is always what the function computes.
 */
export class Memo<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string, compute: (key: string) => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = compute(key);
      if (this.map.size >= this.capacity) this.map.clear();
      this.map.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.map.size;
  }
}
