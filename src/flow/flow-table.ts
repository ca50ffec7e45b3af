/**
 * The flow table: finds each packet's flow in one Map lookup, creates flows, retires idle and
 * closed ones, and hands finished flows to the session stage.
 *
 * Every TCP and UDP flow is looked up, whatever its ports, so that TLS on another port
 * (STARTTLS, proxies, non-standard ports) is found too; flows on a service port are reported
 * whatever they carry, others only when they turn out to be TLS (or with --all-ports).
 * Once a flow is `done`, a packet costs the lookup and a few counters (principle 4).
 */
import { LIMITS } from '../config/limits.js';
import { DecodedPacket, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/decoded-packet.js';
import { ipToString } from '../decode/ip-address.js';
import { Flow } from './flow.js';
import type { SecretsLookup } from '../keylog/key-log.js';
import { flowKey } from './flow-key.js';
import { FlowIndex } from './flow-index.js';

export interface FlowTableOptions {
  /** Service ports: a flow with either port here is always reported. */
  ports: ReadonlySet<number>;
  /** Report every flow, whatever its ports. */
  allPorts: boolean;
  /** Key log secrets for handshake decryption, or null. */
  secrets?: SecretsLookup | null;
  /**
   * A flow's payloads have told all they will (its stage became 'done') while the flow goes on.
   * Returns false when nothing of the flow will be reported (a DNS exchange, other protocols
   * off the service ports): the table then keeps a UDP one only while it is busy.
   */
  onInspectionDone?: (flow: Flow) => boolean;
}

/** How often (capture time) idle flows are looked for. */
const SWEEP_INTERVAL_US = 10 * 1e6;
/** A closed TCP flow (both FIN, or RST) is kept this long for its last ACKs, then finished. */
const CLOSED_LINGER_US = 5 * 1e6;
/**
 * A UDP flow that will not be reported is kept this long without a packet (instead of the UDP
 * idle timeout): a DNS lookup's flow otherwise stayed two minutes, as many as there were lookups.
 * Not TCP: a quiet TCP connection forgotten early comes back without its SYN, and such a flow is
 * searched for TLS records in mid-stream (a rare false match would then be reported).
 */
const UNREPORTED_IDLE_US = 10 * 1e6;

/**
 * A flow in the table: its slot in the index, its place in the list of flows by creation time
 * and, once closed, in the queue of closed flows waiting out their linger.
 */
class Entry {
  slot = -1;
  older: Entry | null = null;
  newer: Entry | null = null;
  closing = false;
  /** A UDP flow nothing of which will be reported (onInspectionDone said so). */
  unreported = false;
  prevClosing: Entry | null = null;
  nextClosing: Entry | null = null;
  /** The flow's lastTs when it was queued (a later packet sends it to the back of the queue). */
  queuedAt = 0;
  constructor(readonly flow: Flow) {}
}

export class FlowTable {
  private readonly index = new FlowIndex<Entry>();
  /** Flows by creation time: sweeps and the end of the capture finish them in this order. */
  private oldest: Entry | null = null;
  private newest: Entry | null = null;
  /**
   * Closed flows (both FINs, or a RST) by the time of their last packet: each is finished once
   * CLOSED_LINGER_US passes without another packet, so its session comes out then (a live
   * capture prints it within seconds), not at the next sweep, and its state is not kept longer.
   */
  private closingHead: Entry | null = null;
  private closingTail: Entry | null = null;
  private nextSweepTs = 0;
  /** Flows finished early because the table was full. */
  evicted = 0;

  constructor(
    private readonly options: FlowTableOptions,
    private readonly onFlowEnd: (flow: Flow) => void,
  ) {}

  get size(): number {
    return this.index.size;
  }

  /**
   * Capture time has reached `ts`: finish the closed flows whose linger is over and, every
   * SWEEP_INTERVAL_US, the idle ones. Every packet moves the clock; a live capture's wall clock
   * moves it too, so that an idle link's last sessions come out.
   */
  advanceTo(ts: number): void {
    if (ts >= this.nextSweepTs) this.sweep(ts);
    const closing = this.closingHead;
    if (closing !== null && ts - closing.queuedAt > CLOSED_LINGER_US) this.finishClosed(ts);
  }

  /** One decoded TCP or UDP packet. */
  packet(ts: number, p: DecodedPacket): void {
    this.advanceTo(ts);
    const key = flowKey(p);
    const fromA = key.fromA;
    let entry = this.index.get(key.words);
    let flow = entry?.flow;
    if (flow !== undefined && p.proto === 6 && (p.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && flow.packets > 2 && flow.closed) {
      // A new SYN on a closed connection's 4-tuple: port reuse, a new connection.
      this.end(entry!);
      flow = undefined;
      flowKey(p, key); // end() may have reused the shared key object
    }
    if (flow === undefined) {
      flow = this.create(ts, p, fromA);
      entry = new Entry(flow);
      this.index.add(key.words, entry);
      this.link(entry);
    }
    // Raw direction 0 is the creating packet's source.
    const dir: 0 | 1 = (fromA === (flow.aIsKeyA)) ? 0 : 1;
    flow.packets++;
    flow.lastTs = ts;
    const len = p.payloadEnd - p.payloadOff;
    flow.payloadBytes[dir] += len;
    if (p.proto === 6) {
      const flags = p.tcpFlags;
      if (flags & TCP_FIN) flow.finDirs |= 1 << dir;
      if (flags & TCP_RST) flow.rst = true;
      if (!entry!.closing && flow.closed) this.queueClosing(entry!, ts);
      if (flow.stage === 'inspect') {
        if (p.truncated) flow.anomaly('snaplen_truncated_payload');
        flow.tcpSegment(dir, p.tcpSeq, flags, p.data.subarray(p.payloadOff, p.payloadEnd));
        this.inspected(entry!);
      }
    } else if (flow.stage === 'inspect') {
      flow.udpDatagram(dir, p.data.subarray(p.payloadOff, p.payloadEnd));
      this.inspected(entry!);
    }
  }

  /** After a payload: tell when it ended the flow's inspection. */
  private inspected(e: Entry): void {
    if (e.flow.stage === 'done' && this.options.onInspectionDone?.(e.flow) === false && e.flow.transport === 'udp') e.unreported = true;
  }

  /** End of the capture: every flow still open is finished, oldest first. */
  finishAll(): void {
    while (this.oldest !== null) this.end(this.oldest);
  }

  private create(ts: number, p: DecodedPacket, fromA: boolean): Flow {
    if (this.index.size >= LIMITS.maxFlows) this.evictOldest();
    const tcp = p.proto === 6;
    const { ports, allPorts } = this.options;
    const srcService = ports.has(p.srcPort);
    const dstService = ports.has(p.dstPort);
    // Who is the client (design.md): the SYN sender; without a SYN the side on the service
    // port is the server; failing that the higher (ephemeral) port is the client.
    let clientDir: 0 | 1;
    let fromSyn = false;
    if (tcp && (p.tcpFlags & TCP_SYN) !== 0) {
      fromSyn = true;
      clientDir = (p.tcpFlags & TCP_ACK) !== 0 ? 1 : 0;
    } else if (dstService !== srcService) {
      clientDir = dstService ? 0 : 1;
    } else {
      clientDir = p.srcPort >= p.dstPort ? 0 : 1;
    }
    const flow = new Flow(
      tcp ? 'tcp' : 'udp',
      ipToString(p.data, p.srcOff, p.ipVersion),
      p.srcPort,
      ipToString(p.data, p.dstOff, p.ipVersion),
      p.dstPort,
      ts,
      clientDir,
      fromSyn,
      allPorts || srcService || dstService,
      this.options.secrets ?? null,
    );
    flow.aIsKeyA = fromA;
    return flow;
  }

  private end(entry: Entry): void {
    this.index.remove(entry);
    this.unlink(entry);
    if (entry.closing) this.unqueueClosing(entry);
    entry.flow.finish();
    this.onFlowEnd(entry.flow);
  }

  private link(e: Entry): void {
    e.older = this.newest;
    if (this.newest !== null) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlink(e: Entry): void {
    if (e.older !== null) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer !== null) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = e.newer = null;
  }

  private queueClosing(e: Entry, lastTs: number): void {
    e.closing = true;
    e.queuedAt = lastTs;
    e.prevClosing = this.closingTail;
    e.nextClosing = null;
    if (this.closingTail !== null) this.closingTail.nextClosing = e;
    else this.closingHead = e;
    this.closingTail = e;
  }

  private unqueueClosing(e: Entry): void {
    e.closing = false;
    if (e.prevClosing !== null) e.prevClosing.nextClosing = e.nextClosing;
    else this.closingHead = e.nextClosing;
    if (e.nextClosing !== null) e.nextClosing.prevClosing = e.prevClosing;
    else this.closingTail = e.prevClosing;
    e.prevClosing = e.nextClosing = null;
  }

  /** Finishes the closed flows at the head of the queue whose linger has passed. */
  private finishClosed(now: number): void {
    for (let e = this.closingHead; e !== null; e = this.closingHead) {
      if (now - e.flow.lastTs > CLOSED_LINGER_US) {
        this.end(e);
      } else if (e.flow.lastTs > e.queuedAt) {
        // A packet after closing (a last ACK, a retransmission): back of the queue.
        this.unqueueClosing(e);
        this.queueClosing(e, e.flow.lastTs);
      } else {
        return;
      }
    }
  }

  /** Finish flows idle past their timeout, and closed flows past a short linger. */
  private sweep(now: number): void {
    this.nextSweepTs = now + SWEEP_INTERVAL_US;
    for (let e = this.oldest; e !== null; ) {
      const next = e.newer;
      const flow = e.flow;
      const idle = now - flow.lastTs;
      const closed = flow.closed;
      const timeout = closed ? CLOSED_LINGER_US : e.unreported ? UNREPORTED_IDLE_US : flow.transport === 'tcp' ? LIMITS.tcpIdleTimeoutUs : LIMITS.udpIdleTimeoutUs;
      if (idle > timeout) this.end(e);
      e = next;
    }
  }

  /** The table is full: finish the flow that has been idle longest among the oldest ones. */
  private evictOldest(): void {
    let victim: Entry | null = null;
    // The oldest flows are usually the idlest: look at the first 64 only.
    let looked = 0;
    for (let e = this.oldest; e !== null && looked < 64; e = e.newer, looked++) {
      if (victim === null || e.flow.lastTs < victim.flow.lastTs) victim = e;
    }
    if (victim !== null) {
      victim.flow.anomaly('flow_table_limit_reached');
      this.evicted++;
      this.end(victim);
    }
  }
}
