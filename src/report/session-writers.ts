/**
 * The `analyze` output formats as writers that sessions stream through (issue 7: a session is
 * written when it ends). One writer serves every capture of a run of the command.
 *   jsonl  one session record per line, as each session ends: nothing is held back;
 *   json   one document; its "sessions" array streams, the totals follow it at the end;
 *   text   a summary per capture, rendered when the capture is done (bounded, text.ts).
 */
import type { SessionRecord } from '../model/session.js';
import { TOOL_VERSION } from '../version.js';
import { sessionLine } from './jsonl.js';
import type { Output } from './output.js';
import { SummaryCounter } from './summary.js';
import { TextReport } from './text.js';

/** What is known of a capture once it is read to its end. */
export interface CaptureDone {
  file: string;
  format: string;
  packets: number;
  bytes: number;
  problems: { name: string; message: string; offset: number; fatal: boolean }[];
  stats: unknown;
  seconds: number;
}

export interface SessionWriter {
  session(s: SessionRecord): void;
  captureDone(capture: CaptureDone): void;
  /** After the last capture. */
  end(): void;
}

export class JsonlWriter implements SessionWriter {
  constructor(private readonly out: Output) {}
  session(s: SessionRecord): void {
    this.out.write(sessionLine(s));
  }
  captureDone(): void {}
  end(): void {}
}

export class JsonDocumentWriter implements SessionWriter {
  private sessions = 0;
  private readonly summary = new SummaryCounter();
  private readonly captures: CaptureDone[] = [];

  private started = false;

  constructor(private readonly out: Output) {}

  /** Written with the first session or at the end, so that a run that fails at once prints nothing. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.out.write(`{\n "tool": ${JSON.stringify({ name: 'analyze', version: TOOL_VERSION })},\n "sessions": [`);
  }

  session(s: SessionRecord): void {
    this.start();
    this.summary.add(s);
    // Laid out as JSON.stringify(document, null, 1) would lay it out, one session at a time.
    this.out.write(`${this.sessions++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(s, null, 1).replace(/\n/g, '\n  ')}`);
  }

  captureDone(capture: CaptureDone): void {
    this.captures.push(capture);
  }

  end(): void {
    if (this.captures.length === 0) return;
    this.start();
    const tail: Record<string, unknown> = {};
    const describe = ({ file, format, packets, bytes, problems }: CaptureDone) => ({ file, format, packets, bytes, problems });
    if (this.captures.length === 1) {
      tail.capture = describe(this.captures[0]!);
      tail.stats = this.captures[0]!.stats;
    } else {
      tail.captures = this.captures.map((c) => ({ ...describe(c), stats: c.stats }));
    }
    tail.summary = this.summary.summary();
    const rest = JSON.stringify(tail, null, 1).slice(1, -2); // the members, without the braces
    this.out.write(`${this.sessions === 0 ? '' : '\n '}],${rest}\n}\n`);
  }
}

export class TextWriter implements SessionWriter {
  private report = new TextReport();
  private captures = 0;

  constructor(private readonly out: Output) {}

  session(s: SessionRecord): void {
    this.report.add(s);
  }

  captureDone(c: CaptureDone): void {
    if (this.captures++ > 0) this.out.write('\n');
    this.out.write(this.report.render({ file: c.file, format: c.format, packets: c.packets, bytes: c.bytes, seconds: c.seconds, problems: [] }));
    this.report = new TextReport();
  }

  end(): void {}
}
