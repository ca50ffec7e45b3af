/** Ctrl-C handling for `analyze` (files and live captures alike). */

/** The minimal process surface onInterrupt needs (node's `process`, or a test emitter). */
export interface SignalTarget {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface InterruptHandle {
  /** The first signal received, or null: the CLI marks the run as interrupted by it. */
  readonly interrupted: NodeJS.Signals | null;
  /** Removes the listeners (call once the pipeline has finished). */
  dispose(): void;
}

/** What Ctrl-C stops: the reading of a file, or a live capture's tool. */
export interface Interruptible {
  /** Finish cleanly: stop reading (a file), or let the tool flush and exit (live). */
  stop(): void;
  /** Before exiting at once: kill what must not outlive us (the capture tool). */
  abort(): void;
}

/**
 * Ctrl-C (or SIGTERM) while analysing. The first signal stops the input, so what was read is
 * finished and stored as at the end of a file (a live capture's tool flushes first); `onFirst`
 * lets the CLI say so. A second signal aborts and exits now (128 + signal).
 */
export function onInterrupt(
  live: Interruptible,
  target: SignalTarget = process,
  onFirst?: (signal: NodeJS.Signals) => void,
): InterruptHandle {
  let interrupted: NodeJS.Signals | null = null;
  const listener = (signal: NodeJS.Signals): void => {
    if (interrupted === null) {
      interrupted = signal;
      live.stop();
      onFirst?.(signal);
      return;
    }
    live.abort();
    target.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  target.on('SIGINT', listener);
  target.on('SIGTERM', listener);
  return {
    get interrupted() {
      return interrupted;
    },
    dispose() {
      target.off('SIGINT', listener);
      target.off('SIGTERM', listener);
    },
  };
}
