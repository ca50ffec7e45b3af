import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../src/model/session.js';
import { renderReport, REPORT_FORMATS } from '../../../src/report/render.js';
import { isFlagged, maxSeverity, reviewOrder, reviewSummary } from '../../../src/report/review.js';
import { finding, META, sample, session } from './sessions.js';

describe('renderReport', () => {
  it('renders every format', () => {
    for (const f of REPORT_FORMATS) expect(renderReport(f, sample(), META).length).toBeGreaterThan(0);
    expect(renderReport('text', sample(), META)).toMatch(/^Review of test\.pcap\n/);
    expect(renderReport('html', sample(), META)).toMatch(/^<!DOCTYPE html>/);
    expect(renderReport('csv', sample(), META)).toMatch(/^session_id,start,/);
  });

  it('lists the same sessions in the same order in every format', () => {
    // The info-only session (5) is context, not flagged (classify/severity.ts isFlagged).
    const ids = ['sess0000000000000002', 'sess0000000000000003', 'sess0000000000000004', 'sess0000000000000001'];
    const jsonl = renderReport('jsonl', sample(), META).trim().split('\n').map((l) => (JSON.parse(l) as SessionRecord).session_id);
    expect(jsonl).toEqual(ids);
    const json = JSON.parse(renderReport('json', sample(), META)) as { sessions: SessionRecord[]; summary: { sessions: number; flagged: number }; generated_from: string };
    expect(json.sessions.map((s) => s.session_id)).toEqual(ids);
    expect(json.summary).toMatchObject({ sessions: 6, flagged: 4 });
    expect(json.generated_from).toBe('test.db');
    const csv = renderReport('csv', sample(), META).trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(csv).toEqual(ids);
    const all = renderReport('jsonl', sample(), { ...META, all: true }).trim().split('\n');
    expect(all).toHaveLength(6);
  });

  it('passes colour to text only, and NO_COLOR still wins', () => {
    expect(renderReport('text', sample(), META, { color: true, env: {} })).toContain('\u001b[');
    expect(renderReport('text', sample(), META, { color: true, env: { NO_COLOR: 'x' } })).not.toContain('\u001b[');
    expect(renderReport('html', sample(), META, { color: true, env: {} })).not.toContain('\u001b[');
  });
});

describe('review helpers', () => {
  it('ranks by severity, then score, then start', () => {
    const a = session(1, { findings: [finding('x', 'medium')], score: 10 });
    const b = session(2, { findings: [finding('x', 'medium')], score: 50 });
    const c = session(3, { findings: [finding('x', 'low'), finding('y', 'critical')] });
    const d = session(4, { verdict: 'suspicious' });
    const e = session(5);
    expect(reviewOrder([a, b, c, d, e]).map((s) => s.session_id.slice(-1))).toEqual(['3', '2', '1', '4']);
    expect(maxSeverity(c)).toBe('critical');
    expect(isFlagged(d)).toBe(true);
    expect(isFlagged(e)).toBe(false);
    expect(reviewSummary([a, b, c, d, e]).bySeverity).toEqual({ critical: 1, high: 0, medium: 2, low: 0, info: 0, none: 1 });
  });
});
