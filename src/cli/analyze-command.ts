/**
 * `analyze --pcap FILE`: options declared as data, one check() for contradictions, and a
 * handler that only builds AnalyzeOptions, runs the pipeline and renders (anchors principle 15).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { InputError, UsageError } from '../errors.js';
import { analyzeCapture, type AnalyzeOptions, type AnalyzeResult, type RunStats } from '../pipeline/analyze.js';
import type { ReadSummary } from '../capture/source.js';
import { linkTypeName } from '../capture/link-types.js';
import type { CaptureDone } from '../report/session-writers.js';
import { analyzeInWorkers } from './parallel-captures.js';
import { isFlagged, SessionStore } from '../store/sqlite-store.js';
import { SessionBatch } from '../store/session-batch.js';
import { captureIdentity, type CaptureIdentity } from './capture-identity.js';
import { expandCapturePaths } from './capture-paths.js';
import { liveCaptureError, startLiveCapture, type LiveCapture } from '../capture/live.js';
import { onInterrupt } from './interrupt.js';
import type { Readable } from 'node:stream';
import { Output } from '../report/output.js';
import { JsonDocumentWriter, JsonlWriter, TextWriter, type SessionWriter } from '../report/session-writers.js';
import type { SessionRecord } from '../model/session.js';
import { ProgressBar } from '../report/progress.js';
import { capYoungGeneration } from './young-generation.js';
import { loadPolicy } from '../classify/classifier.js';
import type { Policy } from '../classify/policy.js';
import { atLeast, SEVERITIES } from '../classify/severity.js';
import { KeyLog } from '../keylog/key-log.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import { parseCaBundle } from '../x509/pem.js';
import { loadBaseline } from '../baseline/baseline-store.js';
import { loadIntel } from '../intel/lookup.js';

/** Where `analyze --pcap` stores runs, and `analyze report` reads them, without --db: in the current directory. */
export const DEFAULT_DB = 'analyze.db';

export const FORMATS = ['text', 'json', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

export function analyzeOptions(y: Argv) {
  return y
    .option('pcap', { type: 'string', array: true, describe: 'captures to read: files (pcap, pcapng, optionally gzip-compressed), directories, globs; - reads stdin' })
    .option('interface', { alias: 'i', type: 'string', requiresArg: true, describe: 'capture live on this interface (runs tcpdump, or dumpcap; needs capture rights); Ctrl-C ends the run' })
    .option('bpf', { type: 'string', requiresArg: true, describe: 'capture filter for --interface (libpcap syntax, e.g. "tcp port 443 or udp port 443")' })
    .option('format', { type: 'string', choices: FORMATS, default: 'text', describe: 'text summary, one JSON document, or JSON Lines (one session per line)' })
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'write the output to FILE instead of stdout' })
    .option('ports', { type: 'string', default: '443', describe: 'service ports whose flows are always reported (comma-separated)' })
    .option('all-ports', { type: 'boolean', default: false, describe: 'report every TCP/UDP flow, whatever its ports' })
    .option('db', { type: 'string', default: DEFAULT_DB, requiresArg: true, describe: 'SQLite database the run is stored in (created when missing; --no-db skips storing)' })
    .option('keep-runs', { type: 'boolean', default: false, describe: 'keep earlier runs of the same capture file in the database instead of replacing them' })
    .option('keylog', { type: 'string', requiresArg: true, describe: 'NSS key log file (SSLKEYLOGFILE) to open TLS 1.3 and QUIC handshakes: certificates, selected ALPN' })
    .option('ca-bundle', { type: 'string', requiresArg: true, describe: 'PEM file of a site\'s own CA certificates, trusted beside the bundled Mozilla roots' })
    .option('policy', { type: 'string', requiresArg: true, describe: 'site policy (JSON or YAML): allow-lists by server, SNI, certificate or fingerprint; rule severities and disables' })
    .option('fail-on', { type: 'string', choices: SEVERITIES, requiresArg: true, describe: 'exit 1 when any finding reaches this severity (for scripts and CI pipelines)' })
    .option('jobs', { alias: 'j', type: 'number', default: availableParallelism(), describe: 'captures analysed at once, each in a worker thread (several --pcap files); output and run order stay those of the files' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress bar and no warnings on stderr' })
    .check((argv) => {
      const pcap = argv.pcap !== undefined && argv.pcap.some((p) => p !== '');
      if (pcap && argv.interface !== undefined) throw new UsageError('--pcap and --interface exclude each other: read captures, or capture live');
      if (!pcap && argv.interface === undefined) throw new UsageError('--pcap FILE (or --interface IF) is required (e.g. analyze --pcap capture.pcap)');
      if (argv.bpf !== undefined && argv.interface === undefined) throw new UsageError('--bpf filters a live capture: give --interface too');
      parsePorts(String(argv.ports));
      if (!Number.isInteger(argv.jobs) || argv.jobs < 1) throw new UsageError(`--jobs: "${argv.jobs}" is not a positive whole number`);
      return true;
    });
}

export type AnalyzeArgs = Awaited<ReturnType<typeof analyzeOptions>['argv']>;

/** "443,8443" -> {443, 8443}; anything else is a usage error. */
export function parsePorts(list: string): Set<number> {
  const ports = new Set<number>();
  for (const part of list.split(',')) {
    const t = part.trim();
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < 0 || n > 65535) throw new UsageError(`--ports: "${t}" is not a port number (use e.g. --ports 443,8443)`);
    ports.add(n);
  }
  return ports;
}

/** The pipeline options of a command line (also rebuilt by each --jobs worker from the same arguments). */
export type PipelineOptions = Omit<AnalyzeOptions, 'onSession' | 'onProgress' | 'signal'>;

export function pipelineOptions(args: AnalyzeArgs, dbPath: string | null): PipelineOptions {
  const caCertificates = args['ca-bundle'] !== undefined ? loadCaBundle(args['ca-bundle']) : [];
  const keyLog = args.keylog !== undefined ? loadKeyLog(args.keylog) : undefined;
  const policy = args.policy !== undefined ? loadPolicyFile(args.policy) : undefined;
  // The site baseline (`analyze learn`) in the database, if any: the baseline.* rules use it.
  const baseline = dbPath !== null ? loadBaseline(dbPath) : null;
  // Intel imported with `analyze intel import` into it, if any (intel.*, cert.impersonation, C2 traits).
  const intel = dbPath !== null ? loadIntel(dbPath) : null;
  return { ports: parsePorts(args.ports), allPorts: args['all-ports'], caCertificates, keyLog, policy, baseline, intel: intel?.lookup, c2Traits: intel?.c2Traits };
}

/** What every capture of one `analyze` command shares. */
export interface RunContext {
  args: AnalyzeArgs;
  store: SessionStore | null;
  dbPath: string | null;
  writer: SessionWriter;
  out: Output;
  /** Sessions of every capture, for --fail-on. */
  failOnHit: boolean;
  signal: AbortSignal;
}

export async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  // Opened before the capture is read: a database that is not ours fails fast, with one line.
  const dbPath = dbOption(args.db);
  const store = dbPath !== null ? SessionStore.open(dbPath) : null;
  const live = args.interface !== undefined ? startLiveCapture({ iface: args.interface, bpf: args.bpf }) : null;
  // Ctrl-C: a live capture asks its tool to flush and stop (the stream then ends as a file
  // would); a file stops being read.
  const reading = new AbortController();
  const interrupt = onInterrupt(live ?? { stop: () => reading.abort(), abort: () => {} }, process, () =>
    process.stderr.write('\nanalyze: interrupted: finishing the sessions read so far (Ctrl-C again to quit at once)\n'),
  );
  let out: Output | null = null;
  try {
    const options = pipelineOptions(args, dbPath);
    out = Output.open(args.output, { immediate: live !== null });
    const format = args.format as Format;
    const writer = format === 'jsonl' ? new JsonlWriter(out) : format === 'json' ? new JsonDocumentWriter(out) : new TextWriter(out);
    const ctx: RunContext = { args, store, dbPath, writer, out, failOnHit: false, signal: reading.signal };
    if (live !== null) {
      await analyzeLive(live, options, ctx);
      writer.end();
      return ctx.failOnHit ? 1 : 0;
    }
    const { files } = expandCapturePaths(args.pcap!);
    let failed = false;
    if (files.length > 1 && args.jobs > 1) {
      failed = await analyzeInWorkers(files, ctx);
    } else {
      // Several captures: one that cannot be read is reported (one line) and the others go on.
      for (const file of files) {
        if (reading.signal.aborted) break;
        try {
          await analyzeOne(file, options, ctx);
        } catch (e) {
          if (files.length === 1 || !(e instanceof InputError)) throw e;
          process.stderr.write(`analyze: ${e.message}\n`);
          failed = true;
        }
      }
    }
    writer.end();
    if (reading.signal.aborted) return EXIT_INTERRUPTED;
    if (failed) return 2;
    // --fail-on: a script or CI pipeline learns from the exit status that something reached it.
    return ctx.failOnHit ? 1 : 0;
  } finally {
    live?.stop();
    interrupt.dispose();
    out?.close();
    store?.close();
  }
}

/** Exit status after Ctrl-C stopped the reading of a capture file (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/** One capture on its way: its run in the store, its session batch, its flag counts. */
export interface CaptureRun {
  file: string;
  runId: number | null;
  batch: SessionBatch | null;
  tally: FlagTally;
  identity: Promise<CaptureIdentity> | null;
  started: number;
}

/**
 * Starts a capture's run in the store, and the hashing of the file beside the analysis. `file`
 * names the run; a stream (a live capture) is given as `hashed: false`.
 */
export function beginCapture(file: string, ctx: RunContext, hashed = true): CaptureRun {
  const { args, store } = ctx;
  const runId =
    store !== null
      ? store.beginRun({
          file, size: null, sha256: null,
          options: { ports: [...parsePorts(args.ports)], all_ports: args['all-ports'], keylog: args.keylog ?? null, ca_bundle: args['ca-bundle'] ?? null, keep_runs: args['keep-runs'] },
          keepRuns: args['keep-runs'],
        })
      : null;
  return {
    file, runId,
    batch: store !== null && runId !== null ? new SessionBatch(store, runId) : null,
    tally: new FlagTally(),
    // Hashed by a worker thread while the capture is analysed (the store's "same file again").
    identity: store !== null && hashed ? captureIdentity(file) : null,
    started: performance.now(),
  };
}

/** A classified session: into the store's batch, the flag counts and --fail-on (the writer is the caller's). */
export function acceptSession(run: CaptureRun, s: SessionRecord, ctx: RunContext): void {
  run.batch?.add(s);
  run.tally.add(s);
  const failOn = ctx.args['fail-on'];
  if (failOn !== undefined && !ctx.failOnHit && s.findings.some((f) => atLeast(f.severity, failOn))) ctx.failOnHit = true;
}

/** The capture failed before its end: its run is forgotten. */
export function abandonCapture(run: CaptureRun, ctx: RunContext): void {
  if (ctx.store !== null && run.runId !== null) ctx.store.deleteRun(run.runId);
}

/** The capture was read to its end (or to Ctrl-C): its run is finished; InputError when it was not a capture. */
export async function endCapture(run: CaptureRun, capture: ReadSummary, runStats: RunStats, ctx: RunContext): Promise<CaptureDone> {
  const { args, store } = ctx;
  run.batch?.flush();
  const fatal = capture.problems.find((p) => p.fatal);
  if (fatal !== undefined && capture.packets === 0) {
    // Not a capture at all: nothing worth keeping as a run.
    abandonCapture(run, ctx);
    throw new InputError(`${run.file}: ${fatal.message}`, fatal.name);
  }
  const unsupported = Object.entries(runStats.unsupportedLinkTypes);
  const unsupportedPackets = unsupported.reduce((n, [, c]) => n + c, 0);
  const linkTypes = unsupported.map(([t]) => linkTypeName(Number(t))).join(', ');
  if (capture.packets > 0 && unsupportedPackets === capture.packets) {
    // Nothing in it can be decoded: say so rather than report an empty, "clean" capture.
    abandonCapture(run, ctx);
    throw new InputError(`${run.file}: link type ${linkTypes} is not supported: none of its ${capture.packets} packets can be decoded`, 'UNSUPPORTED_LINK_TYPE');
  }
  if (unsupportedPackets > 0 && !args.quiet) {
    process.stderr.write(`analyze: warning: ${run.file}: ${unsupportedPackets} packets of unsupported link type ${linkTypes} skipped\n`);
  }
  const interrupted = capture.interrupted;
  const stats = { ...runStats, problems: capture.problems, interrupted };
  if (store !== null && run.runId !== null) {
    store.finishRun(run.runId, { packets: capture.packets, bytes: capture.bytes, stats, identity: (await run.identity) ?? undefined, partial: interrupted });
  }
  if (!args.quiet) {
    for (const p of capture.problems) process.stderr.write(`analyze: warning: ${run.file}: ${p.message}\n`);
    if (interrupted) process.stderr.write(`analyze: ${run.file}: interrupted after ${capture.packets} packets; the run is stored as incomplete\n`);
  }
  return {
    file: run.file, format: capture.format, packets: capture.packets, bytes: capture.bytes,
    problems: capture.problems, stats, seconds: (performance.now() - run.started) / 1000,
  };
}

/** The capture's report: the writer's end of it, and for text how to review it. */
export function reportCapture(run: CaptureRun, done: CaptureDone, ctx: RunContext): void {
  ctx.writer.captureDone(done);
  if (ctx.args.format === 'text') {
    // How to review: after the summary on stdout, or on stderr when the summary went to a file.
    const note = run.tally.note(ctx.dbPath, run.runId);
    if (ctx.out.isStdout) ctx.out.write(`\n${note}`);
    else if (!ctx.args.quiet) process.stderr.write(note);
  }
}

/**
 * A live capture: the tool's pcap stream is analysed like stdin; sessions reach the output at
 * once and the store within a second; the run ends when the tool does (Ctrl-C stops it).
 */
async function analyzeLive(live: LiveCapture, options: PipelineOptions, ctx: RunContext): Promise<void> {
  const name = `live:${ctx.args.interface}${ctx.args.bpf !== undefined ? ` (${ctx.args.bpf})` : ''}`;
  void live.started.then((ok) => {
    if (ok && !ctx.args.quiet) process.stderr.write(`analyze: capturing on ${ctx.args.interface} with ${live.argv.join(' ')}; Ctrl-C to stop\n`);
  });
  let run: CaptureRun | null = null;
  const flushEverySecond = setInterval(() => run?.batch?.flush(), 1000);
  let failed: Error | null = null;
  try {
    run = await analyzeOne('-', options, ctx, { input: live.stream, name });
  } catch (e) {
    failed = e as Error;
  } finally {
    clearInterval(flushEverySecond);
    live.stop();
  }
  const end = await live.done;
  // The tool never started (no such interface, no rights, bad filter): its reason, one line, exit 2.
  const failure = liveCaptureError(end);
  if (failure !== null && !end.started) throw failure;
  if (failed !== null) throw failed;
  if (!ctx.args.quiet) {
    if (failure !== null) process.stderr.write(`analyze: warning: ${failure.message}\n`);
    if (end.stats !== null && end.stats.dropped > 0) process.stderr.write(`analyze: warning: ${end.stats.dropped} packets dropped by the kernel during the capture: sessions may be missing or incomplete\n`);
  }
}

/** Analyses one capture in this thread into the store and the writer. */
async function analyzeOne(file: string, options: PipelineOptions, ctx: RunContext, stream?: { input: Readable; name: string }): Promise<CaptureRun> {
  const run = beginCapture(stream?.name ?? file, ctx, stream === undefined);
  let result: AnalyzeResult;
  try {
    const progress = stream === undefined && ProgressBar.wanted(process.stderr, ctx.args.quiet) ? new ProgressBar(process.stderr, plainFileSize(file)) : null;
    result = await analyzeCapture(file, {
      ...options,
      input: stream?.input,
      liveClock: stream !== undefined,
      // A live capture ends when its tool has flushed (Ctrl-C stops the tool, not the reading).
      signal: stream === undefined ? ctx.signal : undefined,
      onProgress: (n) => {
        capYoungGeneration();
        progress?.update(n);
      },
      onSession: (s) => {
        ctx.writer.session(s);
        acceptSession(run, s, ctx);
      },
    });
    progress?.done();
  } catch (e) {
    abandonCapture(run, ctx);
    throw e;
  }
  reportCapture(run, await endCapture(run, result.capture, result.stats, ctx), ctx);
  return run;
}

/** `--db PATH` -> PATH, `--no-db` -> null. */
export function dbOption(db: string | boolean | undefined): string | null {
  if (db === false) return null;
  if (db === undefined || db === true || db === '') return DEFAULT_DB;
  return db;
}

/** Flagged sessions of one capture by their top severity: the "Flagged: ..." line of the text report. */
export class FlagTally {
  private sessions = 0;
  private flagged = 0;
  private readonly bySeverity = new Map<string, number>();

  add(s: SessionRecord): void {
    this.sessions++;
    if (!isFlagged(s)) return;
    this.flagged++;
    const top = s.findings.reduce<string | null>((best, f) => (best === null || SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(best) ? f.severity : best), null) ?? 'verdict';
    this.bySeverity.set(top, (this.bySeverity.get(top) ?? 0) + 1);
  }

  /** "Flagged: ..." and the command that reviews this run. */
  note(dbPath: string | null, runId: number | null): string {
    const parts = [...this.bySeverity].sort((a, b) => SEVERITY_ORDER.indexOf(a[0]) - SEVERITY_ORDER.indexOf(b[0])).map(([k, n]) => `${k} ${n}`);
    const lines = [`Flagged: ${this.flagged === 0 ? 'none' : `${this.flagged} of ${this.sessions} sessions (${parts.join(', ')})`}`];
    if (dbPath !== null && runId !== null) {
      const db = ` --db ${shellQuote(dbPath)}`;
      lines.push(`Stored in ${dbPath} (run ${runId}); review with: analyze report${db}${this.flagged === 0 ? ' --all' : ''}`);
    } else {
      lines.push('Not stored (--no-db).');
    }
    return lines.join('\n') + '\n';
  }
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info', 'verdict'];

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Size of an uncompressed capture file (a progress bar's 100%), or null (stdin, gzip, unreadable). */
function plainFileSize(path: string): number | null {
  if (path === '-') return null;
  try {
    const fd = openSync(path, 'r');
    try {
      const magic = Buffer.alloc(2);
      readSync(fd, magic, 0, 2, 0);
      return magic[0] === 0x1f && magic[1] === 0x8b ? null : fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** --policy FILE: the site policy, or a one-line InputError (exit 2). */
function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`--policy ${path}: ${(e as Error).message}`, 'POLICY');
  }
  try {
    return loadPolicy(text);
  } catch (e) {
    throw new InputError(`--policy ${path}: ${(e as Error).message}`, 'POLICY');
  }
}

/** --keylog FILE: the NSS key log, or a one-line InputError (exit 2). */
export function loadKeyLog(path: string): KeyLog {
  const keyLog = new KeyLog();
  try {
    keyLog.add(readFileSync(path));
  } catch (e) {
    throw new InputError(`--keylog ${path}: ${(e as Error).message}`, 'KEYLOG');
  }
  if (keyLog.size === 0) throw new InputError(`--keylog ${path}: no TLS secrets in it (expected NSS key log lines such as CLIENT_HANDSHAKE_TRAFFIC_SECRET <random> <secret>)`, 'KEYLOG');
  return keyLog;
}

/** --ca-bundle FILE: every PEM certificate in it, or a one-line InputError (exit 2). */
export function loadCaBundle(path: string): ParsedCertificate[] {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    throw new InputError(`--ca-bundle ${path}: ${(e as Error).message}`, 'CA_BUNDLE');
  }
  const bundle = parseCaBundle(text);
  if (!bundle.ok) throw new InputError(`--ca-bundle ${path}: ${bundle.error}`, 'CA_BUNDLE');
  return bundle.certificates;
}
