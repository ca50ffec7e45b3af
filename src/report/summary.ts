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

export function summarize(sessions: readonly SessionRecord[], top = 10): Summary {
  const count = (pick: (s: SessionRecord) => string | null | undefined, n = Infinity): Count[] => {
    const m = new Map<string, number>();
    for (const s of sessions) {
      const v = pick(s);
      if (v != null) m.set(v, (m.get(v) ?? 0) + 1);
    }
    return [...m]
      .map(([value, c]) => ({ value, count: c }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, n);
  };
  return {
    sessions: sessions.length,
    byTransport: count((s) => s.transport),
    byProtocol: count((s) => s.protocol),
    byTlsVersion: count((s) => s.tls?.version),
    topSni: count((s) => s.tls?.sni, top),
    topJa4: count((s) => s.tls?.ja4, top),
    topJa3: count((s) => s.tls?.ja3, top),
    withAnomalies: sessions.filter((s) => s.anomalies.length > 0).length,
  };
}
