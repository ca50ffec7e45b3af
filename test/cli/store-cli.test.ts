/**
 * The store through the command line (built dist/analyze.js): analyze stores by default, the
 * same file again replaces its run, `report` and `show` read it back, and a file that is not a
 * database of ours is one line on stderr with exit 2.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError } from '../helpers/built-cli.js';
import type { SessionRecord } from '../../src/model/session.js';
import { listRules } from '../../src/classify/classifier.js';
import { SessionStore } from '../../src/store/sqlite-store.js';
import { cleanSessions, cli, ensureBuilt, finding, fixture, goldenSessions, variant } from '../store/helpers.js';

let dir = '';
function fresh(): string {
  dir = mkdtempSync(join(tmpdir(), 'analyze-store-cli-'));
  return dir;
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


const jsonl = (out: string): SessionRecord[] =>
  out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as SessionRecord);

beforeAll(() => ensureBuilt(), 120_000);

describe('analyze --pcap stores the run', () => {
  it('in ./analyze.db by default, and says how to review it', () => {
    fresh();
    const r = run('--pcap', fixture);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'analyze.db'))).toBe(true);
    expect(r.stdout).toMatch(/Flagged: \d+ of 18 sessions \([a-z0-9, ]+\)\nStored in analyze\.db \(run 1\); review with: analyze report --db analyze\.db\n$/);
  });

  it('not at all with --no-db', () => {
    fresh();
    const r = run('--pcap', fixture, '--no-db');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Not stored \(--no-db\)/);
    expect(existsSync(join(dir, 'analyze.db'))).toBe(false);
  });

  it('replaces the run when the same file is analysed again, keeps both with --keep-runs', () => {
    fresh();
    const db = join(dir, 'runs.db');
    expect(run('--pcap', fixture, '--db', db, '--format', 'jsonl').code).toBe(0);
    expect(run('--pcap', fixture, '--db', db, '--format', 'jsonl').code).toBe(0);
    let store = SessionStore.open(db);
    expect(store.runs().map((r) => [r.id, r.status, r.sessions, r.packets])).toEqual([[2, 'complete', 18, 288]]);
    store.close();
    expect(run('--pcap', fixture, '--db', db, '--keep-runs', '-q').code).toBe(0);
    store = SessionStore.open(db);
    expect(store.runs().map((r) => r.id)).toEqual([2, 3]);
    expect(store.countSessions({ all: true })).toBe(36);
    store.close();
    const runs = run('report', '--db', db, '--runs');
    expect(runs.stdout).toMatch(/ {3}2 {2}complete +18 +\d+ .*loopback-clients\.pcap\n +3 {2}complete/);
  });

  it('leaves no run behind when the input is not a capture', () => {
    fresh();
    const png = join(dir, 'image.png');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'));
    expect(run('--pcap', png).code).toBe(2);
    const store = SessionStore.open(join(dir, 'analyze.db'));
    expect(store.runs()).toEqual([]);
    store.close();
  });
});

describe('analyze report and show', () => {
  it('says when nothing is flagged; --all lists every stored session', () => {
    fresh();
    // A site policy that turns every rule off leaves nothing flagged.
    const quiet = join(dir, 'quiet.json');
    writeFileSync(quiet, JSON.stringify({ disable: listRules().map((r) => r.id) }));
    run('--pcap', fixture, '-q', '--policy', quiet);
    const none = run('report');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No flagged sessions/);
    expect(jsonl(run('report', '--format', 'jsonl').stdout)).toEqual([]);
    const all = jsonl(run('report', '--all', '--format', 'jsonl').stdout);
    expect(all).toHaveLength(18);
    expect(all.map((x) => x.session_id).sort()).toEqual(goldenSessions().map((x) => x.session_id).sort());
  });

  it('stores the sessions exactly as analyze prints them', () => {
    fresh();
    run('--pcap', fixture, '-q');
    expect(jsonl(run('report', '--all', '--format', 'jsonl').stdout)).toEqual(expect.arrayContaining(goldenSessions()));
  });

  it('filters by severity, rule, SNI, address and time, most severe first, in every format', () => {
    fresh();
    const db = join(dir, 'f.db');
    const [a, b, c] = cleanSessions();
    const store = SessionStore.open(db);
    const id = store.beginRun({ file: 'synthetic.pcap', size: 1, sha256: 'x', options: {} });
    store.addSessions(id, [
      variant(c!, 'med1', { findings: [finding('old_tls', 'medium')], start: '2026-11-24T12:00:00.000000Z', sni: 'other.test', client_ip: '10.0.0.9' }),
      variant(a!, 'crit1', { findings: [finding('beacon', 'critical')], start: '2026-11-24T10:00:00.000000Z', sni: 'evil.example.com', server_ip: '203.0.113.7' }),
      variant(b!, 'high1', { findings: [finding('self_signed', 'high')], start: '2026-11-24T11:00:00.000000Z', sni: 'mail.example.com' }),
      variant(b!, 'clean1', { start: '2026-11-24T08:00:00.000000Z' }),
    ]);
    store.finishRun(id, { packets: 0, bytes: 0 });
    store.close();
    const ids = (...args: string[]) => {
      const r = run('report', '--db', db, '--format', 'jsonl', ...args);
      expect(r.stderr).toBe('');
      return jsonl(r.stdout).map((s) => s.session_id);
    };
    expect(ids()).toEqual(['crit1', 'high1', 'med1']);
    expect(ids('--all')).toEqual(['crit1', 'high1', 'med1', 'clean1']);
    expect(ids('--severity', 'high')).toEqual(['crit1', 'high1']);
    expect(ids('--rule', 'old_tls')).toEqual(['med1']);
    expect(ids('--sni', '*.example.com')).toEqual(['crit1', 'high1']);
    expect(ids('--ip', '10.0.0.9')).toEqual(['med1']);
    expect(ids('--ip', '203.0.113.7')).toEqual(['crit1']);
    expect(ids('--since', '2026-11-24T10:30:00Z')).toEqual(['high1', 'med1']);
    expect(ids('--until', '2026-11-24 11:00')).toEqual(['crit1', 'high1']);
    expect(ids('--run', String(id), '--severity', 'critical')).toEqual(['crit1']);

    const json = JSON.parse(run('report', '--db', db, '--format', 'json').stdout) as { sessions: SessionRecord[]; runs: unknown[] };
    expect(json.sessions.map((s) => s.session_id)).toEqual(['crit1', 'high1', 'med1']);
    expect(json.runs).toEqual([{ id, file: 'synthetic.pcap', status: 'complete' }]);
    const text = run('report', '--db', db);
    expect(text.stdout.indexOf('beacon')).toBeLessThan(text.stdout.indexOf('self_signed'));
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(run('report', '--db', db, '--format', 'csv').stdout.trim().split('\n')).toHaveLength(4);
    const html = join(dir, 'r.html');
    expect(run('report', '--db', db, '--format', 'html', '-o', html).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/evil\.example\.com/);
  });

  // Regression: the capture's path made the first line of `show` overflow 80 columns in CI's
  // deeper checkout; the path is now shortened from the left.
  it('show fits 80 columns whatever the capture path', () => {
    fresh();
    const deep = join(dir, 'a-rather-long-directory-name-for-captures', 'and-another-one-below-it');
    mkdirSync(deep, { recursive: true });
    copyFileSync(fixture, join(deep, 'loopback-clients.pcap'));
    run('--pcap', join(deep, 'loopback-clients.pcap'), '-q');
    const id = (JSON.parse(run('report', '--all', '--format', 'jsonl').stdout.split('\n')[0]!) as SessionRecord).session_id;
    for (const line of run('show', id).stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('show prints one session: handshake, every certificate, findings; --format json the record', () => {
    fresh();
    run('--pcap', fixture, '-q');
    const s = goldenSessions().find((x) => (x.tls?.certificates.length ?? 0) >= 2)!;
    const text = run('show', s.session_id);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`session ${s.session_id}`);
    expect(text.stdout).toMatch(/handshake\n {2}version +TLS 1\.2/);
    expect(text.stdout).toMatch(/certificate 1 of \d \(leaf\)\n {2}subject +CN=/);
    expect(text.stdout).toMatch(/cert\.validity-too-long/);
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(JSON.parse(run('show', s.session_id.slice(0, 8), '--format', 'json').stdout)).toEqual(s);
    expectOneLineError(run('show', 'ffffffffffff'), /no session ffffffffffff/);
  });

  it('rejects a bad time and an unknown run in one line', () => {
    fresh();
    run('--pcap', fixture, '-q');
    expectOneLineError(run('report', '--since', 'yesterday'), /--since/);
    expectOneLineError(run('report', '--run', '42'), /no run 42/);
  });
});

describe('a database that is not ours: one line, exit 2', () => {
  const cases: [string, (p: string) => void, RegExp][] = [
    ['a PNG', (p) => writeFileSync(p, Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex')), /not a SQLite database/],
    ['a text file', (p) => writeFileSync(p, 'hello\n'), /not a SQLite database/],
    [
      "someone else's SQLite database",
      (p) => {
        const d = new Database(p);
        d.exec('CREATE TABLE notes (body TEXT)');
        d.close();
      },
      /not one written by analyze/,
    ],
  ];
  it.each(cases)('%s, for analyze --db, report and show', (_name, make, message) => {
    fresh();
    const db = join(dir, 'x.db');
    make(db);
    const before = readFileSync(db);
    expectOneLineError(run('--pcap', fixture, '--db', db), message);
    expectOneLineError(run('report', '--db', db), message);
    expectOneLineError(run('show', 'abcdef', '--db', db), message);
    expect(readFileSync(db)).toEqual(before);
  });

  it('a missing database for report', () => {
    fresh();
    expectOneLineError(run('report', '--db', join(dir, 'none.db')), /no such database/);
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
  });
});
