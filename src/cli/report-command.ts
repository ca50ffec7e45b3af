/**
 * `analyze report`: the sessions stored in the database, flagged ones by default, most severe
 * first, in any report format (report/render.ts). Filters become one SQL query (store/).
 */
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { InputError, UsageError } from '../errors.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/render.js';
import { printable } from '../report/escape.js';
import { colorFor } from '../report/review-text.js';
import { SEVERITIES } from '../store/schema.js';
import { SessionStore, toRecordTime, type SessionFilter } from '../store/sqlite-store.js';
import { DEFAULT_DB } from './analyze-command.js';

export function reportOptions(y: Argv) {
  return y
    .option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database written by analyze --pcap' })
    .option('run', { type: 'number', requiresArg: true, describe: 'only this run (ids: analyze report --runs)' })
    .option('runs', { type: 'boolean', default: false, describe: 'list the runs in the database and stop' })
    .option('severity', { type: 'string', choices: SEVERITIES, requiresArg: true, describe: 'findings at least this severe' })
    .option('rule', { type: 'string', requiresArg: true, describe: 'sessions with a finding of this rule id' })
    .option('sni', { type: 'string', requiresArg: true, describe: "SNI glob, case-insensitive (e.g. '*.example.com')" })
    .option('ip', { type: 'string', requiresArg: true, describe: 'client or server address' })
    .option('since', { type: 'string', requiresArg: true, describe: 'sessions starting at or after TIME (ISO-8601, UTC unless it says otherwise)' })
    .option('until', { type: 'string', requiresArg: true, describe: 'sessions starting at or before TIME' })
    .option('all', { type: 'boolean', default: false, describe: 'include sessions without findings' })
    .option('format', { type: 'string', choices: REPORT_FORMATS, default: 'text', describe: 'terminal text, JSON document, JSON Lines, CSV, or one self-contained HTML page' })
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'write the report to FILE instead of stdout' });
}

export type ReportArgs = Awaited<ReturnType<typeof reportOptions>['argv']>;

/** "2026-11-24", "2026-11-24T18:27:34Z", "2026-11-24 18:27" -> record time (UTC, microseconds). */
export function parseTime(option: string, value: string): string {
  let v = value.trim().replace(' ', 'T');
  // Without a zone, a time is UTC (captures are in UTC), not the local time Date would assume.
  if (/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v)) v += 'Z';
  const d = new Date(v);
  if (!/^\d{4}-\d\d-\d\d/.test(v) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--${option}: "${value}" is not a time (use ISO-8601, e.g. 2026-11-24T18:27:00Z)`);
  }
  return toRecordTime(d);
}

export function reportFilter(args: ReportArgs): SessionFilter {
  if (args.run !== undefined && (!Number.isInteger(args.run) || args.run < 1)) throw new UsageError(`--run: "${args.run}" is not a run id`);
  const filter: SessionFilter = { all: true };
  if (args.run !== undefined) filter.run = args.run;
  if (args.severity !== undefined) filter.severity = args.severity;
  if (args.rule !== undefined) filter.rule = args.rule;
  if (args.sni !== undefined) filter.sni = args.sni;
  if (args.ip !== undefined) filter.ip = args.ip;
  if (args.since !== undefined) filter.since = parseTime('since', args.since);
  if (args.until !== undefined) filter.until = parseTime('until', args.until);
  return filter;
}

export function runReport(args: ReportArgs): number {
  const filter = reportFilter(args);
  const store = SessionStore.open(args.db, { create: false });
  try {
    const runs = store.runs();
    if (args.runs) {
      write(args.output, runsTable(runs));
      return 0;
    }
    if (filter.run !== undefined && !runs.some((r) => r.id === filter.run)) {
      throw new InputError(`${args.db}: no run ${filter.run} (runs: ${runs.map((r) => r.id).join(', ') || 'none'})`, 'NO_RUN');
    }
    // Every matching session goes to the renderer, which lists the flagged ones unless --all
    // and counts all of them in its summary.
    const sessions = store.querySessions(filter);
    const shown = filter.run !== undefined ? runs.filter((r) => r.id === filter.run) : runs;
    const format = args.format as ReportFormat;
    const text = renderReport(
      format,
      sessions,
      { title: `analyze report: ${args.db}`, generatedFrom: args.db, runs: shown.map((r) => ({ id: r.id, file: r.file, status: r.status })), all: args.all },
      { color: format === 'text' && args.output === undefined && colorFor(process.stdout) },
    );
    write(args.output, text);
    return 0;
  } finally {
    store.close();
  }
}

function runsTable(runs: ReturnType<SessionStore['runs']>): string {
  if (runs.length === 0) return 'No runs.\n';
  const lines = ['  id  status      sessions  flagged  finished (UTC)        file'];
  for (const r of runs) {
    lines.push(
      `${String(r.id).padStart(4)}  ${r.status.padEnd(10)}  ${String(r.sessions).padStart(8)}  ${String(r.flagged).padStart(7)}  ${(r.finished_at ?? '-').slice(0, 19).padEnd(20)}  ${printable(r.file)}`,
    );
  }
  return lines.join('\n') + '\n';
}

function write(output: string | undefined, text: string): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (e) {
    throw new InputError(`cannot write ${output}: ${(e as Error).message}`, 'OUTPUT');
  }
}
