/**
 * FlowTable's timing of a flow's end: a closed TCP flow (both FINs, or a RST) is finished once
 * 5 s of capture time pass without another packet of it, whatever the 10 s sweep is doing.
 */
import { describe, expect, it } from 'vitest';
import { DecodedPacket, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../src/decode/decoded-packet.js';
import { FlowTable } from '../../../src/flow/flow-table.js';
import type { Flow } from '../../../src/flow/flow.js';

const S = 1e6; // µs

/** A payload-less IPv4 TCP packet 10.0.0.<a>:<sport> -> 10.0.0.<b>:<dport>. */
function tcp(a: number, sport: number, b: number, dport: number, flags: number): DecodedPacket {
  const p = new DecodedPacket();
  p.data = Uint8Array.of(10, 0, 0, a, 10, 0, 0, b);
  p.ipVersion = 4;
  p.srcOff = 0;
  p.dstOff = 4;
  p.proto = 6;
  p.srcPort = sport;
  p.dstPort = dport;
  p.tcpFlags = flags;
  p.payloadOff = p.payloadEnd = 8;
  return p;
}

/** A table whose ended flows are listed as "client port @ capture second of the packet that ended it". */
function table() {
  const ended: string[] = [];
  let now = 0;
  const t = new FlowTable({ ports: new Set([443]), allPorts: false }, (f: Flow) => ended.push(`${f.aPort}@${now / S}`));
  const at = (ts: number, p: DecodedPacket): void => {
    now = ts;
    t.packet(ts, p);
  };
  // A connection from client port `port` closed with FINs at `closeAt`.
  const closedConnection = (port: number, openAt: number, closeAt: number): void => {
    at(openAt, tcp(1, port, 2, 443, TCP_SYN));
    at(openAt, tcp(2, 443, 1, port, TCP_SYN | TCP_ACK));
    at(closeAt, tcp(1, port, 2, 443, TCP_FIN | TCP_ACK));
    at(closeAt, tcp(2, 443, 1, port, TCP_FIN | TCP_ACK));
  };
  // Another client's traffic: packets that move capture time on.
  const tick = (ts: number): void => at(ts, tcp(3, 40000, 2, 443, TCP_ACK));
  return { t, ended, at, closedConnection, tick };
}

describe('FlowTable: closed flows end after their 5 s linger', () => {
  it('finishes a closed flow at the first packet more than 5 s after its last one, before the next sweep', () => {
    const { t, ended, closedConnection, tick } = table();
    closedConnection(50000, 0, 1 * S);
    tick(6 * S);
    expect(ended).toEqual([]);
    tick(6.5 * S);
    expect(ended).toEqual(['50000@6.5']);
    expect(t.size).toBe(1);
  });

  it('a packet after closing (a last ACK) starts the linger again, and flows end in the order they went quiet', () => {
    const { ended, at, closedConnection, tick } = table();
    closedConnection(50001, 0, 1 * S);
    closedConnection(50002, 0, 2 * S);
    at(3 * S, tcp(1, 50001, 2, 443, TCP_ACK));
    tick(7.5 * S);
    expect(ended).toEqual(['50002@7.5']);
    tick(8.5 * S);
    expect(ended).toEqual(['50002@7.5', '50001@8.5']);
  });

  it('a RST closes at once; a new SYN on a closed 4-tuple is a new flow that does not inherit the linger', () => {
    const { t, ended, at, tick } = table();
    at(0, tcp(1, 50003, 2, 443, TCP_SYN));
    at(0, tcp(2, 443, 1, 50003, TCP_SYN | TCP_ACK));
    at(1 * S, tcp(2, 443, 1, 50003, TCP_RST));
    at(2 * S, tcp(1, 50003, 2, 443, TCP_SYN));
    expect(ended).toEqual(['50003@2']);
    tick(9 * S);
    expect(ended).toEqual(['50003@2']);
    t.finishAll();
    expect(ended).toEqual(['50003@2', '50003@9', '40000@9']);
  });

  it('a closed flow that ends another way (here a new SYN on its 4-tuple) leaves the queue in order', () => {
    const { ended, at, closedConnection, tick } = table();
    closedConnection(50004, 0, 1 * S);
    closedConnection(50005, 0, 2 * S);
    closedConnection(50006, 0, 3 * S);
    at(4 * S, tcp(1, 50005, 2, 443, TCP_SYN));
    expect(ended).toEqual(['50005@4']);
    tick(6.5 * S);
    tick(8.5 * S);
    expect(ended).toEqual(['50005@4', '50004@6.5', '50006@8.5']);
  });
});

/** A UDP datagram 10.0.0.<a>:<sport> -> 10.0.0.<b>:<dport> carrying `text`. */
function udp(a: number, sport: number, b: number, dport: number, text: string): DecodedPacket {
  const p = tcp(a, sport, b, dport, 0);
  p.data = Uint8Array.from([10, 0, 0, a, 10, 0, 0, b, ...Buffer.from(text)]);
  p.proto = 17;
  p.payloadEnd = p.data.length;
  return p;
}

describe('FlowTable: UDP flows that will not be reported', () => {
  it('are kept 10 s after their last packet, not the 120 s UDP idle timeout', () => {
    const ended: string[] = [];
    let now = 0;
    // Port 53 is unreported, port 5353 reported (what the pipeline would answer is up to it).
    const t = new FlowTable({ ports: new Set([443]), allPorts: false, onInspectionDone: (f) => f.bPort !== 53 }, (f: Flow) => ended.push(`${f.bPort}@${now / S}`));
    const at = (ts: number, p: DecodedPacket): void => {
      now = ts;
      t.packet(ts, p);
    };
    for (const port of [53, 5353]) {
      at(0, udp(1, 40000, 2, port, 'query'));
      at(0, udp(2, port, 1, 40000, 'answer'));
    }
    at(9.5 * S, udp(3, 40001, 2, 443, 'x'));
    expect(ended).toEqual([]);
    // The sweep after 10 s of quiet (sweeps run every 10 s of capture time).
    at(10.5 * S, udp(3, 40001, 2, 443, 'x'));
    expect(ended).toEqual(['53@10.5']);
    at(100 * S, udp(3, 40001, 2, 443, 'x'));
    expect(ended).toEqual(['53@10.5']);
    expect(t.size).toBe(2);
  });

  it('TCP ones keep the TCP idle timeout: forgotten early, a quiet connection would come back without its SYN', () => {
    const ended: string[] = [];
    const done: number[] = [];
    const t = new FlowTable({ ports: new Set([443]), allPorts: false, onInspectionDone: (f) => {
        done.push(f.bPort);
        return false;
      } }, (f: Flow) => ended.push(String(f.bPort)));
    const syn = tcp(1, 40000, 2, 22, TCP_SYN);
    t.packet(0, syn);
    // More than the 16 KB a plaintext preamble may take before TLS: inspection is done, no TLS.
    const data = tcp(1, 40000, 2, 22, TCP_ACK);
    data.data = Uint8Array.from([10, 0, 0, 1, 10, 0, 0, 2, ...new Uint8Array(17_000).fill(0x41)]);
    data.payloadEnd = data.data.length;
    data.tcpSeq = syn.tcpSeq + 1;
    t.packet(1 * S, data);
    expect(done).toEqual([22]);
    t.packet(12 * S, udp(3, 40001, 2, 443, 'x'));
    t.packet(25 * S, udp(3, 40001, 2, 443, 'x'));
    expect(ended).toEqual([]);
    expect(t.size).toBe(2);
  });
});
