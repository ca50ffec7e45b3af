/**
 * Test-only: a throw-away PKI made with the openssl command line at test time, in a temp dir
 * that `cleanup()` removes. Keys: 'rsa:2048', 'rsa:1024', 'ec:P-256', 'ec:P-384', 'ed25519'.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec = 'rsa:2048' | 'rsa:1024' | 'ec:P-256' | 'ec:P-384' | 'ed25519';

export interface IssueOptions {
  /** Lines of the [ext] section, e.g. 'basicConstraints=critical,CA:TRUE'. */
  ext?: string[];
  days?: number;
  serial?: string;
  /** Extra arguments for `openssl x509 -req` (e.g. PSS -sigopt) or `req -x509`. */
  signArgs?: string[];
}

export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'x509-test-'));

  run(args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  private config(name: string, ext: string[]): string {
    const file = join(this.dir, `${name}.cnf`);
    const lines = ['[req]', 'distinguished_name = dn', 'x509_extensions = ext', 'prompt = no', '[dn]', '[ext]', ...ext];
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  private keyArgs(key: KeySpec): string[] {
    if (key.startsWith('rsa:')) return ['-newkey', key];
    if (key.startsWith('ec:')) return ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${key.slice(3)}`];
    return ['-newkey', 'ed25519'];
  }

  /** A self-signed certificate `name` (files name.pem, name.key). */
  selfSigned(name: string, key: KeySpec, subject: string, o: IssueOptions = {}): Uint8Array {
    const cfg = this.config(name, o.ext ?? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash']);
    this.run([
      'req', '-x509', '-config', cfg, ...this.keyArgs(key), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
      '-subj', subject, '-days', String(o.days ?? 365), '-set_serial', o.serial ?? '0x01', ...(o.signArgs ?? []),
    ]);
    return this.der(name);
  }

  /** A certificate `name` issued by the certificate `issuer` made earlier. */
  issue(name: string, issuer: string, key: KeySpec, subject: string, o: IssueOptions = {}): Uint8Array {
    const cfg = this.config(name, o.ext ?? ['basicConstraints=critical,CA:FALSE', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid']);
    this.run(['req', '-new', '-config', cfg, ...this.keyArgs(key), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    this.run([
      'x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', o.serial ?? '0x1001',
      '-days', String(o.days ?? 90), '-extfile', cfg, '-extensions', 'ext', '-out', `${name}.pem`, ...(o.signArgs ?? []),
    ]);
    return this.der(name);
  }

  pem(name: string): string {
    return readFileSync(join(this.dir, `${name}.pem`), 'utf8');
  }

  der(name: string): Uint8Array {
    const b64 = this.pem(name).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return Uint8Array.from(Buffer.from(b64, 'base64'));
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  write(file: string, text: string): string {
    writeFileSync(join(this.dir, file), text);
    return join(this.dir, file);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
