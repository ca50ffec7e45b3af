/**
 * `analyze learn --pcap clean.pcap [--db PATH]`: analyses a capture the site calls normal and
 * records its client fingerprints (JA3, JA4), servers (IP, SNI) and leaf certificates (SHA-256)
 * in the store's baseline (counts add up over learned captures; first/last seen are capture
 * times). Later `analyze --pcap` runs against the same database flag what is new (baseline.* rules).
 * The capture is not stored as a run.
 */
import type { Argv } from 'yargs';
import { InputError, UsageError } from '../errors.js';
import { analyzeCapture } from '../pipeline/analyze.js';
import { baselineEntries, type BaselineKind } from '../baseline/baseline.js';
import { readBaseline, recordBaseline } from '../baseline/baseline-store.js';
import { isFlagged } from '../classify/severity.js';
import { DEFAULT_DB, loadCaBundle, loadKeyLog, parsePorts } from './analyze-command.js';

export function learnOptions(y: Argv) {
  return y
    .option('pcap', { type: 'string', requiresArg: true, describe: 'capture of normal site traffic (pcap, pcapng, optionally gzip-compressed); - reads stdin' })
    .option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database whose baseline is extended (created when missing)' })
    .option('ports', { type: 'string', default: '443', describe: 'service ports whose flows are always reported (comma-separated)' })
    .option('all-ports', { type: 'boolean', default: false, describe: 'learn from every TCP/UDP flow, whatever its ports' })
    .option('keylog', { type: 'string', requiresArg: true, describe: 'NSS key log file (SSLKEYLOGFILE) to open TLS 1.3 and QUIC handshakes (certificates)' })
    .option('ca-bundle', { type: 'string', requiresArg: true, describe: 'PEM file of a site\'s own CA certificates' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no warnings on stderr' })
    .check((argv) => {
      if (argv.pcap === undefined || argv.pcap === '') throw new UsageError('--pcap FILE is required (e.g. analyze learn --pcap clean.pcap)');
      if (typeof argv.db !== 'string' || argv.db === '') throw new UsageError('--db PATH: learn needs a database');
      parsePorts(String(argv.ports));
      return true;
    });
}

export type LearnArgs = Awaited<ReturnType<typeof learnOptions>['argv']>;

const KIND_LABELS: Record<BaselineKind, string> = { ja3: 'JA3', ja4: 'JA4', server_ip: 'server IPs', sni: 'SNIs', cert_sha256: 'certificates' };

/** Runs `analyze learn`; writes a summary to `out`. Returns the exit status. */
export async function runLearn(args: LearnArgs, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const pcap = args.pcap!;
  const dbPath = args.db;
  const result = await analyzeCapture(pcap, {
    ports: parsePorts(args.ports),
    allPorts: args['all-ports'],
    caCertificates: args['ca-bundle'] !== undefined ? loadCaBundle(args['ca-bundle']) : [],
    keyLog: args.keylog !== undefined ? loadKeyLog(args.keylog) : undefined,
  });
  const fatal = result.capture.problems.find((p) => p.fatal);
  if (fatal !== undefined && result.capture.packets === 0) throw new InputError(`${pcap}: ${fatal.message}`, fatal.name);
  if (!args.quiet) {
    for (const p of result.capture.problems) process.stderr.write(`analyze: warning: ${pcap}: ${p.message}\n`);
    const flagged = result.sessions.filter(isFlagged).length;
    if (flagged > 0) process.stderr.write(`analyze: warning: ${flagged} of ${result.sessions.length} sessions of ${pcap} are flagged; they are learned as normal too\n`);
  }
  const entries = baselineEntries(result.sessions);
  const added = recordBaseline(dbPath, entries);
  const totals = new Map<string, number>();
  for (const e of readBaseline(dbPath)) totals.set(e.kind, (totals.get(e.kind) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const e of entries) seen.set(e.kind, (seen.get(e.kind) ?? 0) + 1);
  const parts = (Object.keys(KIND_LABELS) as BaselineKind[]).map((k) => `${seen.get(k) ?? 0} ${KIND_LABELS[k]}`);
  const held = (Object.keys(KIND_LABELS) as BaselineKind[]).map((k) => `${totals.get(k) ?? 0} ${KIND_LABELS[k]}`);
  out.write(`Learned from ${pcap}: ${result.sessions.length} sessions; ${parts.join(', ')} (${added} new)\n`);
  out.write(`Baseline in ${dbPath} now holds ${held.join(', ')}\n`);
  return 0;
}
