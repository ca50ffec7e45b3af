/**
 * The DNS log of one run: what the capture's DNS responses said, name -> addresses, name ->
 * CNAME targets and address -> names, capped (LIMITS.maxDns*). Fed by the pipeline with the
 * payload of every UDP (and single-segment TCP) packet from port 53; the DNS rules read it
 * through the DnsLookup view.
 */
import { LIMITS } from '../config/limits.js';
import { isMalformed, parseDnsMessage, tcpDnsPayload, type DnsMessage } from './dns-message.js';

/** CNAME hops followed when resolving a name through the log. */
export const MAX_CNAME_HOPS = 16;

/** Read-only view of the DNS log, for rules. */
export interface DnsLookup {
  /** Address records (A/AAAA) kept from responses in the capture. */
  readonly answerCount: number;
  /** Capture time (µs) of the first response that carried an address record; null when none did. */
  readonly firstAnswerUs: number | null;
  /** True when a cap was hit: a name or address may be missing, so absence proves nothing. */
  readonly incomplete: boolean;
  /** Addresses the name resolved to in the capture, following CNAMEs (empty when never resolved). */
  addressesOf(name: string): ReadonlySet<string>;
  /** The CNAME chain from `name` as seen in the capture (name first). */
  chainOf(name: string): string[];
  /** Names whose answers gave this address (empty when none). */
  namesOf(address: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** The lookup used when no DNS was parsed: nothing resolved, no answers. */
export const EMPTY_DNS: DnsLookup = {
  answerCount: 0, firstAnswerUs: null, incomplete: false,
  addressesOf: () => NONE, chainOf: (name) => [name], namesOf: () => NONE,
};

export class DnsLog implements DnsLookup {
  private readonly addresses = new Map<string, Set<string>>();
  private readonly cnames = new Map<string, Set<string>>();
  private readonly names = new Map<string, Set<string>>();
  answerCount = 0;
  firstAnswerUs: number | null = null;
  incomplete = false;
  /** DNS responses parsed, and payloads from port 53 that did not parse. */
  responses = 0;
  malformed = 0;

  /** The payload of a UDP datagram from port 53. */
  udp(ts: number, payload: Uint8Array): void {
    const msg = parseDnsMessage(payload);
    if (isMalformed(msg)) this.malformed++;
    else this.add(ts, msg);
  }

  /** The payload of a TCP segment from port 53 (one whole length-prefixed message, or ignored). */
  tcp(ts: number, payload: Uint8Array): void {
    const body = tcpDnsPayload(payload);
    if (body !== null) this.udp(ts, body);
  }

  /** A parsed message; queries and error responses add nothing. */
  add(ts: number, msg: DnsMessage): void {
    if (!msg.response || msg.opcode !== 0 || msg.rcode !== 0) return;
    this.responses++;
    for (const a of msg.answers) {
      if (a.target !== undefined) {
        this.put(this.cnames, a.name, a.target, LIMITS.maxDnsNames);
      } else if (a.address !== undefined) {
        this.answerCount++;
        if (this.firstAnswerUs === null || ts < this.firstAnswerUs) this.firstAnswerUs = ts;
        this.put(this.addresses, a.name, a.address, LIMITS.maxDnsNames);
        this.put(this.names, a.address, a.name, LIMITS.maxDnsAddresses);
      }
    }
  }

  addressesOf(name: string): ReadonlySet<string> {
    const out = new Set<string>();
    for (const n of this.chainNames(name.toLowerCase())) for (const a of this.addresses.get(n) ?? NONE) out.add(a);
    return out;
  }

  chainOf(name: string): string[] {
    return [...this.chainNames(name.toLowerCase())];
  }

  namesOf(address: string): ReadonlySet<string> {
    return this.names.get(address) ?? NONE;
  }

  /** `name` and every name reachable from it through CNAMEs (breadth first, capped, loop-safe). */
  private chainNames(name: string): Set<string> {
    const seen = new Set([stripDot(name)]);
    let frontier = [...seen];
    for (let hop = 0; hop < MAX_CNAME_HOPS && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const n of frontier) {
        for (const t of this.cnames.get(n) ?? NONE) {
          if (!seen.has(t)) {
            seen.add(t);
            next.push(t);
          }
        }
      }
      frontier = next;
    }
    return seen;
  }

  private put(map: Map<string, Set<string>>, key: string, value: string, maxKeys: number): void {
    let set = map.get(key);
    if (set === undefined) {
      if (map.size >= maxKeys) {
        this.incomplete = true;
        return;
      }
      set = new Set();
      map.set(key, set);
    }
    if (set.has(value)) return;
    if (set.size >= LIMITS.maxDnsValuesPerKey) {
      this.incomplete = true;
      return;
    }
    set.add(value);
  }
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
