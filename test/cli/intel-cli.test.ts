/**
 * `analyze intel import` / `intel list`, then `analyze --pcap` with the same --db: a crafted list
 * naming the JA3 of one fixture client gives exactly the sessions with that JA3 an intel finding.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/model/session.js';
import { cli, ensureBuilt, fixture, goldenSessions } from '../store/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'analyze-intel-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 120_000);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('analyze intel', () => {
  const ja3 = goldenSessions().map((s) => s.tls?.ja3).find((j): j is string => typeof j === 'string')!;
  const db = join(dir, 'same.db');

  it('imports a crafted list, lists it, and the next analyze run flags that JA3', () => {
    const list = join(dir, 'crafted.csv');
    writeFileSync(list, `kind,value,label,verdict,source\nja3,${ja3.toUpperCase()},Test implant,malicious,crafted-test\n`);
    const imp = run('intel', 'import', list, '--db', db);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/crafted\.csv: fingerprints, 1 rows \(ja3 1\)/);
    const again = run('intel', 'import', list, '--db', db);
    expect(again.stdout).toMatch(/1 intel rows in all/);
    expect(run('intel', 'list', '--db', db).stdout).toMatch(/crafted\.csv\s+crafted-test\s+ja3\s+malicious\s+1/);

    const r = run('--pcap', fixture, '--db', db, '--format', 'jsonl');
    expect(r.code).toBe(0);
    const sessions = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as SessionRecord);
    const hit = sessions.filter((s) => s.findings.some((f) => f.rule === 'intel.client-fingerprint'));
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.map((s) => s.session_id).sort()).toEqual(sessions.filter((s) => s.tls?.ja3 === ja3).map((s) => s.session_id).sort());
    for (const s of hit) {
      expect(s.findings.find((f) => f.rule === 'intel.client-fingerprint')).toMatchObject({ severity: 'medium', evidence: { list: 'crafted-test', label: 'Test implant' } });
    }
  });

  it('an unknown list format is one line naming the file, exit 2', () => {
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, 'a,b\n1,2\n');
    const r = run('intel', 'import', odd, '--db', join(dir, 'other.db'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/odd\.csv: unknown intel list format/);
  });
});
