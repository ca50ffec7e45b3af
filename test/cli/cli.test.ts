/**
 * The command as a user runs it (the built dist/analyze.js, built here when missing or stale): output
 * formats, and bad input that must end with one clear line on stderr and exit 2, never a stack.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuiltCli, expectOneLineError, root, runCli } from '../helpers/built-cli.js';

const fixture = join(root, 'fixtures/loopback-clients.pcap');
// Commands run in a temp dir: analyze stores runs in ./analyze.db by default.
const tmp = mkdtempSync(join(tmpdir(), 'analyze-cli-'));

const run = (...args: string[]) => runCli(tmp, ...args);


beforeAll(ensureBuiltCli, 120_000);

describe('analyze --pcap', () => {
  it('prints one JSON record per line with --format jsonl, and nothing else', () => {
    const r = run('--pcap', fixture, '--format', 'jsonl', '--no-db');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(18);
    for (const l of lines) expect(Object.keys(JSON.parse(l) as object).slice(0, 4)).toEqual(['session_id', 'start', 'end', 'transport']);
  });

  it('prints a summary with --format text (the default)', () => {
    const r = run('--pcap', fixture);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Sessions: 18 \(tcp 18\)/);
    expect(r.stdout).toMatch(/TLS versions: TLS 1\.3 \d+, TLS 1\.2 \d+/);
    expect(r.stdout).toMatch(/rsa\.tls443\.test/);
  });

  it('writes one JSON document to --output', () => {
    const out = join(tmp, 'run.json');
    const r = run('--pcap', fixture, '--format', 'json', '-o', out);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { sessions: unknown[]; capture: { packets: number } };
    expect(doc.sessions).toHaveLength(18);
    expect(doc.capture.packets).toBe(288);
  });

  it('reads several captures, directories and globs in a fixed order into one run of the command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'captures-'));
    writeFileSync(join(dir, 'b.pcap'), readFileSync(join(root, 'fixtures/mixed-benign-bad.pcap')));
    writeFileSync(join(dir, 'a.pcap'), readFileSync(fixture));
    const r = run('--pcap', dir, '--format', 'text', '--no-db');
    expect(r.code).toBe(0);
    // Directory entries in byte order: a.pcap (18 sessions) before b.pcap (19).
    expect([...r.stdout.matchAll(/^(\S+): pcap, (\d+) packets/gm)].map((m) => m[1])).toEqual([join(dir, 'a.pcap'), join(dir, 'b.pcap')]);
    expect([...r.stdout.matchAll(/^Sessions: (\d+)/gm)].map((m) => m[1])).toEqual(['18', '19']);
    const globbed = run('--pcap', join(dir, '*.pcap'), fixture, '--format', 'jsonl', '--no-db');
    // fixture is a.pcap's content under another name and inode: analysed again, last.
    expect(globbed.stdout.trim().split('\n')).toHaveLength(18 + 19 + 18);
  });

  it('--jobs analyses captures in worker threads with the same output, in the same order, as one at a time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'captures-'));
    for (const f of ['loopback-clients.pcap', 'loopback-clients.pcapng', 'loopback-clients.pcap.gz', 'mixed-benign-bad.pcap']) {
      writeFileSync(join(dir, f), readFileSync(join(root, 'fixtures', f)));
    }
    writeFileSync(join(dir, 'broken.pcap'), 'not a capture');
    const one = run('--pcap', dir, '--format', 'jsonl', '--db', join(dir, 'one.db'), '--jobs', '1', '--keep-runs');
    const three = run('--pcap', dir, '--format', 'jsonl', '--db', join(dir, 'three.db'), '--jobs', '3', '--keep-runs');
    expect(one.code).toBe(2); // broken.pcap
    expect(three.code).toBe(2);
    expect(three.stdout.split('\n')).toEqual(one.stdout.split('\n'));
    expect(three.stdout.trim().split('\n')).toHaveLength(18 * 3 + 19);
    const runs = (db: string) => run('report', '--db', join(dir, db), '--runs').stdout.replace(/\d{4}-\d\d-\d\dT[\d:]+/g, 'T');
    expect(runs('three.db')).toBe(runs('one.db'));
  });

  it('--jobs writes every capture when workers finish out of order (regression: the run ended before the last capture was stored)', () => {
    // Thirty captures on three workers: a capture whose store work was still pending when the
    // others finished lost its sessions from the output (one run in eight with five captures).
    const dir = mkdtempSync(join(tmpdir(), 'captures-'));
    const fixtures = ['loopback-clients.pcap', 'mixed-benign-bad.pcap', 'loopback-clients.pcapng'];
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `${String(i).padStart(2, '0')}.pcap`), readFileSync(join(root, 'fixtures', fixtures[i % 3]!)));
    const one = run('--pcap', dir, '--format', 'jsonl', '--db', join(dir, 'one.db'), '--jobs', '1', '--keep-runs');
    const three = run('--pcap', dir, '--format', 'jsonl', '--db', join(dir, 'three.db'), '--jobs', '3', '--keep-runs');
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(18 * 20 + 19 * 10);
    expect(three.stdout.split('\n')).toEqual(one.stdout.split('\n'));
  });

  it('goes on past a capture that cannot be read, names it in one line, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'captures-'));
    writeFileSync(join(dir, 'a.pcap'), 'not a capture');
    writeFileSync(join(dir, 'b.pcap'), readFileSync(fixture));
    const r = run('--pcap', dir, '--format', 'jsonl', '--no-db');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/a\.pcap: not a pcap or pcapng file/)]);
    expect(r.stdout.trim().split('\n')).toHaveLength(18);
  });

  it('reads a capture from stdin with --pcap -', () => {
    const r = spawnSync(process.execPath, [cli, '--pcap', '-', '--format', 'jsonl'], { input: readFileSync(fixture), encoding: 'utf8', cwd: tmp });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(18);
  });

  it('opens TLS 1.3 certificates with --keylog', () => {
    const r = run('--pcap', fixture, '--format', 'jsonl', '--keylog', join(root, 'fixtures/loopback-clients.keylog'));
    const first = JSON.parse(r.stdout.split('\n')[0]!) as { tls: { version: string; certificates: { subject: string }[]; alpn_selected: string } };
    expect(first.tls.version).toBe('TLS 1.3');
    expect(first.tls.certificates[0]?.subject).toMatch(/CN=rsa\.tls443\.test/);
    expect(first.tls.alpn_selected).toBe('http/1.1');
  });

  // Regression: `analyze ... | head` used to die on an unhandled EPIPE.
  it('stops quietly when the reader of its output goes away', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" --pcap "${join(root, 'fixtures/loopback-clients.pcapng')}" --format jsonl --all-ports | head -c 10`], { encoding: 'utf8', cwd: tmp });
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe('');
  });

  it('warns, but succeeds, when the last record is cut short', () => {
    const cut = join(tmp, 'cut.pcap');
    const bytes = readFileSync(fixture);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const r = run('--pcap', cut, '--format', 'jsonl');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning/);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(10);
  });
});

describe('classifier on the command line', () => {
  it('analyze rules lists every rule with its id and severity', () => {
    const r = run('rules');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^protocol\.not-tls-on-tls-port +high /m);
    expect(r.stdout).toMatch(/^cert\.self-signed +medium /m);
  });

  it('--fail-on exits 1 when a finding reaches the severity, 0 otherwise', () => {
    // The fixture's plain HTTP and SSH flows on 443 are high findings.
    expect(run('--pcap', fixture, '--no-db', '--format', 'jsonl', '--fail-on', 'high').code).toBe(1);
    expect(run('--pcap', fixture, '--no-db', '--format', 'jsonl', '--fail-on', 'critical').code).toBe(0);
  });

  it('--policy allows a server: its findings drop to info and its verdict to ok', () => {
    const policy = join(tmp, 'site.yaml');
    writeFileSync(policy, 'allow:\n  servers: [127.0.0.5/32, 127.0.0.6]\n');
    const r = run('--pcap', fixture, '--no-db', '--format', 'jsonl', '--policy', policy, '--fail-on', 'low');
    const sessions = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { server_ip: string; verdict: string; findings: { severity: string }[] });
    for (const s of sessions.filter((x) => x.server_ip === '127.0.0.5' || x.server_ip === '127.0.0.6')) {
      expect(s.verdict).toBe('ok');
      expect(s.findings.every((f) => f.severity === 'info')).toBe(true);
    }
  });
});

describe('bad input: one line, exit 2', () => {
  it('a policy that does not parse', () => {
    const f = join(tmp, 'bad-policy.json');
    writeFileSync(f, '{"rules": {"no.such-rule": "high"}}');
    expectOneLineError(run('--pcap', fixture, '--no-db', '--policy', f), /--policy/);
  });
  it('a missing file', () => expectOneLineError(run('--pcap', join(tmp, 'nope.pcap')), /nope\.pcap/));
  it('a directory without captures', () => expectOneLineError(run('--pcap', mkdtempSync(join(tmpdir(), 'no-captures-'))), /no capture files in this directory/));
  it('a pcap whose link type is not decoded', () => {
    const f = join(tmp, 'linktype147.pcap');
    // pcap header (LE, µs, snaplen 65535, LINKTYPE_USER0 = 147) and one 4-byte packet.
    const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000093000000', 'hex');
    const record = Buffer.from('00000000000000000400000004000000deadbeef', 'hex');
    writeFileSync(f, Buffer.concat([header, record]));
    expectOneLineError(run('--pcap', f, '--no-db'), /link type LINKTYPE 147 is not supported: none of its 1 packets can be decoded/);
  });
  it('an empty file', () => {
    const f = join(tmp, 'empty.pcap');
    writeFileSync(f, '');
    expectOneLineError(run('--pcap', f), /empty|not a (pcap|capture)/i);
  });
  it('a PNG', () => {
    const f = join(tmp, 'image.png');
    writeFileSync(f, Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'));
    expectOneLineError(run('--pcap', f), /not a pcap|not a capture/i);
  });
  it.skipIf(process.getuid?.() === 0)('an unreadable file', () => {
    const f = join(tmp, 'secret.pcap');
    writeFileSync(f, readFileSync(fixture));
    chmodSync(f, 0);
    expectOneLineError(run('--pcap', f), /secret\.pcap/);
  });
  it('a bad --ports list', () => expectOneLineError(run('--pcap', fixture, '--ports', '443,https'), /--ports/));
  it('a --keylog without secrets', () => {
    const f = join(tmp, 'keys.txt');
    writeFileSync(f, 'hello\n');
    expectOneLineError(run('--pcap', fixture, '--keylog', f), /--keylog/);
  });
  it('no --pcap at all', () => expectOneLineError(run('--format', 'jsonl'), /--pcap/));
});
