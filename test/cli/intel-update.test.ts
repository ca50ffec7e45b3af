/**
 * `analyze intel update` against a local HTTPS server started here (127.0.0.1 only, a certificate
 * made at test time with openssl): feeds in abuse.ch's format land in the database; a 404, a wrong
 * format, an untrusted certificate, a timeout or an unreachable address are one line, exit 2, and
 * leave the database as it was.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError } from '../helpers/built-cli.js';
import { downloadText, FetchError } from '../../src/intel/update.js';
import { cli, ensureBuilt, root } from '../store/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'analyze-intel-update-'));
const caFile = join(dir, 'cert.pem');
let server: Server;
let base = '';

const SSLBL_HEADER = [
  '################################################################',
  '# abuse.ch SSLBL SSL Certificate Blacklist (SHA1 Fingerprints) #',
  '# Last updated: 2025-01-02 03:04:05 UTC                        #',
  '#                                                              #',
  '# Terms of Use: https://sslbl.abuse.ch/blacklist/              #',
  '# For questions please contact sslbl [at] abuse.ch             #',
  '################################################################',
  '#',
  '# Listingdate,SHA1,Listingreason',
].join('\n');
const SSLBL = `${SSLBL_HEADER}\n2025-01-01 10:00:00,${'a1'.repeat(20)},Dridex C&C\n2025-01-01 11:00:00,${'B2'.repeat(20)},AsyncRAT C&C\n`;
const SSLBL_ONE = `${SSLBL_HEADER}\n2025-01-02 10:00:00,${'c3'.repeat(20)},QuakBot C&C\n`;
const JA3 = [
  '################################################################',
  '# abuse.ch SSLBL JA3 Fingerprint Blacklist                     #',
  '# Last updated: 2025-01-02 03:04:05 UTC                        #',
  '################################################################',
  '#',
  '# ja3_md5,Firstseen,Lastseen,Listingreason',
  `${'0'.repeat(31)}1,2019-01-01 00:00:00,2025-01-01 00:00:00,Tofsee`,
  `${'0'.repeat(31)}2,2019-01-01 00:00:00,2025-01-01 00:00:00,TrickBot`,
  `${'0'.repeat(31)}3,2019-01-01 00:00:00,2025-01-01 00:00:00,Dridex`,
  '',
].join('\n');

const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {
  '/sslbl.csv': (res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(SSLBL),
  '/sslbl-one.csv': (res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(SSLBL_ONE),
  '/ja3.csv': (res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(JA3),
  '/moved': (res) => res.writeHead(302, { location: '/ja3.csv' }).end(),
  '/html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html>\n<html><body>Maintenance</body></html>\n'),
  '/big': (res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('#'.repeat(64 * 1024)),
  '/hang': () => {},
};

beforeAll(async () => {
  ensureBuilt();
  // helpers.ensureBuilt watches src/cli and src/store only.
  const dist = join(root, 'dist/intel/update.js');
  if (!existsSync(dist) || statSync(dist).mtimeMs < statSync(join(root, 'src/intel/update.ts')).mtimeMs) {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')]);
  }
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', caFile,
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(key), cert: readFileSync(caFile) }, (req, res) => {
    const route = routes[new URL(req.url ?? '/', 'https://x').pathname];
    if (route) route(res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI without blocking this process (the server answers from this event loop). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { NODE_EXTRA_CA_CERTS: _drop, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000, env: { ...rest, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: unknown }).code as number | null) : 0, stdout, stderr });
    });
  });
}

const update = (db: string, ...more: string[]) => run(['intel', 'update', '--db', db, ...more]);
const urls = (sslbl: string, ja3: string) => ['--url', `sslbl=${base}${sslbl}`, '--url', `ja3=${base}${ja3}`];


describe('analyze intel update', () => {
  const db = join(dir, 'intel.db');
  let listed = '';

  it('downloads both feeds (CA from --ca-file) and stores them as intel import would', async () => {
    const r = await update(db, ...urls('/sslbl.csv', '/ja3.csv'), '--ca-file', caFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sslblacklist\.csv: abuse\.ch-sslbl, 2 rows \(cert_sha1 2\)/);
    expect(r.stdout).toMatch(/ja3_fingerprints\.csv: abuse\.ch-sslbl-ja3, 3 rows \(ja3 3\)/);
    const list = await run(['intel', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ja3_fingerprints\.csv\s+abuse\.ch-sslbl-ja3\s+ja3\s+malicious\s+3/);
    expect(list.stdout).toMatch(/sslblacklist\.csv\s+abuse\.ch-sslbl\s+cert_sha1\s+malicious\s+2/);
    expect(list.stdout).toMatch(/^5 rows$/m);
    listed = list.stdout;
  });

  it('trusts the CA through NODE_EXTRA_CA_CERTS, follows a redirect, and replaces the rows of the previous update', async () => {
    const other = join(dir, 'env.db');
    expect((await update(other, ...urls('/sslbl.csv', '/ja3.csv'), '--ca-file', caFile)).code).toBe(0);
    const r = await run(['intel', 'update', '--db', other, '--source', 'sslbl', '--url', `sslbl=${base}/sslbl-one.csv`], { NODE_EXTRA_CA_CERTS: caFile });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/ja3/);
    const moved = await run(['intel', 'update', '--db', other, '--source', 'ja3', '--url', `ja3=${base}/moved`], { NODE_EXTRA_CA_CERTS: caFile });
    expect(moved.code).toBe(0);
    const list = (await run(['intel', 'list', '--db', other])).stdout;
    expect(list).toMatch(/sslblacklist\.csv\s+abuse\.ch-sslbl\s+cert_sha1\s+malicious\s+1$/m);
    expect(list).toMatch(/^4 rows$/m);
  });

  it('a 404 is one line, exit 2, and nothing is stored (not even the feed that downloaded)', async () => {
    const r = await update(db, ...urls('/sslbl-one.csv', '/gone.csv'), '--ca-file', caFile);
    expectOneLineError(r, /intel update: 127\.0\.0\.1:\d+ answered https:\/\/127\.0\.0\.1:\d+\/gone\.csv with HTTP 404.*nothing changed — import files with 'analyze intel import FILE'/);
    expect((await run(['intel', 'list', '--db', db])).stdout).toBe(listed);
  });

  it('an answer that is not the expected list is rejected and nothing is stored', async () => {
    const html = await update(db, ...urls('/sslbl-one.csv', '/html'), '--ca-file', caFile);
    expectOneLineError(html, /intel update: https:\/\/127\.0\.0\.1:\d+\/html: unknown intel list format.*nothing changed/);
    const swapped = await update(db, ...urls('/sslbl-one.csv', '/sslbl.csv'), '--ca-file', caFile);
    expectOneLineError(swapped, /got a abuse\.ch-sslbl list, expected abuse\.ch-sslbl-ja3 for source ja3; nothing changed/);
    expect((await run(['intel', 'list', '--db', db])).stdout).toBe(listed);
  });

  it('an unreachable address gives the offline message', async () => {
    const r = await update(db, '--url', 'sslbl=https://127.0.0.1:1/sslblacklist.csv', '--source', 'sslbl');
    expectOneLineError(r, /^analyze: intel update: cannot reach 127\.0\.0\.1:1 \(connect ECONNREFUSED\); nothing changed — import files with 'analyze intel import FILE'$/m);
    expect((await run(['intel', 'list', '--db', db])).stdout).toBe(listed);
  });

  it('an untrusted certificate and a timeout are one line each', async () => {
    const untrusted = await update(db, ...urls('/sslbl.csv', '/ja3.csv'));
    expectOneLineError(untrusted, /cannot reach 127\.0\.0\.1:\d+ \(certificate not trusted: [A-Z_]+\); nothing changed/);
    const slow = await update(db, '--source', 'ja3', '--url', `ja3=${base}/hang`, '--ca-file', caFile, '--timeout', '0.5');
    expectOneLineError(slow, /cannot reach 127\.0\.0\.1:\d+ \(timed out after 0\.5 s\); nothing changed/);
    expect((await run(['intel', 'list', '--db', db])).stdout).toBe(listed);
  });

  it('bad --url values are usage errors', async () => {
    expectOneLineError(await update(db, '--url', 'nope=https://127.0.0.1/x'), /--url nope=https:\/\/127\.0\.0\.1\/x: expected NAME=URL with NAME one of sslbl, ja3/);
    expectOneLineError(await update(db, '--url', 'ja3=http://127.0.0.1/x'), /only https URLs are downloaded/);
  });
});

describe('downloadText', () => {
  it('abandons an answer over the size cap', async () => {
    const ca = readFileSync(caFile, 'utf8');
    await expect(downloadText(`${base}/big`, { ca, maxBytes: 1024 })).rejects.toThrow(FetchError);
    await expect(downloadText(`${base}/big`, { ca, maxBytes: 1024 })).rejects.toMatchObject({ reason: 'answer larger than 1024 bytes' });
    expect(await downloadText(`${base}/ja3.csv`, { ca })).toBe(JA3);
  });
});
