import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { connect, createServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildCaptureArgs,
  findOnPath,
  liveCaptureError,
  parseCaptureStats,
  startLiveCapture,
  type ChildLike,
  type SpawnLike,
} from '../../../src/capture/live.js';
import { CaptureParser } from '../../../src/capture/capture-parser.js';
import { InputError, UsageError } from '../../../src/errors.js';
import { makeSelfSigned } from '../../helpers/self-signed.js';

/** The classic pcap global header tcpdump writes first (LE, µs, snaplen 262144, Ethernet). */
const PCAP_HEADER = Buffer.from('d4c3b2a102000400000000000000000000000400' + '01000000', 'hex');

/** A child process that does what a test tells it, and records the signals sent to it. */
class FakeChild extends EventEmitter implements ChildLike {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  /** What kill() does with a signal: by default the tool flushes its counts and exits 0. */
  onSignal: (sig: NodeJS.Signals) => void = () => void this.finish(0, null, '0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n');

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    this.onSignal(signal);
    return true;
  }

  /** Ends stdout and stderr (after writing `stderr`), then reports the exit like node does. */
  async finish(code: number | null, signal: NodeJS.Signals | null, stderr = ''): Promise<void> {
    if (stderr !== '') this.stderr.write(stderr);
    this.stdout.end();
    this.stderr.end();
    await Promise.all([finished(this.stdout), finished(this.stderr)]);
    this.emit('close', code, signal);
  }
}

function fakeSpawn(): { spawnImpl: SpawnLike; calls: { command: string; args: readonly string[]; options: object }[]; child: () => FakeChild } {
  const calls: { command: string; args: readonly string[]; options: object }[] = [];
  let last: FakeChild | null = null;
  const spawnImpl: SpawnLike = (command, args, options) => {
    calls.push({ command, args, options });
    last = new FakeChild();
    return last;
  };
  return { spawnImpl, calls, child: () => last! };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const dir = mkdtempSync(join(tmpdir(), 'live-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildCaptureArgs', () => {
  it('runs tcpdump packet-buffered to stdout, the filter as one argv element after --', () => {
    expect(buildCaptureArgs('tcpdump', { iface: 'eth0', bpf: 'tcp port 443 or udp port 443' })).toEqual([
      '-i', 'eth0', '-w', '-', '-U', '-n', '-s', '262144', '--immediate-mode', '--', 'tcp port 443 or udp port 443',
    ]);
  });

  it('leaves out the filter when empty and immediate mode when asked', () => {
    expect(buildCaptureArgs('tcpdump', { iface: 'any', bpf: '  ', snaplen: 96, immediate: false })).toEqual([
      '-i', 'any', '-w', '-', '-U', '-n', '-s', '96',
    ]);
  });

  it('asks dumpcap for classic pcap (-P) with the filter as the value of -f', () => {
    expect(buildCaptureArgs('dumpcap', { iface: 'eth0', bpf: '-tcp' })).toEqual([
      '-i', 'eth0', '-w', '-', '-P', '-q', '-s', '262144', '-f', '-tcp',
    ]);
  });
});

describe('startLiveCapture with a fake tool', () => {
  it('spawns the tool without a shell, in its own process group, stdout and stderr piped', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', bpf: 'port 443', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    expect(live.argv).toEqual(['tcpdump', '-i', 'eth0', '-w', '-', '-U', '-n', '-s', '262144', '--immediate-mode', '--', 'port 443']);
    expect(f.calls).toEqual([{ command: 'tcpdump', args: live.argv.slice(1), options: { stdio: ['ignore', 'pipe', 'pipe'], detached: true } }]);
    live.stop();
    await live.done;
  });

  it('passes the pcap bytes through unchanged and tells that the tool started', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    const bytes = readAll(live.stream);
    f.child().stdout.write(PCAP_HEADER.subarray(0, 10));
    f.child().stdout.write(PCAP_HEADER.subarray(10));
    expect(await live.started).toBe(true);
    f.child().stdout.write(Buffer.from('0102', 'hex'));
    live.stop();
    const end = await live.done;
    expect((await bytes).toString('hex')).toBe(PCAP_HEADER.toString('hex') + '0102');
    expect(end).toEqual({
      tool: 'tcpdump', code: 0, signal: null, started: true, stopped: true, bytes: 26,
      stats: { captured: 0, received: 0, dropped: 0, droppedByInterface: null },
      failure: null,
      stderr: ['0 packets captured', '0 packets received by filter', '0 packets dropped by kernel'],
    });
  });

  it('stop() before any packet: SIGINT once, a clean end without a header', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    live.stop();
    live.stop();
    const end = await live.done;
    live.stop();
    expect(f.child().signals).toEqual(['SIGINT']);
    expect(await live.started).toBe(false);
    expect([end.started, end.stopped, end.failure, end.bytes]).toEqual([false, true, null, 0]);
    expect(liveCaptureError(end)).toBeNull();
  });

  it('kills the tool when it does not exit within the grace period after SIGINT', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl, stopGraceMs: 20 });
    f.child().onSignal = (sig) => {
      if (sig === 'SIGKILL') void f.child().finish(null, 'SIGKILL');
    };
    live.stop();
    const end = await live.done;
    expect(f.child().signals).toEqual(['SIGINT', 'SIGKILL']);
    // We asked it to stop, so being killed for not stopping in time is not a capture failure.
    expect([end.signal, end.failure]).toEqual(['SIGKILL', null]);
  });

  it('a tool killed by someone else is a failure that says so', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    f.child().stdout.write(PCAP_HEADER);
    await f.child().finish(null, 'SIGKILL');
    expect((await live.done).failure).toEqual({ kind: 'exited', message: 'tcpdump was killed by SIGKILL during the capture' });
  });

  it('a tool that is not installed (spawn ENOENT) gives the install hint as an InputError', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    const enoent = Object.assign(new Error('spawn tcpdump ENOENT'), { code: 'ENOENT' });
    f.child().emit('error', enoent);
    await f.child().finish(-2, null);
    const end = await live.done;
    expect(end.failure).toEqual({ kind: 'not-installed', message: 'tcpdump not found: install it (apt-get install tcpdump) or use dumpcap' });
    const err = liveCaptureError(end)!;
    expect(err).toBeInstanceOf(InputError);
    expect([err.message, err.code, err.exitCode]).toEqual([end.failure!.message, 'LIVE_NOT_INSTALLED', 2]);
  });

  it.each([
    ['tcpdump', 'tcpdump: eth9: No such device exists\n(No such device exists)\n', 'no-such-interface',
      'no interface "eth9" (list them with: ip link): eth9: No such device exists (No such device exists)'],
    ['tcpdump', 'tcpdump: eth9: That device is not up\n', 'interface-down',
      'interface "eth9" is down (ip link set eth9 up): eth9: That device is not up'],
    ['tcpdump', "tcpdump: eth9: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n", 'permission',
      'not allowed to capture on "eth9": run as root or give tcpdump CAP_NET_RAW and CAP_NET_ADMIN: eth9: You don\'t have permission to perform this capture on that device (socket: Operation not permitted)'],
    ['tcpdump', "tcpdump: can't parse filter expression: syntax error\n", 'bad-filter',
      'bad capture filter "tcp port": can\'t parse filter expression: syntax error'],
    ['dumpcap', 'Capturing on \'eth9\'\ndumpcap: There is no device named "eth9".\n(No such device exists)\n', 'no-such-interface',
      'no interface "eth9" (list them with: ip link): There is no device named "eth9". (No such device exists)'],
    ['dumpcap', 'Capturing on \'eth9\'\ndumpcap: Invalid capture filter "tcp port" for interface \'eth9\'.\n\nThat string isn\'t a valid capture filter (can\'t parse filter expression: syntax error).\n', 'bad-filter',
      'bad capture filter "tcp port": Invalid capture filter "tcp port" for interface \'eth9\'.'],
    ['tcpdump', 'tcpdump: something new went wrong\n', 'exited', 'tcpdump exited with status 1 before capturing: something new went wrong'],
  ] as const)('%s failing at start with %j is %s', async (tool, stderr, kind, message) => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth9', bpf: 'tcp port', tool, spawnImpl: f.spawnImpl });
    await f.child().finish(1, null, stderr);
    const end = await live.done;
    expect([await live.started, end.started, end.failure]).toEqual([false, false, { kind, message }]);
    expect(liveCaptureError(end)!.code).toBe(`LIVE_${kind.toUpperCase().replace(/-/g, '_')}`);
  });

  it('the tool dying by itself mid-capture (interface gone) resolves done with the reason and the counts', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'v0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    f.child().stdout.write(PCAP_HEADER);
    await f.child().finish(1, null, 'tcpdump: listening on v0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\ntcpdump: pcap_loop: The interface disappeared\n3 packets captured\n4 packets received by filter\n1 packet dropped by kernel\n');
    const end = await live.done;
    expect(end.started).toBe(true);
    expect(end.failure).toEqual({ kind: 'interface-vanished', message: 'interface "v0" went away during the capture: pcap_loop: The interface disappeared' });
    expect(end.stats).toEqual({ captured: 3, received: 4, dropped: 1, droppedByInterface: null });
  });

  it('a consumer that destroys the stream stops the tool', async () => {
    const f = fakeSpawn();
    const live = startLiveCapture({ iface: 'eth0', tool: 'tcpdump', spawnImpl: f.spawnImpl });
    live.stream.destroy();
    const end = await live.done;
    expect([f.child().signals, end.stopped, end.failure]).toEqual([['SIGINT'], true, null]);
  });

  it('auto picks tcpdump, else dumpcap, from PATH; neither is a not-installed failure without spawning', async () => {
    const both = join(dir, 'both');
    const onlyDumpcap = join(dir, 'dumpcap-only');
    for (const [d, names] of [[both, ['tcpdump', 'dumpcap']], [onlyDumpcap, ['dumpcap']]] as const) {
      mkdirSync(d, { recursive: true });
      for (const n of names) {
        writeFileSync(join(d, n), '', { flag: 'w' });
        chmodSync(join(d, n), 0o755);
      }
    }
    const f = fakeSpawn();
    const a = startLiveCapture({ iface: 'lo', spawnImpl: f.spawnImpl, pathEnv: `${join(dir, 'none')}:${both}` });
    const b = startLiveCapture({ iface: 'lo', spawnImpl: f.spawnImpl, pathEnv: onlyDumpcap });
    expect([a.tool, b.tool, f.calls.map((c) => c.command)]).toEqual(['tcpdump', 'dumpcap', ['tcpdump', 'dumpcap']]);
    a.abort();
    b.abort();

    const none = startLiveCapture({ iface: 'lo', spawnImpl: f.spawnImpl, pathEnv: join(dir, 'none') });
    const end = await none.done;
    expect(f.calls).toHaveLength(2);
    expect([await none.started, (await readAll(none.stream)).length]).toEqual([false, 0]);
    expect(end.failure).toEqual({ kind: 'not-installed', message: 'neither tcpdump nor dumpcap found on PATH: install one (apt-get install tcpdump)' });
  });

  it('rejects an empty interface and an impossible snaplen before spawning anything', () => {
    const f = fakeSpawn();
    expect(() => startLiveCapture({ iface: '', spawnImpl: f.spawnImpl })).toThrow(UsageError);
    expect(() => startLiveCapture({ iface: 'eth0', snaplen: 0, spawnImpl: f.spawnImpl })).toThrow('snaplen must be an integer from 1 to 262144, got 0');
    expect(f.calls).toEqual([]);
  });
});

describe('parseCaptureStats', () => {
  it('reads tcpdump counts, with interface drops when printed', () => {
    expect(parseCaptureStats(['tcpdump: listening on eth0', '120 packets captured', '130 packets received by filter', '10 packets dropped by kernel', '2 packets dropped by interface']))
      .toEqual({ captured: 120, received: 130, dropped: 10, droppedByInterface: 2 });
  });
  it('reads dumpcap counts', () => {
    expect(parseCaptureStats(['File: -', 'Packets captured: 7', "Packets received/dropped on interface 'Loopback: lo': 9/2 (pcap:2/dumpcap:0/flushed:0/ps_ifdrop:0) (22.2%)"]))
      .toEqual({ captured: 7, received: 9, dropped: 2, droppedByInterface: null });
  });
  it('is null when the tool printed none', () => {
    expect(parseCaptureStats(['tcpdump: eth9: No such device exists'])).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Real captures, in a network namespace of their own so no host traffic is seen or disturbed.
// Needs root (tcpdump opens a raw socket), unshare/nsenter (util-linux), ip and openssl.

function realCaptureBlocker(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (a raw capture needs root or CAP_NET_RAW)';
  for (const tool of ['tcpdump', 'unshare', 'nsenter', 'ip', 'openssl']) {
    if (findOnPath(tool) === null) return `${tool} not on PATH`;
  }
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
  } catch {
    return 'unshare -n does not work here (no permission to create a network namespace)';
  }
  return null;
}
const blocker = realCaptureBlocker();

/** A process holding a fresh network namespace open, and helpers to run things inside it. */
class NetNamespace {
  private readonly holder: ChildProcess;
  readonly path: string;

  constructor() {
    this.holder = spawn('unshare', ['-n', 'sleep', '60'], { stdio: 'ignore' });
    this.path = `/proc/${this.holder.pid}/ns/net`;
  }

  /** Waits until unshare has moved into its namespace (its link differs from ours), then brings lo up. */
  async ready(): Promise<void> {
    const ours = readlinkSync('/proc/self/ns/net');
    for (let i = 0; i < 200 && readlinkSync(this.path) === ours; i++) await new Promise((r) => setTimeout(r, 5));
    this.run('ip', ['link', 'set', 'lo', 'up']);
  }

  run(command: string, args: string[]): string {
    return execFileSync('nsenter', [`--net=${this.path}`, command, ...args], { encoding: 'utf8' });
  }

  /** nsenter without --fork execs the tool, so our signals reach the tool itself. */
  readonly spawnImpl: SpawnLike = (command, args, options) => spawn('nsenter', [`--net=${this.path}`, command, ...args], options);

  close(): void {
    this.holder.kill('SIGKILL');
  }
}

function packetsOf(bytes: Uint8Array): { linkTypes: number[]; packets: Buffer[]; problems: string[] } {
  const packets: Buffer[] = [];
  const problems: string[] = [];
  const parser = new CaptureParser(
    (p) => packets.push(Buffer.from(p.buf.subarray(p.start, p.end))),
    (p) => problems.push(p.name),
  );
  parser.push(bytes);
  parser.end();
  return { linkTypes: [...parser.linkTypes], packets, problems };
}

const TLS_SCRIPT = `
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:tls';
const [cert, key, port, sni] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (s) => s.end('hi'));
server.listen(Number(port), '127.0.0.1', () => {
  const c = connect({ host: '127.0.0.1', port: Number(port), servername: sni, rejectUnauthorized: false }, () => c.resume());
  c.on('end', () => { c.end(); server.close(); console.log('ok ' + c.getProtocol()); });
});
`;

/** Writes the TLS script and a throwaway self-signed certificate (once) into the test's dir. */
function tlsScript(): string {
  const script = join(dir, 'tls.mjs');
  if (!existsSync(script)) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=live.test', '-days', '1'], { stdio: 'ignore' });
    writeFileSync(script, TLS_SCRIPT);
  }
  return script;
}

describe.skipIf(blocker !== null)(`real capture in a network namespace${blocker !== null ? ` (skipped: ${blocker})` : ''}`, () => {
  const ns = blocker === null ? new NetNamespace() : null;
  afterAll(() => ns?.close());

  it('captures a TLS handshake on lo with tcpdump and a BPF filter, ends cleanly on stop()', async () => {
    await ns!.ready();
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const script = tlsScript();
    const sni = 'live-capture.example';

    const live = startLiveCapture({ iface: 'lo', bpf: 'tcp port 8443', tool: 'tcpdump', spawnImpl: ns!.spawnImpl });
    const bytes = readAll(live.stream);
    try {
      expect(await live.started).toBe(true);
      // Traffic on another port, which the filter must keep out.
      expect(ns!.run(process.execPath, [script, cert, key, '9443', 'other.example'])).toBe('ok TLSv1.3\n');
      expect(ns!.run(process.execPath, [script, cert, key, '8443', sni])).toBe('ok TLSv1.3\n');
    } finally {
      live.stop();
    }
    const [end, pcap] = await Promise.all([live.done, bytes]);

    expect(end.failure).toBeNull();
    expect([end.started, end.stopped, end.code, end.bytes]).toEqual([true, true, 0, pcap.length]);
    const { linkTypes, packets, problems } = packetsOf(pcap);
    expect([linkTypes, problems]).toEqual([[1], []]);
    // tcpdump counted exactly what reached us, and the kernel dropped nothing. ("received by
    // filter" is larger on lo: the kernel also counts the outgoing copies libpcap throws away.)
    expect([end.stats?.captured, end.stats?.dropped]).toEqual([packets.length, 0]);
    expect(end.stats!.received).toBeGreaterThanOrEqual(packets.length);
    expect(packets.filter((p) => p.includes(sni))).toHaveLength(1);
    expect(packets.some((p) => p.includes('other.example'))).toBe(false);
    // A whole connection: SYN, handshake, data, FIN both ways: at least 10 segments.
    expect(packets.length).toBeGreaterThanOrEqual(10);
  });

  it('a missing interface and a bad filter fail before capturing, in tcpdump\'s words', async () => {
    await ns!.ready();
    const missing = await startLiveCapture({ iface: 'nosuch0', tool: 'tcpdump', spawnImpl: ns!.spawnImpl }).done;
    expect([missing.started, missing.failure]).toEqual([false, { kind: 'no-such-interface', message: 'no interface "nosuch0" (list them with: ip link): nosuch0: No such device exists (No such device exists)' }]);
    const badFilter = await startLiveCapture({ iface: 'lo', bpf: 'tcp port', tool: 'tcpdump', spawnImpl: ns!.spawnImpl }).done;
    expect([badFilter.started, badFilter.failure]).toEqual([false, { kind: 'bad-filter', message: 'bad capture filter "tcp port": can\'t parse filter expression: syntax error' }]);
  });

  it('the interface vanishing mid-capture ends the tool by itself with the reason', async () => {
    await ns!.ready();
    ns!.run('ip', ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    ns!.run('ip', ['link', 'set', 'v0', 'up']);
    const live = startLiveCapture({ iface: 'v0', tool: 'tcpdump', spawnImpl: ns!.spawnImpl, stopGraceMs: 500 });
    const bytes = readAll(live.stream);
    try {
      expect(await live.started).toBe(true);
      ns!.run('ip', ['link', 'del', 'v0']);
    } catch (err) {
      live.stop();
      throw err;
    }
    const end = await live.done;
    expect([end.started, end.stopped, end.code]).toEqual([true, false, 1]);
    expect(end.failure).toEqual({ kind: 'interface-vanished', message: 'interface "v0" went away during the capture: pcap_loop: The interface disappeared' });
    expect(end.stats?.dropped).toBe(0);
    expect((await bytes).length).toBe(end.bytes);
  });
});

// dumpcap captures nothing inside a namespace entered with nsenter (tcpdump does): it is tested
// on the host's loopback instead, on a random port that its filter keeps to this test's traffic.
const dumpcapBlocker = process.platform !== 'linux' ? 'not Linux' : process.getuid?.() !== 0 ? 'not root' : findOnPath('dumpcap') === null ? 'dumpcap not on PATH' : null;

describe.skipIf(dumpcapBlocker !== null)(`real capture with dumpcap on lo${dumpcapBlocker !== null ? ` (skipped: ${dumpcapBlocker})` : ''}`, () => {
  it('captures a TLS handshake as classic pcap (-P) and ends cleanly on stop()', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const sni = 'dumpcap-capture.example';
    const server = createServer(makeSelfSigned(sni), (sock) => sock.end('hi'));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const live = startLiveCapture({ iface: 'lo', bpf: `tcp port ${port}`, tool: 'dumpcap' });
    const bytes = readAll(live.stream);
    try {
      expect(await live.started).toBe(true);
      await new Promise<void>((resolve, reject) => {
        const c = connect({ host: '127.0.0.1', port, servername: sni, rejectUnauthorized: false }, () => c.resume());
        c.on('end', () => c.end());
        c.on('close', () => resolve());
        c.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      live.stop();
      server.close();
    }
    const [end, pcap] = await Promise.all([live.done, bytes]);
    expect(end.failure).toBeNull();
    const { linkTypes, packets, problems } = packetsOf(pcap);
    expect([linkTypes, problems]).toEqual([[1], []]);
    expect([end.stats?.captured, end.stats?.dropped]).toEqual([packets.length, 0]);
    expect(packets.filter((p) => p.includes(sni))).toHaveLength(1);
    expect(packets.length).toBeGreaterThanOrEqual(10);
  });
});
