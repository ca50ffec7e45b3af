/** JSON Lines: one session record per line, nothing else (design.md, "The session record"). */
import type { SessionRecord } from '../model/session.js';

export function sessionLine(s: SessionRecord): string {
  return JSON.stringify(s) + '\n';
}
