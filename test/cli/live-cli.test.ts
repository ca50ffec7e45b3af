/**
 * `analyze --interface lo`: a real capture through tcpdump of a real TLS connection, whose
 * session is printed as soon as it is over (the wall clock ends its linger), and one still open
 * at Ctrl-C (SIGINT), which must flush it and exit 0. Needs root (or capture rights)
 * and tcpdump: skipped with a message otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { cli, ensureBuilt } from '../store/helpers.js';
import { makeSelfSigned } from '../helpers/self-signed.js';

const canCapture = process.getuid?.() === 0 && spawnSync('tcpdump', ['--version']).status === 0;
if (!canCapture) console.warn('live-cli.test: skipped (needs root and tcpdump)');

describe.skipIf(!canCapture)('analyze --interface', () => {
  it('captures TLS on loopback: a closed connection is printed at once, an open one when Ctrl-C ends the run', async () => {
    ensureBuilt();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = createServer(makeSelfSigned('live.tls443.test'), (s) => s.write('hi'));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const child = spawn(process.execPath, [cli, '--interface', 'lo', '--bpf', `tcp port ${port}`, '--format', 'jsonl', '--no-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      // tcpdump is capturing once the analyzer says so.
      for (let i = 0; i < 100 && !/capturing on lo/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toMatch(/capturing on lo with tcpdump -i lo/);
      await new Promise<void>((resolve, reject) => {
        const c = connect({ host: '127.0.0.1', port, servername: 'live.tls443.test', rejectUnauthorized: false }, () => c.end());
        c.on('data', () => {});
        c.on('close', () => resolve());
        c.on('error', reject);
      });
      // The connection closed: its session is printed once the 5 s linger is over, by the wall
      // clock (no later packet comes on this idle link), before any Ctrl-C.
      for (let i = 0; i < 100 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toMatch(/"sni":"live\.tls443\.test"/);
      // A second connection, still open at Ctrl-C: the flush must print it too.
      const open = await new Promise<TLSSocket>((resolve, reject) => {
        const c = connect({ host: '127.0.0.1', port, servername: 'open.tls443.test', rejectUnauthorized: false }, () => resolve(c));
        c.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      open.destroy();
      expect(code).toBe(0);
      const sessions = stdout.trim().split('\n').map((l) => JSON.parse(l) as { server_port: number; tls: { sni: string } | null });
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).toMatchObject({ server_port: port, tls: { sni: 'live.tls443.test' } });
      expect(sessions[1]).toMatchObject({ server_port: port, tls: { sni: 'open.tls443.test' } });
      expect(stderr).toMatch(/interrupted/);
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
  }, 30_000);

  it('names a missing interface in one line and exits 2', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [cli, '--interface', 'nosuchif0', '--no-db'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no interface "nosuchif0"/)]);
  });
});
