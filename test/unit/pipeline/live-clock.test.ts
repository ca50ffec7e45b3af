/**
 * analyzeCapture with liveClock (analyze --interface): the wall clock finishes a closed flow whose
 * linger is over though no later packet comes, and a failure while doing so ends the run with
 * that error instead of escaping from the timer.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CLIENT_IP, SERVER_IP, TCP, tcpFrame } from '../../../scripts/adversarial-captures.mjs';
import type { SessionRecord } from '../../../src/model/session.js';
import { analyzeCapture } from '../../../src/pipeline/analyze.js';
import { writePcap } from '../../property/capture-writer.js';

/** A classic pcap (Ethernet) of `frames`, each stamped `tsUs`. */
function pcap(frames: { tsUs: number; frame: Buffer }[]): Uint8Array {
  const records = frames.map(({ tsUs, frame }) => ({ sec: Math.floor(tsUs / 1e6), frac: tsUs % 1e6, data: frame }));
  return writePcap({ le: true, nanos: false, linkType: 1, records }).bytes;
}

/** A connection to port 443 that opened and closed 10 s ago (its 5 s linger is over now). */
function closedConnection(): Uint8Array {
  const t = (Date.now() - 10_000) * 1000;
  const c = { src: CLIENT_IP, dst: SERVER_IP, sport: 50000, dport: 443 };
  const s = { src: SERVER_IP, dst: CLIENT_IP, sport: 443, dport: 50000 };
  return pcap([
    { tsUs: t, frame: tcpFrame({ ...c, seq: 1, flags: TCP.SYN }) },
    { tsUs: t + 1000, frame: tcpFrame({ ...s, seq: 9, ack: 2, flags: TCP.SYN | TCP.ACK }) },
    { tsUs: t + 2000, frame: tcpFrame({ ...c, seq: 2, ack: 10, flags: TCP.FIN | TCP.ACK }) },
    { tsUs: t + 3000, frame: tcpFrame({ ...s, seq: 10, ack: 3, flags: TCP.FIN | TCP.ACK }) },
  ]);
}

describe('analyzeCapture: the live clock', () => {
  it('writes a closed connection once its linger is over, while the capture goes on', async () => {
    const input = new PassThrough();
    const sessions: SessionRecord[] = [];
    const done = analyzeCapture('-', { ports: new Set([443]), allPorts: false, input, liveClock: true, onSession: (s) => sessions.push(s) });
    input.write(closedConnection());
    for (let i = 0; i < 40 && sessions.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ client_port: 50000, server_port: 443 });
    input.end();
    await done;
    expect(sessions).toHaveLength(1);
  });

  it('ends the run with the error of a session written by the clock (not an uncaught exception)', async () => {
    const input = new PassThrough();
    const failure = new Error('the store is full');
    const done = analyzeCapture('-', {
      ports: new Set([443]), allPorts: false, input, liveClock: true,
      onSession: () => {
        throw failure;
      },
    });
    input.write(closedConnection());
    await expect(done).rejects.toBe(failure);
  });
});
