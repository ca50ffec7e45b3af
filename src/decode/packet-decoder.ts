/**
 * Decodes a captured packet from its link header down to TCP/UDP, into one preallocated
 * DecodedPacket: a fixed chain of the per-layer decoders (see layer.ts), like gopacket's
 * DecodingLayerParser. Tunnels (VLAN/QinQ, MPLS, PPPoE, GRE, ERSPAN, VXLAN, Geneve, GTP-U,
 * IP-in-IP) are followed to the innermost IP header, as tshark shows them, up to
 * LIMITS.maxEncapsulationDepth. IP fragments are held and reassembled (ip-defrag.ts).
 *
 * The normal path allocates nothing and never throws: the result is a DecodeStatus, and after
 * Malformed the decoder's `problem` names the reason (a stable snake_case anomaly name).
 */
import type { CapturedPacket } from '../capture/packet.js';
import {
  LINKTYPE_C_HDLC,
  LINKTYPE_ETHERNET,
  LINKTYPE_IEEE802_11,
  LINKTYPE_IEEE802_11_RADIOTAP,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_PPP,
  LINKTYPE_PPP_ETHER,
  LINKTYPE_PPP_HDLC,
  LINKTYPE_RAW,
  LINKTYPE_RAW_DLT12,
  LINKTYPE_RAW_DLT14,
} from '../capture/link-types.js';
import { LIMITS } from '../config/limits.js';
import { DecodeStatus, type DecodedPacket } from './decoded-packet.js';
import { decodeCapwap } from './capwap.js';
import { decodeErspan2, decodeErspan3 } from './erspan.js';
import { decodeEthernet, decodeMpls, decodeVlan } from './ethernet.js';
import { decodeGre } from './gre.js';
import { decodeGtpU } from './gtp.js';
import { decodeIeee80211, decodeRadiotap } from './ieee802-11.js';
import { IpDefrag } from './ip-defrag.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { FIRST_ENCAPSULATION, Layer, LayerCursor } from './layer.js';
import { decodeLinuxSll, decodeLinuxSll2 } from './linux-sll.js';
import { decodeLoop, decodeNull } from './loopback.js';
import { decodeCiscoHdlc, decodePpp, decodePppoe } from './ppp.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';
import { decodeGeneve, decodeVxlan, decodeVxlanGpe } from './vxlan.js';

/** Counters for the run report. */
export interface DecodeStats {
  packets: number;
  transport: number;
  skipped: number;
  fragmentsHeld: number;
  malformed: number;
  /** Packets of a link type we do not decode, by link type. */
  unsupportedLinkTypes: Map<number, number>;
  /** Malformed packets by problem name. */
  problems: Map<string, number>;
}

export class PacketDecoder {
  /** Why the last packet was Malformed ('' otherwise). */
  problem = '';
  readonly stats: DecodeStats = {
    packets: 0,
    transport: 0,
    skipped: 0,
    fragmentsHeld: 0,
    malformed: 0,
    unsupportedLinkTypes: new Map(),
    problems: new Map(),
  };
  private readonly c = new LayerCursor();

  constructor(readonly defrag: IpDefrag = new IpDefrag()) {}

  /**
   * Fills `out` from `pkt`. `out.data` is `pkt.buf`, or a fresh buffer holding a reassembled
   * datagram (`out.reassembled`); offsets in `out` point into it. On Skip the IP fields may be
   * set (e.g. ICMP); on FragmentHeld and Malformed nothing in `out` is meaningful.
   */
  decode(pkt: CapturedPacket, out: DecodedPacket): DecodeStatus {
    const stats = this.stats;
    stats.packets++;
    const status = this.walk(pkt, out);
    switch (status) {
      case DecodeStatus.Transport:
        stats.transport++;
        break;
      case DecodeStatus.Skip:
        stats.skipped++;
        break;
      case DecodeStatus.FragmentHeld:
        stats.fragmentsHeld++;
        break;
      case DecodeStatus.Malformed:
        stats.malformed++;
        stats.problems.set(this.problem, (stats.problems.get(this.problem) ?? 0) + 1);
        break;
    }
    return status;
  }

  private walk(pkt: CapturedPacket, out: DecodedPacket): DecodeStatus {
    let b = pkt.buf;
    const c = this.c;
    c.off = pkt.start;
    c.end = pkt.end;
    c.truncated = false;
    c.snapCut = pkt.origLen > pkt.end - pkt.start;
    c.problem = '';
    this.problem = '';
    resetOut(out, b);

    let layer: Layer;
    switch (pkt.linkType) {
      case LINKTYPE_ETHERNET:
        layer = Layer.Ethernet;
        break;
      case LINKTYPE_LINUX_SLL:
        layer = decodeLinuxSll(b, c);
        break;
      case LINKTYPE_LINUX_SLL2:
        layer = decodeLinuxSll2(b, c);
        break;
      case LINKTYPE_NULL:
        layer = decodeNull(b, c);
        break;
      case LINKTYPE_LOOP:
        layer = decodeLoop(b, c);
        break;
      case LINKTYPE_RAW:
      case LINKTYPE_RAW_DLT12:
      case LINKTYPE_RAW_DLT14:
        layer = Layer.IP;
        break;
      case LINKTYPE_IPV4:
        layer = Layer.IPv4;
        break;
      case LINKTYPE_IPV6:
        layer = Layer.IPv6;
        break;
      case LINKTYPE_PPP:
      case LINKTYPE_PPP_HDLC:
        layer = decodePpp(b, c);
        break;
      case LINKTYPE_PPP_ETHER:
        layer = decodePppoe(b, c);
        break;
      case LINKTYPE_C_HDLC:
        layer = decodeCiscoHdlc(b, c);
        break;
      case LINKTYPE_IEEE802_11:
        layer = decodeIeee80211(b, c);
        break;
      case LINKTYPE_IEEE802_11_RADIOTAP:
        layer = decodeRadiotap(b, c);
        break;
      default: {
        const m = this.stats.unsupportedLinkTypes;
        m.set(pkt.linkType, (m.get(pkt.linkType) ?? 0) + 1);
        return DecodeStatus.Skip;
      }
    }

    // Encapsulations entered (VLAN tags, tunnels, IP headers after the first).
    let depth = 0;
    let ipHeaders = 0;
    let reassembled = false;
    const maxDepth = LIMITS.maxEncapsulationDepth;
    for (;;) {
      if (layer >= FIRST_ENCAPSULATION && ++depth > maxDepth) {
        layer = c.fail('encapsulation_depth_limit_reached');
      }
      switch (layer) {
        case Layer.Ethernet:
          layer = decodeEthernet(b, c);
          break;
        case Layer.IP:
          layer = ipVersion(b, c);
          break;
        case Layer.IPv4:
        case Layer.IPv6:
          if (reassembled) {
            reassembled = false; // the same IP header again, now whole: counted already
          } else if (++ipHeaders > 1 && ++depth > maxDepth) {
            layer = c.fail('encapsulation_depth_limit_reached');
            break;
          }
          layer = layer === Layer.IPv4 ? decodeIpv4(b, c, out) : decodeIpv6(b, c, out);
          break;
        case Layer.TCP:
          layer = decodeTcp(b, c, out);
          break;
        case Layer.UDP:
          layer = decodeUdp(b, c, out);
          break;
        case Layer.Done:
          out.data = b;
          out.truncated = c.truncated;
          return DecodeStatus.Transport;
        case Layer.Fragment: {
          if (c.truncated) {
            // Bytes of this fragment are missing (cut by the snaplen, or the IP length lies):
            // the datagram could never be rebuilt.
            layer = c.fail(c.snapCut ? 'truncated_fragment' : 'ip_length_exceeds_packet');
            break;
          }
          const d = this.defrag;
          const datagram =
            c.fragVersion === 4
              ? d.addIpv4(b, c.fragIpOff, c.off, c.end, c.fragOffset, c.fragMore, c.fragId, c.fragProto)
              : d.addIpv6(b, c.fragIpOff, c.off, c.end, c.fragOffset, c.fragMore, c.fragId, c.fragProto);
          if (datagram === null) {
            if (d.problem === '') return DecodeStatus.FragmentHeld;
            layer = c.fail(d.problem);
            break;
          }
          // Walk the whole datagram again from its IP header, as if it had come in one piece.
          b = datagram;
          out.data = b;
          out.reassembled = true;
          c.off = 0;
          c.end = b.length;
          reassembled = true;
          layer = c.fragVersion === 4 ? Layer.IPv4 : Layer.IPv6;
          break;
        }
        case Layer.Vlan:
          layer = decodeVlan(b, c);
          break;
        case Layer.PPP:
          layer = decodePpp(b, c);
          break;
        case Layer.PPPoE:
          layer = decodePppoe(b, c);
          break;
        case Layer.MPLS:
          layer = decodeMpls(b, c);
          break;
        case Layer.GRE:
          layer = decodeGre(b, c);
          break;
        case Layer.ERSPAN2:
          layer = decodeErspan2(b, c);
          break;
        case Layer.ERSPAN3:
          layer = decodeErspan3(b, c);
          break;
        case Layer.VXLAN:
          layer = decodeVxlan(b, c);
          break;
        case Layer.VXLANGPE:
          layer = decodeVxlanGpe(b, c);
          break;
        case Layer.Geneve:
          layer = decodeGeneve(b, c);
          break;
        case Layer.CAPWAP:
          layer = decodeCapwap(b, c);
          break;
        case Layer.IEEE80211:
          layer = decodeIeee80211(b, c);
          break;
        case Layer.GTPU:
          layer = decodeGtpU(b, c);
          break;
        case Layer.Skip:
          out.data = b;
          return DecodeStatus.Skip;
        case Layer.Malformed:
          this.problem = c.problem;
          return DecodeStatus.Malformed;
      }
    }
  }
}

/** The version nibble decides (raw IP link types, MPLS, GTP-U and ERSPAN payloads). */
function ipVersion(b: Uint8Array, c: LayerCursor): Layer {
  if (c.off >= c.end) return c.fail('truncated_ip_header');
  switch (b[c.off]! >> 4) {
    case 4:
      return Layer.IPv4;
    case 6:
      return Layer.IPv6;
    default:
      return c.fail('ip_bad_version');
  }
}

function resetOut(out: DecodedPacket, data: Uint8Array): void {
  out.data = data;
  out.ipVersion = 0;
  out.srcOff = 0;
  out.dstOff = 0;
  out.proto = 0;
  out.ttl = 0;
  out.srcPort = 0;
  out.dstPort = 0;
  out.tcpSeq = 0;
  out.tcpAck = 0;
  out.tcpFlags = 0;
  out.tcpWindow = 0;
  out.payloadOff = 0;
  out.payloadEnd = 0;
  out.truncated = false;
  out.reassembled = false;
}

/**
 * A decoder shared by callers that analyse one capture per process. A pipeline that reads
 * several captures should create a PacketDecoder per capture, so that fragments of one file
 * never meet fragments of the next.
 */
export const defaultDecoder = new PacketDecoder();

/** Decodes with `defaultDecoder`; after Malformed, `defaultDecoder.problem` says why. */
export function decodePacket(pkt: CapturedPacket, out: DecodedPacket): DecodeStatus {
  return defaultDecoder.decode(pkt, out);
}
