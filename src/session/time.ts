/** Latest instant a JS Date can hold, in µs (ECMA-262 §21.4.1.1: ±8.64e15 ms). */
const MAX_US = 8.64e18;

/**
 * Capture time (µs since the epoch) as ISO-8601 UTC with microseconds: 2024-05-01T12:00:00.123456Z.
 * A damaged timestamp outside what a Date can hold is clamped rather than thrown on.
 */
export function isoMicros(tsUs: number): string {
  const t = Number.isFinite(tsUs) ? Math.min(Math.max(tsUs, 0), MAX_US) : 0;
  const ms = Math.floor(t / 1000);
  const micros = Math.floor(t - ms * 1000);
  const base = new Date(ms).toISOString(); // 2024-05-01T12:00:00.123Z
  return `${base.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}
