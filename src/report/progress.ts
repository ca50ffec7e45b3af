/**
 * A progress line on stderr for long captures: bytes read, rate, and the ETA when the size is
 * known. Only on a TTY (never in pipes, files or CI logs) and never with --quiet; redrawn at
 * most every 100 ms, and cleared at the end so the summary starts on a clean line.
 */
export class ProgressBar {
  private lastDraw = 0;
  private readonly started = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    /** Bytes to read in all, or null when unknown (stdin, gzip). */
    private readonly total: number | null,
  ) {}

  /** Whether a bar would show at all on this stream. */
  static wanted(stream: NodeJS.WriteStream, quiet: boolean): boolean {
    return !quiet && stream.isTTY === true && process.env.TERM !== 'dumb';
  }

  update(bytes: number): void {
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[2K${progressLine(bytes, this.total, (now - this.started) / 1000, this.stream.columns || 80)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
  }
}

/** "[#####.....] 41%  420 MB of 1.07 GB  612 MB/s  ETA 1 s" (pure, for tests). */
export function progressLine(bytes: number, total: number | null, seconds: number, columns: number): string {
  const rate = seconds > 0 ? bytes / seconds : 0;
  const parts = [`${mb(bytes)}${total !== null ? ` of ${mb(total)}` : ''}`, `${mb(rate)}/s`];
  let bar = '';
  if (total !== null && total > 0) {
    const f = Math.min(1, bytes / total);
    const width = Math.max(10, Math.min(30, columns - 50));
    const full = Math.round(f * width);
    bar = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%  `;
    if (rate > 0) parts.push(`ETA ${Math.ceil((total - bytes) / rate)} s`);
  }
  return (bar + parts.join('  ')).slice(0, columns - 1);
}

function mb(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
}
