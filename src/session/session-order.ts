/** The order of reports: by first packet, then by endpoints (design.md principle 8). */
import type { SessionRecord } from '../model/session.js';

/** The endpoints part of the order (the same for every session of one 5-tuple). */
export function endpointsKey(s: SessionRecord): string {
  return `${s.transport}|${s.client_ip}|${s.client_port}|${s.server_ip}|${s.server_port}`;
}

/** Compares two sessions given as (start, endpointsKey). */
export function compareSessionOrder(aStart: string, aKey: string, bStart: string, bKey: string): number {
  if (aStart !== bStart) return aStart < bStart ? -1 : 1;
  return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

export function bySessionOrder(a: SessionRecord, b: SessionRecord): number {
  return compareSessionOrder(a.start, endpointsKey(a), b.start, endpointsKey(b));
}
