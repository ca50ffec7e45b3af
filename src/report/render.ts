/**
 * The one entry point of `analyze report`: the sessions it selected, rendered in one format.
 * Every format lists the same sessions in the same order (review.ts): the flagged ones, most
 * severe first, or all of them with `meta.all`. Summaries (text header, HTML cards, JSON
 * `summary`) count every session given, so the caller may pass a whole run and let the
 * renderer pick the flagged ones.
 */
import type { SessionRecord } from '../model/session.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { sessionLine } from './jsonl.js';
import { reviewOrder, reviewSummary } from './review.js';
import { renderReviewText, type ReportMeta, type TextOptions } from './review-text.js';

export type ReportFormat = 'text' | 'json' | 'jsonl' | 'csv' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'jsonl', 'csv', 'html'];
export type { ReportMeta } from './review-text.js';

export interface RenderOptions {
  /** Text only: ANSI colours (compute with `colorFor(process.stdout)`); NO_COLOR always wins. */
  color?: boolean;
  env?: TextOptions['env'];
}

export function renderReport(format: ReportFormat, sessions: SessionRecord[], meta: ReportMeta, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderReviewText(sessions, meta, options);
    case 'html':
      return renderHtml(sessions, meta);
    case 'csv':
      return renderCsv(reviewOrder(sessions, meta.all === true));
    case 'jsonl':
      return reviewOrder(sessions, meta.all === true).map(sessionLine).join('');
    case 'json': {
      const s = reviewSummary(sessions);
      const doc = {
        title: meta.title,
        generated_from: meta.generatedFrom,
        runs: meta.runs,
        summary: { sessions: s.sessions, flagged: s.flagged, by_severity: s.bySeverity, top_rules: s.topRules },
        sessions: reviewOrder(sessions, meta.all === true),
      };
      return JSON.stringify(doc, null, 2) + '\n';
    }
  }
}
