/**
 * Per-run statistics computed once before the rules run: how often each client fingerprint
 * occurs in the capture, and the connection groups (client -> server IP, client -> SNI) that
 * the beacon rule scores.
 */
import type { SessionRecord } from '../model/session.js';
import { beaconScore, type BeaconScore } from './beacon.js';

export interface BeaconGroup {
  /** "ip": client IP -> server IP (any port); "sni": client IP -> SNI. */
  kind: 'ip' | 'sni';
  client: string;
  target: string;
  /** session_id of each connection counted (failed ones excluded). */
  sessionIds: string[];
  /** null below 4 connections / 3 non-zero intervals. */
  score: BeaconScore | null;
}

export interface RunIndex {
  /** Sessions carrying each client JA4 in this run. */
  ja4Counts: ReadonlyMap<string, number>;
  ja3Counts: ReadonlyMap<string, number>;
  /** Number of sessions with a client JA4. */
  fingerprintedSessions: number;
  beaconGroups: ReadonlyMap<string, BeaconGroup>;
  /** session_id -> keys of the beacon groups it counts in. */
  beaconGroupsBySession: ReadonlyMap<string, string[]>;
}

/** Start time of a record in seconds (microsecond ISO strings; Date.parse keeps milliseconds). */
export function startSeconds(s: SessionRecord): number {
  const m = /\.(\d+)Z$/.exec(s.start);
  const base = Date.parse(s.start.replace(/\.\d+Z$/, 'Z'));
  const frac = m ? Number('0.' + m[1]) : 0;
  return base / 1000 + frac;
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

export function buildRunIndex(sessions: readonly SessionRecord[]): RunIndex {
  const ja4Counts = new Map<string, number>();
  const ja3Counts = new Map<string, number>();
  let fingerprinted = 0;
  const groups = new Map<string, BeaconGroup>();
  const bySession = new Map<string, string[]>();
  const conns = new Map<string, { ts: number; bytes: number }[]>();

  const add = (key: string, kind: 'ip' | 'sni', client: string, target: string, s: SessionRecord): void => {
    let g = groups.get(key);
    if (!g) {
      g = { kind, client, target, sessionIds: [], score: null };
      groups.set(key, g);
      conns.set(key, []);
    }
    g.sessionIds.push(s.session_id);
    conns.get(key)!.push({ ts: startSeconds(s), bytes: s.bytes_client });
    const keys = bySession.get(s.session_id) ?? [];
    keys.push(key);
    bySession.set(s.session_id, keys);
  };

  for (const s of sessions) {
    const t = s.tls;
    if (t?.ja4) {
      fingerprinted++;
      ja4Counts.set(t.ja4, (ja4Counts.get(t.ja4) ?? 0) + 1);
    }
    if (t?.ja3) ja3Counts.set(t.ja3, (ja3Counts.get(t.ja3) ?? 0) + 1);
    if (isFailedConnection(s)) continue;
    add(`ip|${s.client_ip}|${s.server_ip}`, 'ip', s.client_ip, s.server_ip, s);
    if (t?.sni) add(`sni|${s.client_ip}|${t.sni.toLowerCase()}`, 'sni', s.client_ip, t.sni.toLowerCase(), s);
  }
  for (const [key, g] of groups) g.score = beaconScore(conns.get(key)!);
  return { ja4Counts, ja3Counts, fingerprintedSessions: fingerprinted, beaconGroups: groups, beaconGroupsBySession: bySession };
}
