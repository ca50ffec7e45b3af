/**
 * What the run has seen so far, for the rules that look across sessions: how often each client
 * fingerprint occurred, and the connection groups (client -> server IP, client -> SNI) that the
 * beacon rule scores.
 *
 * Sessions are classified when they end (the output streams, issue 7), so the index grows one
 * session at a time and a rule sees the sessions that ended before this one, plus this one:
 * a beacon is flagged from its BEACON_MIN_CONNECTIONS-th connection on (the finding names the
 * earlier ones), and a fingerprint is "rare" the first time the run meets it. Memory is bounded
 * by LIMITS: distinct fingerprints and groups counted, connections remembered per group.
 */
import { LIMITS } from '../config/limits.js';
import type { SessionRecord } from '../model/session.js';
import { beaconScore, type BeaconConnection, type BeaconScore } from './beacon.js';

export interface BeaconGroup {
  /** "ip": client IP -> server IP (any port); "sni": client IP -> SNI. */
  kind: 'ip' | 'sni';
  client: string;
  target: string;
  /** Working connections counted so far (failed ones excluded), all of them. */
  connections: number;
  /** The last LIMITS.maxBeaconConnectionsPerGroup connections, oldest first. */
  recent: BeaconConnection[];
  /** session_id of each connection in `recent`. */
  sessionIds: string[];
  /** Score of `recent`; null below 4 connections / 3 non-zero intervals. */
  score: BeaconScore | null;
}

/**
 * Start time of a record in seconds: "2024-05-01T12:00:00.123456Z" is the whole seconds (Date.parse
 * of the first 19 characters) plus ".123456" (Date.parse alone would keep milliseconds only).
 */
export function startSeconds(s: SessionRecord): number {
  const iso = s.start;
  return Date.parse(`${iso.slice(0, 19)}Z`) / 1000 + Number(iso.slice(19, -1));
}

/**
 * A connection that did not work does not count as a beacon (RITA rita-legacy#117: failed TCP
 * connections make fake one-second beacons): no payload, no answer from the server, or a TLS
 * ClientHello that got no ServerHello.
 */
export function isFailedConnection(s: SessionRecord): boolean {
  if (s.protocol === 'none') return true;
  if (s.bytes_client === 0 || s.bytes_server === 0) return true;
  const t = s.tls;
  if (t !== null && t.ja3 !== null && t.ja3s === null) return true;
  return false;
}

/** The beacon groups a session counts in: by server IP, and by SNI when it has one. */
export function beaconGroupKeys(s: SessionRecord): string[] {
  const keys = [`ip|${s.client_ip}|${s.server_ip}`];
  const sni = s.tls?.sni;
  if (sni) keys.push(`sni|${s.client_ip}|${sni.toLowerCase()}`);
  return keys;
}

export class RunIndex {
  /** Sessions carrying each client JA4 so far. */
  readonly ja4Counts = new Map<string, number>();
  /** Sessions with a client JA4 so far. */
  fingerprintedSessions = 0;
  readonly beaconGroups = new Map<string, BeaconGroup>();

  /** Counts one session in (before its rules run). */
  add(s: SessionRecord): void {
    const t = s.tls;
    if (t?.ja4) {
      this.fingerprintedSessions++;
      const n = this.ja4Counts.get(t.ja4);
      if (n !== undefined) this.ja4Counts.set(t.ja4, n + 1);
      else if (this.ja4Counts.size < LIMITS.maxDistinctFingerprints) this.ja4Counts.set(t.ja4, 1);
    }
    if (isFailedConnection(s)) return;
    const conn = { ts: startSeconds(s), bytes: s.bytes_client };
    const keys = beaconGroupKeys(s);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let g = this.beaconGroups.get(key);
      if (g === undefined) {
        if (this.beaconGroups.size >= LIMITS.maxBeaconGroups) continue;
        const kind = i === 0 ? 'ip' : 'sni';
        g = { kind, client: s.client_ip, target: kind === 'ip' ? s.server_ip : s.tls!.sni!.toLowerCase(), connections: 0, recent: [], sessionIds: [], score: null };
        this.beaconGroups.set(key, g);
      }
      g.connections++;
      g.recent.push(conn);
      g.sessionIds.push(s.session_id);
      if (g.recent.length > LIMITS.maxBeaconConnectionsPerGroup) {
        g.recent.shift();
        g.sessionIds.shift();
      }
      g.score = beaconScore(g.recent);
    }
  }
}

/** An index of `sessions`, added in the given order (tests, `analyze learn`). */
export function buildRunIndex(sessions: readonly SessionRecord[]): RunIndex {
  const index = new RunIndex();
  for (const s of sessions) index.add(s);
  return index;
}
