/**
 * `analyze --pcap A B dir/ 'caps/*.pcap.gz'`: turns the --pcap arguments into the ordered list
 * of captures to read, one by one, into the same run. Runs once at startup, before any byte is
 * read, so it uses synchronous fs calls and throws (InputError, exit 2, one line) instead of
 * returning problems as values like the pipeline does.
 *
 * Rules, per argument, in the order given:
 * - `-` is stdin; it must be the only argument (stdin cannot be read between two files).
 * - A path that exists and is not a directory (regular file, FIFO, character device such as
 *   /dev/stdin or a named pipe) is taken as given, whatever its name: the reader recognises
 *   captures by their magic, not their extension.
 * - A directory (or a symlink to one, when named on the command line) is walked recursively
 *   for capture files, chosen by name, case-insensitively: .pcap .pcapng .cap .dmp, each
 *   optionally followed by the digits tcpdump -C/-W appends when it rotates (`x.pcap1`,
 *   `x.pcap07`), and each optionally gzipped (`.gz`). Logrotate-style `x.pcap.1` is NOT taken
 *   (`.1` says nothing about the content): name such files or use a glob. Only regular files
 *   (or symlinks to them) are taken, never FIFOs met during a walk (opening one would block).
 *   Hidden entries (name starting with `.`) are skipped, symlinked directories are not
 *   followed (no loops, no walking out of the tree), dangling symlinks are skipped. The
 *   directory's captures are sorted by path in byte order (UTF-8, like `LC_ALL=C sort`).
 * - An argument that does not exist but contains `*`, `?` or `[` is a glob, expanded here
 *   (Node 20 has no fs.glob): `*` any run of characters and `?` one character, both within a
 *   path segment; `[abc]`, `[a-z]`, `[!x]` (or `[^x]`) a class; a segment that is exactly `**`
 *   any number of directories, zero included. As in the shell, `*`, `?` and `**` do not match
 *   a leading `.` (write `.*` to), `**` does not follow symlinked directories, matching is
 *   case-sensitive, there are no backslash escapes (write `[*]`), and an unclosed `[` is a
 *   literal. Every non-directory match is taken whatever its name (the pattern chose it);
 *   the matches are sorted in byte order. A glob matching no file is an error naming it.
 *   A path that exists is never read as a glob, so `caps/a[1].pcap` works as a plain name.
 * - A missing path: "cannot read capture 'X': no such file or directory" (CaptureInputError,
 *   the reader's own wording). A directory without captures is an error too: the user
 *   pointed at it expecting something.
 * - A file named twice (also through a directory, a glob, `./`, or a symlink; identity is
 *   device + inode) is analysed once, at its first position.
 * - More than MAX_CAPTURE_FILES captures is an error rather than a silent cut: the run would
 *   otherwise report on a subset without saying which.
 */
import { readdirSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CaptureInputError } from '../capture/source.js';
import { InputError } from '../errors.js';

/** Captures one run takes from --pcap (after directories and globs are expanded). */
export const MAX_CAPTURE_FILES = 10_000;

export interface ExpandOptions {
  /** Directory relative arguments are resolved against (default process.cwd()); outputs stay relative. */
  cwd?: string;
  /** Overrides MAX_CAPTURE_FILES (tests). */
  maxFiles?: number;
}

export interface CapturePaths {
  /** Paths to hand to readCapture, in order: as typed for files, joined under a directory or glob base otherwise; `-` for stdin. */
  files: string[];
}

/** Extensions a directory walk takes: the name, optional rotation digits, optional .gz. */
const CAPTURE_NAME = /\.(?:pcap|pcapng|cap|dmp)\d*(?:\.gz)?$/i;
const GLOB_MAGIC = /[*?[]/;

/** Expands the --pcap arguments; throws InputError (or its CaptureInputError) for the first bad one. */
export function expandCapturePaths(args: readonly string[], opts: ExpandOptions = {}): CapturePaths {
  const cwd = opts.cwd ?? process.cwd();
  const maxFiles = opts.maxFiles ?? MAX_CAPTURE_FILES;
  if (args.length === 0) throw new InputError('no capture given (--pcap FILE, a directory, a glob, or - for stdin)', 'NO_CAPTURE');
  if (args.includes('-')) {
    if (args.length > 1) throw new InputError("'-' (stdin) must be the only capture: it cannot be read beside other files", 'STDIN_MIXED');
    return { files: ['-'] };
  }

  const files: string[] = [];
  const seen = new Set<string>();
  const take = (path: string, st: BigIntStats): void => {
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    files.push(path);
    if (files.length > maxFiles) {
      throw new InputError(`more than ${maxFiles} capture files (reached in '${path}'): name fewer, or analyse them in batches`, 'TOO_MANY_CAPTURES');
    }
  };

  for (const arg of args) {
    const abs = resolve(cwd, arg);
    const st = statOrNull(abs);
    if (st === null && GLOB_MAGIC.test(arg)) {
      const matches = expandGlob(arg, cwd, maxFiles);
      if (matches.length === 0) throw new InputError(`no file matches '${arg}'`, 'NO_MATCH');
      for (const m of matches) take(m.path, m.st);
    } else if (st === null) {
      throw statError(arg, abs);
    } else if (st.isDirectory()) {
      const found = walkDirectory(arg, abs, maxFiles);
      if (found.length === 0) {
        throw new InputError(`${arg}: no capture files in this directory (looked for .pcap, .pcapng, .cap, .dmp and their .gz)`, 'NO_CAPTURES_IN_DIR');
      }
      for (const m of found) take(m.path, m.st);
    } else {
      take(arg, st);
    }
  }
  return { files };
}

interface Found {
  path: string;
  st: BigIntStats;
}

function statOrNull(abs: string): BigIntStats | null {
  try {
    return statSync(abs, { bigint: true });
  } catch {
    return null;
  }
}

/** Re-stats to get the real reason (ENOENT, EACCES, ENOTDIR, ELOOP) in the reader's wording. */
function statError(arg: string, abs: string): InputError {
  try {
    statSync(abs);
  } catch (err) {
    return fsError(arg, err);
  }
  return new CaptureInputError(arg, 'EIO', 'cannot be read');
}

const DETAIL: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

function fsError(path: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? 'EIO';
  return new CaptureInputError(path, code, DETAIL[code] ?? e.message);
}

function readDir(out: string, abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    // An unreadable subdirectory fails the run: skipping it would silently drop captures.
    throw fsError(out, err);
  }
}

/** Byte order of the UTF-8 encodings (JS `<` compares UTF-16 units, which differs above U+FFFF). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function walkDirectory(out: string, abs: string, maxFiles: number): Found[] {
  const found: Found[] = [];
  const visit = (outDir: string, absDir: string): void => {
    for (const d of readDir(outDir, absDir)) {
      // Stop early on a huge tree; the caller reports the cap.
      if (found.length > maxFiles) return;
      if (d.name.startsWith('.')) continue;
      const childOut = join(outDir, d.name);
      const childAbs = join(absDir, d.name);
      if (d.isDirectory()) {
        visit(childOut, childAbs);
        continue;
      }
      if (!CAPTURE_NAME.test(d.name)) continue;
      if (!d.isFile() && !d.isSymbolicLink()) continue;
      // A symlink counts only when it leads to a regular file; dangling ones are skipped.
      const st = statOrNull(childAbs);
      if (st === null || !st.isFile()) continue;
      found.push({ path: childOut, st });
    }
  };
  visit(out, abs);
  return found.sort((a, b) => byteOrder(a.path, b.path));
}

/** `[...]` at `i` as a regex class and the index after it, or null when unclosed. */
function bracket(seg: string, i: number): { re: string; next: number } | null {
  let j = i + 1;
  let negate = false;
  if (seg[j] === '!' || seg[j] === '^') {
    negate = true;
    j++;
  }
  // A `]` right after the opening (or its negation) is a member, as in POSIX.
  const start = j;
  if (seg[j] === ']') j++;
  while (j < seg.length && seg[j] !== ']') j++;
  if (j >= seg.length) return null;
  const body = seg.slice(start, j).replace(/[\\\]^]/g, (c) => `\\${c}`);
  return { re: `[${negate ? '^' : ''}${body}]`, next: j + 1 };
}

/** One path segment of a glob as an anchored regex. */
function segmentRegex(seg: string, pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; ) {
    const c = seg[i]!;
    if (c === '*') {
      re += '.*';
      while (seg[i] === '*') i++;
      continue;
    }
    if (c === '?') re += '.';
    else if (c === '[') {
      const b = bracket(seg, i);
      if (b !== null) {
        re += b.re;
        i = b.next;
        continue;
      }
      re += '\\[';
    } else re += c.replace(/[.+^${}()|\\\]]/g, (x) => `\\${x}`);
    i++;
  }
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    // Only a reversed range (`[z-a]`) gets here.
    throw new InputError(`bad glob '${pattern}': invalid character class`, 'BAD_GLOB');
  }
}

type Matcher = { kind: 'any-depth' } | { kind: 'literal'; name: string } | { kind: 'pattern'; re: RegExp; dotOk: boolean };

function expandGlob(pattern: string, cwd: string, maxFiles: number): Found[] {
  const parts = pattern.split('/');
  // Leading literal segments form the base the walk starts from ('' for an absolute pattern).
  let firstMagic = parts.findIndex((p) => GLOB_MAGIC.test(p));
  if (firstMagic < 0) firstMagic = parts.length;
  const baseOut = parts.slice(0, firstMagic).join('/');
  const baseAbs = isAbsolute(pattern) ? baseOut || '/' : resolve(cwd, baseOut);
  const matchers: Matcher[] = parts
    .slice(firstMagic)
    .filter((p) => p !== '')
    .map((p) => {
      if (p === '**') return { kind: 'any-depth' };
      if (!GLOB_MAGIC.test(p)) return { kind: 'literal', name: p };
      return { kind: 'pattern', re: segmentRegex(p, pattern), dotOk: p.startsWith('.') };
    });
  // A trailing `**` means every file below, like `**/*`.
  if (matchers.at(-1)?.kind === 'any-depth') matchers.push({ kind: 'pattern', re: /^.*$/s, dotOk: false });

  const results = new Map<string, Found>();
  // `**/**` or `**/x/**` reach the same (directory, position) by several routes: visit each once.
  const visited = new Set<string>();
  const walk = (outDir: string, absDir: string, k: number): void => {
    const key = `${k}\0${absDir}`;
    // Stop early on a huge tree (`/**`); the caller reports the cap.
    if (visited.has(key) || results.size > maxFiles) return;
    visited.add(key);
    const m = matchers[k];
    if (m === undefined) return;
    const last = k === matchers.length - 1;
    const child = (name: string): [string, string] => [outDir === '' ? name : join(outDir, name), join(absDir, name)];

    if (m.kind === 'any-depth') {
      walk(outDir, absDir, k + 1);
      for (const d of listDir(absDir)) {
        if (d.name.startsWith('.') || !d.isDirectory()) continue; // Dirent: a symlink is not a directory
        const [o, a] = child(d.name);
        walk(o, a, k);
      }
      return;
    }

    const names =
      m.kind === 'literal'
        ? [m.name]
        : listDir(absDir)
            .map((d) => d.name)
            .filter((n) => (m.dotOk || !n.startsWith('.')) && m.re.test(n));
    for (const name of names) {
      const [o, a] = child(name);
      const st = statOrNull(a);
      if (st === null) continue;
      if (last) {
        if (!st.isDirectory()) results.set(o, { path: o, st });
      } else if (st.isDirectory()) {
        walk(o, a, k + 1);
      }
    }
  };

  const rootOut = isAbsolute(pattern) && baseOut === '' ? '/' : baseOut;
  if (statOrNull(baseAbs)?.isDirectory()) walk(rootOut, baseAbs, 0);
  return [...results.values()].sort((a, b) => byteOrder(a.path, b.path));
}

/** A glob skips directories it cannot list, like the shell: only its matches matter. */
function listDir(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
}
