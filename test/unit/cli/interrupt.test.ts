import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onInterrupt } from '../../../src/cli/interrupt.js';

describe('onInterrupt', () => {
  function target() {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    return { emitter, exits, t: { on: emitter.on.bind(emitter), off: emitter.off.bind(emitter), exit: (c: number) => void exits.push(c) } };
  }

  it('first Ctrl-C stops the capture, the second kills the tool and exits 130', () => {
    const calls: string[] = [];
    const { emitter, exits, t } = target();
    const h = onInterrupt({ stop: () => calls.push('stop'), abort: () => calls.push('abort') }, t, (s) => calls.push(`first ${s}`));
    emitter.emit('SIGINT', 'SIGINT');
    expect([calls, exits, h.interrupted]).toEqual([['stop', 'first SIGINT'], [], 'SIGINT']);
    emitter.emit('SIGINT', 'SIGINT');
    expect([calls, exits]).toEqual([['stop', 'first SIGINT', 'abort'], [130]]);
  });

  it('SIGTERM stops too; dispose removes the listeners', () => {
    const calls: string[] = [];
    const { emitter, exits, t } = target();
    const h = onInterrupt({ stop: () => calls.push('stop'), abort: () => calls.push('abort') }, t);
    emitter.emit('SIGTERM', 'SIGTERM');
    emitter.emit('SIGTERM', 'SIGTERM');
    expect([calls, exits, h.interrupted]).toEqual([['stop', 'abort'], [143], 'SIGTERM']);
    h.dispose();
    expect([emitter.listenerCount('SIGINT'), emitter.listenerCount('SIGTERM')]).toEqual([0, 0]);
  });
});
