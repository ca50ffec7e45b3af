import { describe, expect, it } from 'vitest';
import { beaconScore, bowley, mad, quantile, regularity } from '../../../src/classify/beacon.js';
import { buildRunIndex, isFailedConnection } from '../../../src/classify/run-index.js';
import { buildContext } from '../../../src/classify/classifier.js';
import { beaconRegularInterval } from '../../../src/classify/rules/beacon-regular-interval.js';
import { at, session, tls } from './builder.js';

describe('beacon statistics (fingerprints.md §6)', () => {
  it('quantiles (type 7), MAD, Bowley', () => {
    expect(quantile([5, 10, 30, 95, 270], 0.25)).toBe(10);
    expect(quantile([40, 100, 300, 700, 5000, 12000], 0.75)).toBe(3925);
    expect(mad([5, 95, 30, 270, 10])).toBe(25);
    // (10 + 95 - 2*30) / (95 - 10)
    expect(bowley([5, 95, 30, 270, 10])).toBeCloseTo(45 / 85, 10);
    // IQR under 10: forced 0
    expect(bowley([60, 61, 59, 60, 62])).toBe(0);
    // Q2 equal to Q1: forced 0
    expect(bowley([10, 10, 10, 50, 90])).toBe(0);
  });

  it('perfectly regular intervals and sizes score 1', () => {
    const b = beaconScore([0, 60, 120, 180, 240].map((ts) => ({ ts, bytes: 100 })))!;
    expect(b.intervals).toEqual([60, 60, 60, 60]);
    expect(b.ts).toMatchObject({ skewScore: 1, madScore: 1, score: 1 });
    expect(b.ds.score).toBe(1);
    expect(b.score).toBe(1);
  });

  it('irregular intervals and sizes score low (hand-computed)', () => {
    const ts = [0, 5, 100, 130, 400, 410];
    const bytes = [100, 5000, 300, 40, 12000, 700];
    const b = beaconScore(ts.map((t, i) => ({ ts: t, bytes: bytes[i]! })))!;
    // intervals [5,95,30,270,10]: skew 1-45/85, mad score (30-25)/30
    expect(b.ts.skewScore).toBeCloseTo(1 - 45 / 85, 10);
    expect(b.ts.madScore).toBeCloseTo(5 / 30, 10);
    // sizes: Q1 150, Q2 500, Q3 3925; Bowley 3075/3775; median 500, MAD 430
    expect(b.ds.skewScore).toBeCloseTo(1 - 3075 / 3775, 10);
    expect(b.ds.madScore).toBeCloseTo(70 / 500, 10);
    expect(b.score).toBe(0.241);
  });

  it('needs 4 connections and 3 non-zero intervals', () => {
    expect(beaconScore([0, 60, 120].map((ts) => ({ ts, bytes: 1 })))).toBeNull();
    expect(beaconScore([0, 0, 60, 120].map((ts) => ({ ts, bytes: 1 })))).toBeNull();
    expect(regularity([0, 0, 0]).madScore).toBe(1);
  });
});

describe('beacon.regular-interval', () => {
  const beacon = (times: number[], over: { bytes?: number[]; sni?: string } = {}) =>
    times.map((t, i) => session({ start: at(t), bytes_client: over.bytes?.[i] ?? 320, tls: tls({ sni: over.sni ?? 'updates.example.org' }) }));

  it('flags a regular group from its fourth connection on, by IP and by SNI, naming the earlier ones', () => {
    const sessions = beacon([0, 30, 60, 90, 120, 150]);
    // Each session is judged when it ends, on the sessions that ended before it.
    const judged = sessions.map((s, i) => beaconRegularInterval.evaluate(s, buildContext(sessions.slice(0, i + 1))));
    expect(judged.map((f) => f.length)).toEqual([0, 0, 0, 2, 2, 2]);
    const f = judged[5]!;
    expect(f.map((x) => x.evidence.group)).toEqual(['ip', 'sni']);
    expect(f[0]).toMatchObject({ severity: 'medium', evidence: { connections: 6, score: 1, interval_median_s: 30, target: '198.51.100.20' } });
    expect(f[0]!.evidence.earlier_sessions).toEqual(sessions.slice(0, 5).map((s) => s.session_id));
    expect(f[1]!.evidence.target).toBe('updates.example.org');
  });

  it('is not judged on a session the run index has not counted last', () => {
    const sessions = beacon([0, 30, 60, 90, 120, 150]);
    expect(beaconRegularInterval.evaluate(sessions[2]!, buildContext(sessions))).toEqual([]);
  });

  it('random intervals, fewer than 4 connections, and sub-second bursts are not beacons', () => {
    const random = beacon([0, 5, 100, 130, 400, 410], { bytes: [100, 5000, 300, 40, 12000, 700] });
    expect(beaconRegularInterval.evaluate(random[5]!, buildContext(random))).toEqual([]);
    const three = beacon([0, 30, 60]);
    expect(beaconRegularInterval.evaluate(three[2]!, buildContext(three))).toEqual([]);
    const burst = beacon([0, 0.2, 0.4, 0.6, 0.8]);
    expect(beaconRegularInterval.evaluate(burst[4]!, buildContext(burst))).toEqual([]);
  });

  it('failed connections do not count', () => {
    const ok = beacon([0, 30, 60]);
    const failed = [
      session({ start: at(90), tls: tls({ ja3s: null, version: null }) }),
      session({ start: at(120), protocol: 'none', tls: null, bytes_client: 0, bytes_server: 0 }),
      session({ start: at(150), bytes_server: 0 }),
    ];
    for (const s of failed) expect(isFailedConnection(s)).toBe(true);
    const all = [...ok, ...failed];
    const index = buildRunIndex(all);
    expect([...index.beaconGroups.values()].every((g) => g.sessionIds.length === 3 && g.score === null)).toBe(true);
    expect(beaconRegularInterval.evaluate(ok[2]!, buildContext(all))).toEqual([]);
  });
});
