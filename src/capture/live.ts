/**
 * Live capture: runs tcpdump (or dumpcap) writing classic pcap to a pipe and hands its stdout
 * over as a byte stream, which the CaptureParser reads like any file.
 *
 * Nothing here throws once the tool is asked for: how the tool ended (and why, when it failed)
 * is a value on `done`. A tool that failed to start is told apart from one that ended after
 * capturing by `started`: the 24-byte pcap global header arrived on stdout (both tools write it
 * as soon as the device is open, before any packet).
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { InputError, UsageError } from '../errors.js';

export type LiveTool = 'tcpdump' | 'dumpcap';

/** tcpdump's default, and the largest snaplen libpcap accepts for ordinary link types. */
export const DEFAULT_SNAPLEN = 262144;
/** How long stop() waits for the tool to flush and exit before it is killed. */
export const DEFAULT_STOP_GRACE_MS = 3000;
/** The classic pcap global header: once it is on stdout the device is open and capturing. */
const PCAP_HEADER_BYTES = 24;
/** stderr lines kept for the report (the tool's last words matter, not a flood of them). */
const MAX_STDERR_LINES = 50;

/** The part of a ChildProcess that live capture uses, so tests can hand in a fake. */
export interface ChildLike {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): this;
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}
export type SpawnLike = (command: string, args: readonly string[], options: SpawnOptions) => ChildLike;

export interface LiveCaptureOptions {
  /** Interface name as `ip link` shows it (`any` captures them all, with Linux cooked headers). */
  iface: string;
  /** A libpcap filter expression, passed as one argv element (never through a shell). */
  bpf?: string;
  snaplen?: number;
  /** `auto` (default): tcpdump when it is on PATH, else dumpcap. */
  tool?: LiveTool | 'auto';
  /**
   * tcpdump --immediate-mode (default true): packets reach us as they arrive instead of when
   * the kernel buffer block fills or times out, so sessions complete promptly. On a very busy
   * link it costs more wake-ups; the drop counts in `stats` tell if it matters.
   */
  immediate?: boolean;
  stopGraceMs?: number;
  /** Injected for tests; defaults to node's spawn. */
  spawnImpl?: SpawnLike;
  /** PATH used to resolve `auto` (defaults to process.env.PATH). */
  pathEnv?: string;
}

/** Counts the tool prints on stderr when it ends. `dropped` is what the kernel/libpcap lost. */
export interface LiveCaptureStats {
  captured: number;
  /** Packets the filter accepted (tcpdump) or the interface received (dumpcap); null when not printed. */
  received: number | null;
  dropped: number;
  /** tcpdump "dropped by interface" (driver drops); null when not printed. */
  droppedByInterface: number | null;
}

export type LiveFailureKind =
  | 'not-installed'
  | 'no-such-interface'
  | 'interface-down'
  | 'permission'
  | 'bad-filter'
  | 'interface-vanished'
  | 'exited';

export interface LiveCaptureFailure {
  kind: LiveFailureKind;
  /** One line for a person, with the tool's own message in it. */
  message: string;
}

export interface LiveCaptureEnd {
  tool: LiveTool;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The pcap header arrived: the tool opened the device and captured (maybe 0 packets). */
  started: boolean;
  /** stop() was called before the tool ended. */
  stopped: boolean;
  /** Bytes the tool wrote on stdout. */
  bytes: number;
  stats: LiveCaptureStats | null;
  /** null when the capture ended cleanly (stopped, interrupted, or the tool exited 0 by itself). */
  failure: LiveCaptureFailure | null;
  /** The tool's stderr, its last MAX_STDERR_LINES non-empty lines. */
  stderr: string[];
}

export interface LiveCapture {
  readonly tool: LiveTool;
  /** The exact command run: [command, ...args]. */
  readonly argv: readonly string[];
  /** The pcap bytes from the tool's stdout; ends when the tool has flushed and exited. */
  readonly stream: Readable;
  /** Resolves true when the pcap header arrived, false when the tool ended without writing one. */
  readonly started: Promise<boolean>;
  /**
   * Always resolves (never rejects), once the tool has exited and its stdout was all passed
   * on to `stream` (the consumer may still be reading what is buffered there).
   */
  readonly done: Promise<LiveCaptureEnd>;
  /** Asks the tool to flush and exit (SIGINT, SIGKILL after the grace period). Idempotent. */
  stop(): void;
  /** Kills the tool now (SIGKILL): a second Ctrl-C. Buffered packets are lost. */
  abort(): void;
}

/** The argv for one tool, exactly as spawned (no shell). */
export function buildCaptureArgs(
  tool: LiveTool,
  opts: Pick<LiveCaptureOptions, 'iface' | 'bpf' | 'snaplen' | 'immediate'>,
): string[] {
  const snaplen = String(opts.snaplen ?? DEFAULT_SNAPLEN);
  const bpf = opts.bpf?.trim() ?? '';
  if (tool === 'tcpdump') {
    // -w - : raw pcap on stdout; -U: flush after each packet, so the pipe never holds a
    // half-written buffer of finished sessions; -n: no DNS lookups from tcpdump itself.
    const args = ['-i', opts.iface, '-w', '-', '-U', '-n', '-s', snaplen];
    if (opts.immediate !== false) args.push('--immediate-mode');
    // "--" so that a filter starting with "-" is never read as an option.
    if (bpf !== '') args.push('--', bpf);
    return args;
  }
  // dumpcap writes pcapng unless -P; -q: no running packet count on stderr.
  const args = ['-i', opts.iface, '-w', '-', '-P', '-q', '-s', snaplen];
  if (bpf !== '') args.push('-f', bpf);
  return args;
}

/** The first executable file named `name` in PATH, or null. */
export function findOnPath(name: string, pathEnv: string | undefined = process.env.PATH): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here: next directory
    }
  }
  return null;
}

const INSTALL_HINT: Record<LiveTool, string> = {
  tcpdump: 'tcpdump not found: install it (apt-get install tcpdump) or use dumpcap',
  dumpcap: 'dumpcap not found: install it (apt-get install wireshark-common) or use tcpdump',
};

export function startLiveCapture(opts: LiveCaptureOptions): LiveCapture {
  validate(opts);
  const choice = opts.tool ?? 'auto';
  let tool: LiveTool;
  let notFound: string | null = null;
  if (choice === 'auto') {
    if (findOnPath('tcpdump', opts.pathEnv) !== null) tool = 'tcpdump';
    else if (findOnPath('dumpcap', opts.pathEnv) !== null) tool = 'dumpcap';
    else {
      tool = 'tcpdump';
      notFound = 'neither tcpdump nor dumpcap found on PATH: install one (apt-get install tcpdump)';
    }
  } else {
    tool = choice;
  }
  const args = buildCaptureArgs(tool, opts);
  const out = new PassThrough();
  const state: RunState = { tool, iface: opts.iface, bpf: opts.bpf, stopped: false, exited: false, bytes: 0 };

  if (notFound !== null) {
    out.end();
    const end = endOf(state, null, null, [], { kind: 'not-installed', message: notFound });
    return {
      tool,
      argv: [tool, ...args],
      stream: out,
      started: Promise.resolve(false),
      done: Promise.resolve(end),
      stop: () => undefined,
      abort: () => undefined,
    };
  }

  const spawnImpl: SpawnLike = opts.spawnImpl ?? spawn;
  // Own process group: a terminal Ctrl-C reaches only us, and we decide when the tool stops
  // (cli/interrupt.ts), so the order "tool flushes, stream ends, pipeline finishes flows" holds.
  const child = spawnImpl(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stderrLines: string[] = [];
  let spawnError: NodeJS.ErrnoException | null = null;
  let killTimer: NodeJS.Timeout | null = null;
  let resolveStarted: (v: boolean) => void = () => undefined;
  const started = new Promise<boolean>((resolve) => (resolveStarted = resolve));

  child.stderr?.setEncoding('utf8');
  let partial = '';
  child.stderr?.on('data', (text: string) => {
    const parts = (partial + text).split(/\r?\n|\r/);
    partial = parts.pop() ?? '';
    for (const line of parts) keepLine(stderrLines, line);
  });
  if (child.stdout === null) out.end();
  else {
    child.stdout.pipe(out);
    // Counted here rather than in `out`, so the count is final when the tool exits even if
    // the consumer has not read everything yet.
    child.stdout.on('data', (chunk: Buffer) => {
      const before = state.bytes;
      state.bytes += chunk.length;
      if (before < PCAP_HEADER_BYTES && state.bytes >= PCAP_HEADER_BYTES) resolveStarted(true);
    });
  }
  child.on('error', (err) => {
    // Spawn failures (ENOENT, EACCES) come here, followed by 'close'.
    spawnError ??= err;
  });

  const signalChild = (sig: NodeJS.Signals): void => {
    try {
      child.kill(sig);
    } catch {
      // already gone: 'close' reports how it ended
    }
  };
  // The tool runs in its own process group, so it would outlive us if we died abruptly
  // (an uncaught error, process.exit): kill it when our process exits.
  const killOnExit = (): void => {
    if (!state.exited) signalChild('SIGKILL');
  };
  process.once('exit', killOnExit);

  const done = new Promise<LiveCaptureEnd>((resolve) => {
    child.on('close', (code, signal) => {
      state.exited = true;
      process.off('exit', killOnExit);
      if (killTimer !== null) clearTimeout(killTimer);
      if (partial !== '') keepLine(stderrLines, partial);
      resolveStarted(state.bytes >= PCAP_HEADER_BYTES);
      const failure = spawnError !== null ? spawnFailure(state, spawnError) : classify(state, code, signal, stderrLines);
      resolve(endOf(state, code, signal, stderrLines, failure));
    });
  });

  const stop = (): void => {
    if (state.stopped || state.exited) return;
    state.stopped = true;
    // SIGINT is what tcpdump and dumpcap treat as "finish": they flush and print their counts.
    signalChild('SIGINT');
    killTimer = setTimeout(() => signalChild('SIGKILL'), opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    killTimer.unref();
  };
  const abort = (): void => {
    if (state.exited) return;
    state.stopped = true;
    signalChild('SIGKILL');
  };
  // A consumer that gives up on the stream (destroy) should not leave the tool capturing;
  // its stdout is drained so the flush on SIGINT cannot block on a full pipe.
  out.once('close', () => {
    if (out.readableEnded) return;
    child.stdout?.resume();
    stop();
  });

  return { tool, argv: [tool, ...args], stream: out, started, done, stop, abort };
}

interface RunState {
  tool: LiveTool;
  iface: string;
  bpf: string | undefined;
  stopped: boolean;
  exited: boolean;
  /** Bytes the tool wrote on stdout so far. */
  bytes: number;
}

function validate(opts: LiveCaptureOptions): void {
  if (opts.iface === '' || /[\s\0]/.test(opts.iface)) {
    throw new UsageError(`--interface needs an interface name (as ip link shows it), got "${opts.iface}"`);
  }
  const s = opts.snaplen;
  if (s !== undefined && (!Number.isInteger(s) || s < 1 || s > DEFAULT_SNAPLEN)) {
    throw new UsageError(`snaplen must be an integer from 1 to ${DEFAULT_SNAPLEN}, got ${s}`);
  }
  if (opts.bpf?.includes('\0')) throw new UsageError('--bpf must not contain a NUL byte');
}

function keepLine(lines: string[], line: string): void {
  const trimmed = line.trimEnd();
  if (trimmed === '') return;
  lines.push(trimmed);
  if (lines.length > MAX_STDERR_LINES) lines.shift();
}

function endOf(
  state: RunState,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string[],
  failure: LiveCaptureFailure | null,
): LiveCaptureEnd {
  return {
    tool: state.tool,
    code,
    signal,
    started: state.bytes >= PCAP_HEADER_BYTES,
    stopped: state.stopped,
    bytes: state.bytes,
    stats: parseCaptureStats(stderr),
    failure,
    stderr: [...stderr],
  };
}

function spawnFailure(state: RunState, err: NodeJS.ErrnoException): LiveCaptureFailure {
  if (err.code === 'ENOENT') return { kind: 'not-installed', message: INSTALL_HINT[state.tool] };
  if (err.code === 'EACCES') {
    return { kind: 'permission', message: `${state.tool} cannot be run (permission denied on the program itself)` };
  }
  return { kind: 'exited', message: `${state.tool} could not be started: ${err.message}` };
}

/** Where the tool's stderr names the problem, the kind and a hint; the tool's words are kept. */
const PATTERNS: { re: RegExp; kind: LiveFailureKind; hint: (s: RunState) => string }[] = [
  { re: /No such device|There is no device named/i, kind: 'no-such-interface', hint: (s) => `no interface "${s.iface}" (list them with: ip link)` },
  { re: /device is not up/i, kind: 'interface-down', hint: (s) => `interface "${s.iface}" is down (ip link set ${s.iface} up)` },
  {
    re: /permission|Operation not permitted|Couldn't change to/i,
    kind: 'permission',
    hint: (s) => `not allowed to capture on "${s.iface}": run as root or give ${s.tool} CAP_NET_RAW and CAP_NET_ADMIN`,
  },
  { re: /can't parse filter|Invalid capture filter|syntax error/i, kind: 'bad-filter', hint: (s) => `bad capture filter "${s.bpf ?? ''}"` },
  {
    re: /interface disappeared|no longer attached|went down/i,
    kind: 'interface-vanished',
    hint: (s) => `interface "${s.iface}" went away during the capture`,
  },
];

function classify(
  state: RunState,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: readonly string[],
): LiveCaptureFailure | null {
  for (const p of PATTERNS) {
    const i = stderr.findIndex((l) => p.re.test(l));
    if (i >= 0) return { kind: p.kind, message: `${p.hint(state)}: ${toolSays(state.tool, stderr, i)}` };
  }
  if (code === 0) return null;
  // Ended by a stop signal (ours, or a Ctrl-C that reached the tool some other way): a clean end.
  if (signal === 'SIGINT' || signal === 'SIGTERM' || (state.stopped && signal === 'SIGKILL')) return null;
  const said = stderr.findIndex((l) => l.startsWith(`${state.tool}:`) || l.startsWith('Error'));
  const how = signal !== null ? `was killed by ${signal}` : `exited with status ${code ?? '?'}`;
  const phase = state.bytes >= PCAP_HEADER_BYTES ? 'during the capture' : 'before capturing';
  const detail = said >= 0 ? `: ${toolSays(state.tool, stderr, said)}` : '';
  return { kind: 'exited', message: `${state.tool} ${how} ${phase}${detail}` };
}

/** The tool's message line, its tool prefix dropped, with a "(…)" detail line that follows it. */
function toolSays(tool: LiveTool, stderr: readonly string[], i: number): string {
  let line = stderr[i]!.replace(new RegExp(`^${tool}: `), '');
  const next = stderr[i + 1];
  if (next?.startsWith('(') === true) line += ` ${next}`;
  return line.replace(/\s+/g, ' ').trim();
}

/**
 * The final counts from the tool's stderr:
 *   tcpdump: "12 packets captured", "12 packets received by filter", "0 packets dropped by kernel"
 *            (and "0 packets dropped by interface" where libpcap knows it);
 *   dumpcap: "Packets captured: 12", "Packets received/dropped on interface 'lo': 12/0 (…)".
 */
export function parseCaptureStats(stderr: readonly string[]): LiveCaptureStats | null {
  let captured: number | null = null;
  let received: number | null = null;
  let dropped: number | null = null;
  let droppedByInterface: number | null = null;
  for (const line of stderr) {
    let m: RegExpExecArray | null;
    if ((m = /^(\d+) packets? captured$/.exec(line)) !== null) captured = Number(m[1]);
    else if ((m = /^(\d+) packets? received by filter$/.exec(line)) !== null) received = Number(m[1]);
    else if ((m = /^(\d+) packets? dropped by kernel$/.exec(line)) !== null) dropped = Number(m[1]);
    else if ((m = /^(\d+) packets? dropped by interface$/.exec(line)) !== null) droppedByInterface = Number(m[1]);
    else if ((m = /^Packets captured: (\d+)$/.exec(line)) !== null) captured = Number(m[1]);
    else if ((m = /^Packets received\/dropped on interface .*: (\d+)\/(\d+)/.exec(line)) !== null) {
      received = Number(m[1]);
      dropped = Number(m[2]);
    }
  }
  if (captured === null && dropped === null) return null;
  return { captured: captured ?? 0, received, dropped: dropped ?? 0, droppedByInterface };
}

/** The InputError (exit 2, one line) for a failed capture, or null when it ended cleanly. */
export function liveCaptureError(end: LiveCaptureEnd): InputError | null {
  if (end.failure === null) return null;
  return new InputError(end.failure.message, `LIVE_${end.failure.kind.toUpperCase().replace(/-/g, '_')}`);
}
