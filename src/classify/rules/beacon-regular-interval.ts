/**
 * beacon.regular-interval — the connections of this client to the same server IP, or to the
 * same SNI, recur at regular intervals with regular sizes: a RITA-style score (beacon.ts,
 * ../shared/reference/fingerprints.md §6) over >= 4 working connections (failed ones excluded,
 * run-index.ts). score >= BEACON_MEDIUM -> medium, >= BEACON_LOW -> low. Groups whose median
 * interval is under BEACON_MIN_INTERVAL_S are bursts (a page load, a test script), not beacons.
 * A session is judged when it ends, on the group's connections so far: the series is flagged
 * from its fourth connection on, and the finding lists the earlier connections' session ids.
 * Source: issue 5 "Beaconing"; RITA v5 analysis/beacons.go (formulas, not code).
 */
import type { Finding } from '../../model/session.js';
import { finding, type Rule } from '../rule.js';
import { beaconGroupKeys, isFailedConnection } from '../run-index.js';

export const BEACON_LOW = 0.8;
export const BEACON_MEDIUM = 0.9;
export const BEACON_MIN_INTERVAL_S = 1;

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export const beaconRegularInterval: Rule = {
  id: 'beacon.regular-interval',
  severity: 'medium',
  title: 'Beaconing',
  description: `Connections from one client to one server or SNI at regular intervals and sizes (RITA-style score >= ${BEACON_LOW}, >= 4 connections).`,
  evaluate(s, ctx) {
    const out: Finding[] = [];
    if (isFailedConnection(s)) return out;
    for (const key of beaconGroupKeys(s)) {
      const g = ctx.index.beaconGroups.get(key);
      const b = g?.score;
      if (g === undefined || g.sessionIds[g.sessionIds.length - 1] !== s.session_id) continue;
      if (!b || b.score < BEACON_LOW || b.ts.median < BEACON_MIN_INTERVAL_S) continue;
      out.push(finding(this,
        `${g.connections} connections ${g.client} -> ${g.kind === 'sni' ? 'SNI ' : ''}${g.target} every ~${r3(b.ts.median)} s (beacon score ${b.score})`, {
          group: g.kind, client: g.client, target: g.target, connections: g.connections, score: b.score,
          interval_median_s: r3(b.ts.median), interval_mad_s: r3(b.ts.mad), interval_skew_score: r3(b.ts.skewScore), interval_mad_score: r3(b.ts.madScore),
          bytes_median: r3(b.ds.median), bytes_mad: r3(b.ds.mad), size_skew_score: r3(b.ds.skewScore), size_mad_score: r3(b.ds.madScore),
          intervals_s: b.intervals.slice(-20).map(r3),
          earlier_sessions: g.sessionIds.slice(-21, -1),
        }, b.score >= BEACON_MEDIUM ? 'medium' : 'low'));
    }
    return out;
  },
};
