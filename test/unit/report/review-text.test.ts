import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colorFor, noColor, renderReviewText, wrap } from '../../../src/report/review-text.js';
import { finding, META, sample, session } from './sessions.js';

// eslint-disable-next-line no-control-regex
const ESC = /\u001b/;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('review text', () => {
  it('lists the flagged sessions most severe first with evidence and leaf certificate facts', () => {
    const out = renderReviewText(sample(), META, { env: {} });
    expect(out).toMatch(/^Review of test\.pcap\nfrom test\.db\nrun #1 test\.pcap \(complete\)\n/);
    expect(out).toMatch(/Sessions 6, flagged 4: critical 1, high 1, medium 1, low 1\n/);
    expect(out).toMatch(/Top rules: self_signed 2, sni_mismatch 2, known_c2_ja3 1\n/);
    const heads = out.split('\n').filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO|NONE) /.test(l)).map((l) => l.split(' ')[0]);
    // The info-only session is context, not flagged (classify/severity.ts isFlagged).
    expect(heads).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(out).toContain(`    CRITICAL  known_c2_ja3: known_c2_ja3 fired\n              ja3: ${'c'.repeat(32)}\n              list: abuse.ch\n`);
    expect(out).toMatch(/chain {5}self_signed, sni matches\n {4}facts {5}self_signed/);
    expect(out).toMatch(/sni MISMATCH/);
    expect(out).not.toContain('host0.example.test'); // the clean session is not listed
    expect(renderReviewText(sample(), { ...META, all: true }, { env: {} })).toContain('host0.example.test');
  });

  it('fits an 80-column terminal, even with long values', () => {
    const long = session(7, { findings: [finding('x'.repeat(120), 'high', { blob: 'y'.repeat(300), list: ['a b c '.repeat(30)] }, 'word '.repeat(60))] }, {
      sni: 'a'.repeat(200) + '.example',
      alpn: Array.from({ length: 40 }, (_, i) => `proto${i}`),
    });
    const out = renderReviewText([...sample(), long], { ...META, title: 'T'.repeat(150) }, { env: {} });
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(out.replace(/\n\s*/g, '')).toContain('a'.repeat(200));
  });

  it('escapes terminal control characters from the capture', () => {
    const evil = session(8, { findings: [finding('r', 'high', { sni: 'x\u001b]0;owned\u0007' }, 'msg\r\nFAKE LINE')], anomalies: ['bad\u001b[2J'] }, {
      sni: 'evil\u001b[31m.test\u202egnp.exe',
    });
    const out = renderReviewText([evil], META, { env: {} });
    expect(out).not.toMatch(ESC);
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u0007');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('evil\\x1b[31m.test\\u202egnp.exe');
    expect(out).toContain('msg\\x0d\\x0aFAKE LINE');
    expect(out).toContain('bad\\x1b[2J');
  });

  it('uses colour only when asked, and never under NO_COLOR', () => {
    expect(renderReviewText(sample(), META, { env: {} })).not.toMatch(ESC);
    const coloured = renderReviewText(sample(), META, { color: true, env: {} });
    expect(coloured).toMatch(ESC);
    expect(coloured).toContain('\u001b[31mHIGH    \u001b[39m');
    // eslint-disable-next-line no-control-regex
    for (const line of coloured.split('\n')) expect(line.replace(/\u001b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(80);
    expect(renderReviewText(sample(), META, { color: true, env: { NO_COLOR: '1' } })).not.toMatch(ESC);
    vi.stubEnv('NO_COLOR', '1');
    expect(renderReviewText(sample(), META, { color: true })).not.toMatch(ESC);
  });

  it('says so when nothing is flagged', () => {
    expect(renderReviewText([session(0)], META, { env: {} })).toMatch(/No flagged sessions \(--all lists every session\)\.\n$/);
    expect(renderReviewText([], META, { env: {} })).toMatch(/No sessions\.\n$/);
  });
});

describe('colorFor', () => {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true, getColorDepth: () => 8, hasColors: () => true }) as unknown as NodeJS.WriteStream;

  it('is off for a pipe, on for a colour TTY, off under NO_COLOR', () => {
    vi.stubEnv('FORCE_COLOR', undefined);
    expect(colorFor(new PassThrough() as unknown as NodeJS.WriteStream, {})).toBe(false);
    expect(colorFor(tty(), {})).toBe(true);
    expect(colorFor(tty(), { NO_COLOR: '1' })).toBe(false);
  });

  it('reads NO_COLOR as set and not empty', () => {
    expect(noColor({ NO_COLOR: '1' })).toBe(true);
    expect(noColor({ NO_COLOR: '' })).toBe(false);
    expect(noColor({})).toBe(false);
  });
});

describe('wrap', () => {
  it('wraps on spaces, cuts long words, keeps prefixes', () => {
    expect(wrap('aa bb cc', '> ', '  ', 10)).toEqual(['> aa bb cc']);
    expect(wrap('aaaa bbbb cccc', '> ', '  ', 10)).toEqual(['> aaaa', '  bbbb', '  cccc']);
    expect(wrap('x'.repeat(20), '', '', 8)).toEqual(['x'.repeat(8), 'x'.repeat(8), 'x'.repeat(4)]);
    expect(wrap('', 'p ', '', 10)).toEqual(['p']);
  });
});
