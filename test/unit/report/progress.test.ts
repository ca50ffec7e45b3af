import { describe, expect, it } from 'vitest';
import { ProgressBar, progressLine } from '../../../src/report/progress.js';

describe('progress line', () => {
  it('shows the share, bytes, rate and ETA when the size is known', () => {
    expect(progressLine(250e6, 1e9, 0.5, 80)).toBe('[########......................]  25%  250 MB of 1.00 GB  500 MB/s  ETA 2 s');
  });
  it('shows bytes and rate only when the size is unknown (stdin, gzip)', () => {
    expect(progressLine(5e6, null, 2, 80)).toBe('5.0 MB  2.5 MB/s');
  });
  it('fits the terminal', () => {
    expect(progressLine(250e6, 1e9, 0.5, 40).length).toBeLessThan(40);
  });
});

describe('when a bar is shown', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  it('only on a terminal, and not with --quiet', () => {
    expect(ProgressBar.wanted(tty, false)).toBe(process.env.TERM !== 'dumb');
    expect(ProgressBar.wanted(tty, true)).toBe(false);
    expect(ProgressBar.wanted(pipe, false)).toBe(false);
  });
});
