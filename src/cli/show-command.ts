/** `analyze show SESSION_ID`: one stored session with its handshake, certificates and findings. */
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { renderSessionDetail } from '../report/session-detail.js';
import { SessionStore } from '../store/sqlite-store.js';
import { DEFAULT_DB } from './analyze-command.js';

export function showOptions(y: Argv) {
  return y
    .positional('session', { type: 'string', demandOption: true, describe: 'session id (or a unique prefix of 6+ characters), as report lists it' })
    .option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database written by analyze --pcap' })
    .option('format', { type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'text, or the session record as JSON' });
}

export type ShowArgs = Awaited<ReturnType<typeof showOptions>['argv']>;

export function runShow(args: ShowArgs): number {
  const store = SessionStore.open(args.db, { create: false });
  try {
    const id = String(args.session);
    const found = store.getSession(id);
    if (found === undefined) throw new InputError(`${args.db}: no session ${id} (analyze report --all --db ${args.db} lists them)`, 'NO_SESSION');
    if (args.format === 'json') {
      process.stdout.write(JSON.stringify(found.record, null, 2) + '\n');
    } else {
      const run = store.runs().find((r) => r.id === found.runId);
      process.stdout.write(renderSessionDetail(found.record, { runId: found.runId, file: run?.file ?? '?' }));
    }
    return 0;
  } finally {
    store.close();
  }
}
