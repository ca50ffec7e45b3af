import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandCapturePaths, MAX_CAPTURE_FILES } from '../../../src/cli/capture-paths.js';
import { CaptureInputError } from '../../../src/capture/source.js';
import { InputError } from '../../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'capture-paths-'));
afterAll(() => {
  chmodSync(join(root, 'locked', 'inner'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

function file(rel: string, content = 'x'): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

// caps/: what a capture directory looks like after a few tcpdump runs.
for (const f of [
  'caps/b.pcap',
  'caps/a.PCAPNG',
  'caps/c.cap.gz',
  'caps/d.pcap.gz',
  'caps/notes.txt',
  'caps/x.pcap1',
  'caps/x.pcap.1',
  'caps/.hidden.pcap',
  'caps/.git/h.pcap',
  'caps/sub/e.pcap',
  'caps/sub/deeper/f.dmp',
  'empty/readme.txt',
  'single.bin',
  'odd/a[1].pcap',
  'links/real.pcap',
  'order/Z.pcap',
  'order/a.pcap',
  'order/\u{ff5e}.pcap',
  'order/\u{1f600}.pcap',
  'locked/inner/g.pcap',
]) {
  file(f);
}
symlinkSync('..', join(root, 'caps/sub/loop')); // a directory loop: caps/sub/loop/sub/loop/...
symlinkSync(join(root, 'nowhere.pcap'), join(root, 'caps/dangling.pcap'));
symlinkSync('real.pcap', join(root, 'links/alias.pcap'));
execFileSync('mkfifo', [join(root, 'caps/fifo.pcap')]);
chmodSync(join(root, 'locked', 'inner'), 0o000);
const isRoot = process.getuid?.() === 0;

const expand = (...args: string[]): string[] => expandCapturePaths(args, { cwd: root }).files;

function failure(args: string[], opts: { maxFiles?: number } = {}): InputError {
  try {
    expandCapturePaths(args, { cwd: root, ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

const CAPS = ['caps/a.PCAPNG', 'caps/b.pcap', 'caps/c.cap.gz', 'caps/d.pcap.gz', 'caps/sub/deeper/f.dmp', 'caps/sub/e.pcap', 'caps/x.pcap1'];

describe('expandCapturePaths: files and stdin', () => {
  it('takes files as given, whatever their name, in argument order', () => {
    expect(expand('single.bin', 'caps/b.pcap', 'caps/notes.txt')).toEqual(['single.bin', 'caps/b.pcap', 'caps/notes.txt']);
  });

  it('takes a FIFO and a character device named on the command line', () => {
    expect(expand('caps/fifo.pcap', '/dev/null')).toEqual(['caps/fifo.pcap', '/dev/null']);
  });

  it("takes '-' alone and refuses it beside anything else", () => {
    expect(expand('-')).toEqual(['-']);
    for (const args of [['-', 'single.bin'], ['caps', '-'], ['-', '-']]) {
      const e = failure(args);
      expect(e.message).toBe("'-' (stdin) must be the only capture: it cannot be read beside other files");
      expect(e.exitCode).toBe(2);
    }
  });

  it('refuses an empty list', () => {
    expect(failure([]).code).toBe('NO_CAPTURE');
  });

  it("names a missing path in the reader's wording", () => {
    const e = failure(['single.bin', 'nope.pcap']);
    expect(e).toBeInstanceOf(CaptureInputError);
    expect(e.message).toBe("cannot read capture 'nope.pcap': no such file or directory");
    expect(e.code).toBe('ENOENT');
    expect(failure(['single.bin/x.pcap']).message).toBe("cannot read capture 'single.bin/x.pcap': a component of the path is not a directory");
  });

  it('reads an existing name with glob characters literally', () => {
    expect(expand('odd/a[1].pcap')).toEqual(['odd/a[1].pcap']);
  });
});

describe('expandCapturePaths: directories', () => {
  it('walks recursively by extension, skipping hidden entries, FIFOs, dangling links, symlinked dirs and logrotate names', () => {
    expect(expand('caps')).toEqual(CAPS);
    expect(expand('caps/')).toEqual(CAPS);
    expect(expand('./caps')).toEqual(CAPS);
  });

  it('sorts by UTF-8 byte order, not UTF-16 order', () => {
    // U+FF5E is EF BD 9E in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 it is the other way round.
    expect(expand('order')).toEqual(['order/Z.pcap', 'order/a.pcap', 'order/\u{ff5e}.pcap', 'order/\u{1f600}.pcap']);
  });

  it('expands a symlink to a directory named on the command line', () => {
    expect(expand('caps/sub/loop')).toEqual(CAPS.map((p) => p.replace('caps/', 'caps/sub/loop/')));
  });

  it('says so when a directory holds no capture', () => {
    const e = failure(['empty']);
    expect(e.message).toBe('empty: no capture files in this directory (looked for .pcap, .pcapng, .cap, .dmp and their .gz)');
    expect(e.code).toBe('NO_CAPTURES_IN_DIR');
  });

  it.skipIf(isRoot)('fails on a subdirectory it cannot read instead of dropping it', () => {
    const e = failure(['locked']);
    expect(e.message).toBe("cannot read capture 'locked/inner': permission denied");
    expect(e.code).toBe('EACCES');
  });

  it('stops at the cap on the number of captures', () => {
    expect(MAX_CAPTURE_FILES).toBe(10_000);
    expect(expandCapturePaths(['caps'], { cwd: root, maxFiles: CAPS.length }).files).toEqual(CAPS);
    const e = failure(['caps'], { maxFiles: 3 });
    expect(e.message).toBe("more than 3 capture files (reached in 'caps/d.pcap.gz'): name fewer, or analyse them in batches");
    expect(e.code).toBe('TOO_MANY_CAPTURES');
    expect(failure(['caps/**/*.pcap'], { maxFiles: 2 }).message).toBe(
      "more than 2 capture files (reached in 'caps/sub/e.pcap'): name fewer, or analyse them in batches",
    );
  });
});

describe('expandCapturePaths: globs', () => {
  it.each([
    ['caps/*.pcap', ['caps/b.pcap', 'caps/fifo.pcap']],
    ['caps/?.pcap', ['caps/b.pcap']],
    ['caps/[ab].*', ['caps/a.PCAPNG', 'caps/b.pcap']],
    ['caps/[a-b].*', ['caps/a.PCAPNG', 'caps/b.pcap']],
    ['caps/[!ab]*.gz', ['caps/c.cap.gz', 'caps/d.pcap.gz']],
    ['caps/*.pcap.*', ['caps/d.pcap.gz', 'caps/x.pcap.1']],
    ['caps/.*.pcap', ['caps/.hidden.pcap']],
    ['caps/**/*.pcap', ['caps/b.pcap', 'caps/fifo.pcap', 'caps/sub/e.pcap']],
    ['caps/**/**/*.dmp', ['caps/sub/deeper/f.dmp']],
    ['caps/sub/**', ['caps/sub/deeper/f.dmp', 'caps/sub/e.pcap']],
    ['caps/*/e.pcap', ['caps/sub/e.pcap']],
    ['c*/s*/deeper/*', ['caps/sub/deeper/f.dmp']],
    ['*.bin', ['single.bin']],
  ])('%s', (pattern, want) => {
    expect(expand(pattern)).toEqual(want);
  });

  it('matches case-sensitively', () => {
    expect(failure(['caps/*.PCAP']).message).toBe("no file matches 'caps/*.PCAP'");
  });

  it('expands an absolute pattern to absolute paths', () => {
    expect(expandCapturePaths([join(root, 'caps/*.gz')]).files).toEqual([join(root, 'caps/c.cap.gz'), join(root, 'caps/d.pcap.gz')]);
  });

  it('names a glob that matches nothing, or only directories', () => {
    for (const pattern of ['caps/*.nothing', 'caps/s*', 'missing/*.pcap']) {
      const e = failure(['single.bin', pattern]);
      expect(e.message).toBe(`no file matches '${pattern}'`);
      expect(e.code).toBe('NO_MATCH');
    }
  });

  it('refuses a reversed range', () => {
    expect(failure(['caps/[z-a].pcap']).message).toBe("bad glob 'caps/[z-a].pcap': invalid character class");
  });
});

describe('expandCapturePaths: duplicates', () => {
  it('analyses a file named several ways once, at its first position', () => {
    expect(expand('caps/d.pcap.gz', 'single.bin', 'caps', './caps/b.pcap', 'caps/*.gz', 'caps/sub/loop')).toEqual([
      'caps/d.pcap.gz',
      'single.bin',
      ...CAPS.filter((p) => p !== 'caps/d.pcap.gz'),
    ]);
  });

  it('treats a symlink to a file and the file as one capture', () => {
    expect(expand('links')).toEqual(['links/alias.pcap']);
    expect(expand('links/real.pcap', 'links')).toEqual(['links/real.pcap']);
  });
});
