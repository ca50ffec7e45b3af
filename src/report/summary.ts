/** Aggregations every renderer shares: counts by protocol and version, top SNIs and fingerprints. */
import type { SessionRecord } from '../model/session.js';

export interface Count {
  value: string;
  count: number;
}

export interface Summary {
  sessions: number;
  byTransport: Count[];
  byProtocol: Count[];
  byTlsVersion: Count[];
  topSni: Count[];
  topJa4: Count[];
  topJa3: Count[];
  /** Sessions with at least one decoding anomaly. */
  withAnomalies: number;
}

/** Values counted per field at most (distinct SNIs of a huge capture); later new values are not counted. */
export const MAX_SUMMARY_VALUES = 100_000;

/** The summary, built one session at a time (the sessions of a run stream past it). */
export class SummaryCounter {
  sessions = 0;
  withAnomalies = 0;
  private readonly fields = {
    byTransport: new Map<string, number>(),
    byProtocol: new Map<string, number>(),
    byTlsVersion: new Map<string, number>(),
    topSni: new Map<string, number>(),
    topJa4: new Map<string, number>(),
    topJa3: new Map<string, number>(),
  };

  add(s: SessionRecord): void {
    this.sessions++;
    if (s.anomalies.length > 0) this.withAnomalies++;
    const f = this.fields;
    bump(f.byTransport, s.transport);
    bump(f.byProtocol, s.protocol);
    bump(f.byTlsVersion, s.tls?.version);
    bump(f.topSni, s.tls?.sni);
    bump(f.topJa4, s.tls?.ja4);
    bump(f.topJa3, s.tls?.ja3);
  }

  summary(top = 10): Summary {
    const f = this.fields;
    return {
      sessions: this.sessions,
      byTransport: ranked(f.byTransport),
      byProtocol: ranked(f.byProtocol),
      byTlsVersion: ranked(f.byTlsVersion),
      topSni: ranked(f.topSni, top),
      topJa4: ranked(f.topJa4, top),
      topJa3: ranked(f.topJa3, top),
      withAnomalies: this.withAnomalies,
    };
  }
}

function bump(m: Map<string, number>, v: string | null | undefined): void {
  if (v == null) return;
  const n = m.get(v);
  if (n !== undefined) m.set(v, n + 1);
  else if (m.size < MAX_SUMMARY_VALUES) m.set(v, 1);
}

function ranked(m: Map<string, number>, n = Infinity): Count[] {
  return [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, n);
}
