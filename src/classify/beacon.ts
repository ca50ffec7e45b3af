/**
 * Beacon statistics, after RITA v5 `analysis/beacons.go` as summarised in
 * ../shared/reference/fingerprints.md §6 (own implementation of the published formulas):
 *
 *   Bowley skew = (Q1 + Q3 - 2*Q2) / (Q3 - Q1), forced to 0 when Q3 - Q1 < 10 or Q2 equals Q1 or Q3
 *   skewScore   = 1 - |Bowley|
 *   madScore    = (median - MAD) / median, clamped to [0, 1]  (MAD = median absolute deviation)
 *   ts score    = mean(skewScore, madScore) over the non-zero intervals between sorted connection
 *                 starts (seconds); needs >= 4 connections and >= 3 non-zero intervals
 *   ds score    = the same statistics over bytes sent by the client per connection
 *   score       = round((ts + ds) / 2, 3)
 *
 * RITA's duration (>= 6 hours seen) and 24-hour histogram terms are left out: a capture rarely
 * spans hours, and their weights are redistributed equally on ts and ds.
 * Quartiles use linear interpolation between order statistics (Hyndman-Fan type 7).
 */

export const BEACON_MIN_CONNECTIONS = 4;
/** Bowley is forced to 0 when the inter-quartile range is below this (seconds, or bytes). */
export const BOWLEY_MIN_IQR = 10;

/** The q-quantile (0..1) of ascending-sorted values, type 7. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export function bowley(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const q1 = quantile(s, 0.25);
  const q2 = quantile(s, 0.5);
  const q3 = quantile(s, 0.75);
  if (q3 - q1 < BOWLEY_MIN_IQR || q2 === q1 || q2 === q3) return 0;
  return (q1 + q3 - 2 * q2) / (q3 - q1);
}

export interface RegularityScore {
  skewScore: number;
  madScore: number;
  /** mean of the two, 0..1 */
  score: number;
  median: number;
  mad: number;
}

/** Regularity of a sample (intervals or sizes): 1 = perfectly regular. */
export function regularity(values: readonly number[]): RegularityScore {
  const m = median(values);
  const d = mad(values);
  const skewScore = 1 - Math.abs(bowley(values));
  let madScore: number;
  if (m === 0) madScore = d === 0 ? 1 : 0;
  else madScore = Math.min(1, Math.max(0, (m - d) / m));
  return { skewScore, madScore, score: (skewScore + madScore) / 2, median: m, mad: d };
}

export interface BeaconConnection {
  /** Start, seconds since the epoch. */
  ts: number;
  /** Bytes the client sent. */
  bytes: number;
}

export interface BeaconScore {
  connections: number;
  /** Non-zero intervals between sorted starts, seconds. */
  intervals: number[];
  ts: RegularityScore;
  ds: RegularityScore;
  /** 0..1, rounded to 3 decimals. */
  score: number;
}

/** null when there are fewer than 4 connections or fewer than 3 non-zero intervals. */
export function beaconScore(conns: readonly BeaconConnection[]): BeaconScore | null {
  if (conns.length < BEACON_MIN_CONNECTIONS) return null;
  const ts = conns.map((c) => c.ts).sort((a, b) => a - b);
  const intervals: number[] = [];
  for (let i = 1; i < ts.length; i++) {
    const gap = ts[i]! - ts[i - 1]!;
    if (gap > 0) intervals.push(Math.round(gap * 1e6) / 1e6);
  }
  if (intervals.length < BEACON_MIN_CONNECTIONS - 1) return null;
  const tsScore = regularity(intervals);
  const dsScore = regularity(conns.map((c) => c.bytes));
  const score = Math.round(((tsScore.score + dsScore.score) / 2) * 1000) / 1000;
  return { connections: conns.length, intervals, ts: tsScore, ds: dsScore, score };
}
