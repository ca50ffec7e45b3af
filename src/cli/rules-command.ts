/** `analyze rules`: every classifier rule with its id, default severity and description. */
import { listRules } from '../classify/classifier.js';

export function renderRules(): string {
  const rules = listRules();
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${r.description}`);
  return `${'rule'.padEnd(idWidth)}  ${'severity'}  description\n${lines.join('\n')}\n`;
}
