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

export interface FlowTableOptions {
  /** Service ports: a flow with either port here is always reported. */
  ports: ReadonlySet<number>;
  /** Report every flow, whatever its ports. */
  allPorts: boolean;
  /** Key log secrets for handshake decryption, or null. */
  secrets?: SecretsLookup | null;
}

/** How often (capture time) idle flows are looked for. */
const SWEEP_INTERVAL_US = 10 * 1e6;
/** A closed TCP flow (both FIN, or RST) is kept this long for its last ACKs, then finished. */
const CLOSED_LINGER_US = 5 * 1e6;

export class FlowTable {
  private readonly flows = new Map<string, Flow>();
  private nextSweepTs = 0;
  /** Flows finished early because the table was full. */
  evicted = 0;

  constructor(
    private readonly options: FlowTableOptions,
    private readonly onFlowEnd: (flow: Flow) => void,
  ) {}

  get size(): number {
    return this.flows.size;
  }

  /** One decoded TCP or UDP packet. */
  packet(ts: number, p: DecodedPacket): void {
    if (ts >= this.nextSweepTs) this.sweep(ts);
    let key = flowKey(p);
    const fromA = key.fromA;
    let flow = this.flows.get(key.key);
    if (flow !== undefined && p.proto === 6 && (p.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && flow.packets > 2 && (flow.rst || (flow.fin[0] && flow.fin[1]))) {
      // A new SYN on a closed connection's 4-tuple: port reuse, a new connection.
      this.end(key.key, flow);
      flow = undefined;
      key = flowKey(p); // end() may have reused the shared key object
    }
    if (flow === undefined) {
      flow = this.create(ts, p, fromA);
      this.flows.set(key.key, flow);
    }
    // Raw direction 0 is the creating packet's source.
    const dir: 0 | 1 = (fromA === (flow.aIsKeyA)) ? 0 : 1;
    flow.packets++;
    flow.lastTs = ts;
    const len = p.payloadEnd - p.payloadOff;
    flow.payloadBytes[dir] += len;
    if (p.proto === 6) {
      const flags = p.tcpFlags;
      if (flags & TCP_FIN) flow.fin[dir] = true;
      if (flags & TCP_RST) flow.rst = true;
      if (flow.stage === 'inspect') {
        if (p.truncated) flow.anomalies.add('snaplen_truncated_payload');
        flow.tcpSegment(dir, p.tcpSeq, flags, p.data.subarray(p.payloadOff, p.payloadEnd));
      }
    } else if (flow.stage === 'inspect') {
      flow.udpDatagram(dir, p.data.subarray(p.payloadOff, p.payloadEnd));
    }
  }

  /** End of the capture: every flow still open is finished, oldest first. */
  finishAll(): void {
    for (const [key, flow] of this.flows) this.end(key, flow);
  }

  private create(ts: number, p: DecodedPacket, fromA: boolean): Flow {
    if (this.flows.size >= LIMITS.maxFlows) this.evictOldest();
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

  private end(key: string, flow: Flow): void {
    this.flows.delete(key);
    flow.finish();
    this.onFlowEnd(flow);
  }

  /** Finish flows idle past their timeout, and closed flows past a short linger. */
  private sweep(now: number): void {
    this.nextSweepTs = now + SWEEP_INTERVAL_US;
    for (const [key, flow] of this.flows) {
      const idle = now - flow.lastTs;
      const closed = flow.rst || (flow.fin[0] && flow.fin[1]);
      const timeout = closed ? CLOSED_LINGER_US : flow.transport === 'tcp' ? LIMITS.tcpIdleTimeoutUs : LIMITS.udpIdleTimeoutUs;
      if (idle > timeout) this.end(key, flow);
    }
  }

  /** The table is full: finish the flow that has been idle longest. */
  private evictOldest(): void {
    let oldestKey: string | null = null;
    let oldest: Flow | null = null;
    // Map order is creation order; the first entries are the oldest and usually the idlest.
    let looked = 0;
    for (const [key, flow] of this.flows) {
      if (oldest === null || flow.lastTs < oldest.lastTs) {
        oldest = flow;
        oldestKey = key;
      }
      if (++looked >= 64) break;
    }
    if (oldest !== null && oldestKey !== null) {
      oldest.anomalies.add('flow_table_limit_reached');
      this.evicted++;
      this.end(oldestKey, oldest);
    }
  }
}
