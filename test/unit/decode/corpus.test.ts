/**
 * Decoding real captures of the shared corpus (read in place, never copied), checked against
 * tshark 4.0.17: for each file, how many packets carry TCP or UDP (not inside ICMP), and one
 * packet's innermost addresses, ports and payload length, read with
 *   tshark -n -r FILE -T fields -e frame.number -e frame.time_epoch -e frame.protocols
 *     -e _ws.col.Source -e _ws.col.Destination -e tcp.srcport -e tcp.dstport -e udp.srcport
 *     -e udp.dstport -e tcp.len -e udp.length
 * (one layer of each tunnel and link type the corpus has). Every decoded packet of the whole
 * corpus was also compared with tshark this way while writing the decoder: no differences.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../src/capture/source.js';
import { DecodedPacket, DecodeStatus } from '../../../src/decode/decoded-packet.js';
import { ipToString } from '../../../src/decode/ip-address.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';

const PCAPS = join(import.meta.dirname, '../../../../shared/corpus/pcaps');

interface Row {
  file: string;
  /** The layers tshark shows for the sample frame. */
  layers: string;
  packets: number;
  /** Packets with TCP or UDP (tshark: frame.protocols has tcp or udp and no icmp). */
  transport: number;
  frame: number;
  tsUs: number;
  src: string;
  dst: string;
  proto: 6 | 17;
  sport: number;
  dport: number;
  payload: number;
}

const ROWS: Row[] = [
  { file: 'ja4/gre-erspan-vxlan.pcap', layers: 'eth:ip:gre:erspan:eth:ip:udp:vxlan:eth:ip:tcp', packets: 7, transport: 7, frame: 1, tsUs: 1652950005864136, src: '10.16.27.12', dst: '10.16.27.131', proto: 6, sport: 65174, dport: 80, payload: 0 },
  { file: 'ndpi/capwap_data.pcapng', layers: 'eth:vlan:vlan:ip:udp:capwap.data:wlan:llc:ip:tcp', packets: 14, transport: 14, frame: 1, tsUs: 1517901568789948, src: '10.1.3.68', dst: '74.125.130.188', proto: 6, sport: 47025, dport: 443, payload: 0 },
  { file: 'arkime/pppoe.pcap', layers: 'eth:pppoes:ppp:ip:tcp', packets: 10, transport: 10, frame: 1, tsUs: 1193676055856435, src: '172.202.246.57', dst: '64.12.189.217', proto: 6, sport: 1063, dport: 443, payload: 0 },
  { file: 'ndpi/6in4tunnel.pcap', layers: 'eth:ip:ipv6:tcp', packets: 127, transport: 79, frame: 22, tsUs: 1444236900923881, src: '2001:470:1f17:13f:3e97:eff:fe73:4dec', dst: '2a03:2880:1010:6f03:face:b00c:0:2', proto: 6, sport: 53234, dport: 443, payload: 0 },
  { file: 'ndpi/4in6tunnel.pcap', layers: 'eth:ipv6:ip:tcp', packets: 4, transport: 4, frame: 1, tsUs: 1543235434019243, src: '192.168.0.1', dst: '10.10.10.1', proto: 6, sport: 64455, dport: 443, payload: 0 },
  { file: 'ndpi/false_positives.pcapng', layers: 'eth:vlan:vlan:ip:udp:gtp:ip:tcp', packets: 120, transport: 120, frame: 1, tsUs: 1666211795792449, src: '10.140.231.26', dst: '159.65.12.169', proto: 6, sport: 61202, dport: 443, payload: 0 },
  { file: 'ndpi/zoom.pcap', layers: 'eth:vlan:vlan:ip:udp:gtp:ip:udp', packets: 781, transport: 775, frame: 701, tsUs: 1673444902645655, src: '10.140.117.35', dst: '193.122.35.237', proto: 17, sport: 45634, dport: 8801, payload: 81 },
  { file: 'ndpi/vxlan.pcap', layers: 'eth:vlan:ip:udp:vxlan:eth:ip:tcp', packets: 127, transport: 127, frame: 5, tsUs: 1639650442712036, src: '10.10.20.4', dst: '157.240.224.35', proto: 6, sport: 45226, dport: 443, payload: 0 },
  { file: 'arkime/arkime_synthetic.pcap', layers: 'eth:ip:udp:geneve:eth:ip:udp', packets: 918, transport: 874, frame: 622, tsUs: 1748736303000000, src: '10.111.111.10', dst: '10.111.111.20', proto: 17, sport: 5353, dport: 53, payload: 29 },
  { file: 'arkime/arkime_synthetic.pcap', layers: 'eth:ipv6:ipv6.dstopts:ip:udp', packets: 918, transport: 874, frame: 914, tsUs: 1700016000000000, src: '10.9.10.1', dst: '10.9.10.2', proto: 17, sport: 40200, dport: 40201, payload: 8 },
  { file: 'arkime/mongo.pcap', layers: 'eth:vlan:ip:tcp', packets: 27, transport: 27, frame: 1, tsUs: 1483459978959064, src: '10.10.10.10', dst: '10.10.10.11', proto: 6, sport: 51822, dport: 27017, payload: 0 },
  { file: 'arkime/ssl-selfsign.pcap', layers: 'null:ip:tcp', packets: 20, transport: 20, frame: 1, tsUs: 1519400125658635, src: '10.180.152.137', dst: '10.180.152.137', proto: 6, sport: 60101, dport: 4443, payload: 0 },
  { file: 'ja4/ipv6.pcapng', layers: 'null:ipv6:tcp (a pcap, despite its name)', packets: 9, transport: 9, frame: 1, tsUs: 1593980608621087, src: '2001:4998:ef83:14:8000::100d', dst: '2606:4700::6811:d209', proto: 6, sport: 64034, dport: 443, payload: 0 },
  { file: 'ndpi/bets.pcapng', layers: 'raw:ip:tcp', packets: 33, transport: 33, frame: 1, tsUs: 1693252376328241, src: '192.168.10.2', dst: '13.224.103.22', proto: 6, sport: 60099, dport: 443, payload: 0 },
  { file: 'zeek/openjdk-25.0.2-zeek.org.pcap', layers: 'sll2:ip:tcp', packets: 6, transport: 6, frame: 1, tsUs: 1776243128835142, src: '192.168.64.6', dst: '192.0.78.150', proto: 6, sport: 55058, dport: 443, payload: 0 },
  { file: 'ndpi/quic-v2.pcapng', layers: 'sll:ipv6:udp (pcapng, ns timestamps)', packets: 19, transport: 19, frame: 1, tsUs: 1671528048896780, src: '::1', dst: '::1', proto: 17, sport: 42086, dport: 4443, payload: 1232 },
  { file: 'ndpi/dlt_ppp.pcap', layers: 'ppp:ip:udp', packets: 1, transport: 1, frame: 1, tsUs: 1031048, src: '193.167.0.252', dst: '193.167.100.100', proto: 17, sport: 44083, dport: 443, payload: 1200 },
  { file: 'zeek/quic-go_quic-go__handshake.pcap', layers: 'ppp:ip:udp', packets: 13, transport: 9, frame: 5, tsUs: 648580, src: '193.167.0.100', dst: '193.167.100.100', proto: 17, sport: 40084, dport: 443, payload: 1252 },
];

describe.skipIf(!existsSync(PCAPS))(`decoding corpus captures, checked with tshark (${PCAPS}; skipped when absent)`, () => {
  it.each(ROWS.map((r) => [`${r.file} frame ${r.frame}: ${r.layers}`, r] as const))('%s', async (_name, row) => {
    const decoder = new PacketDecoder();
    const out = new DecodedPacket();
    let frame = 0;
    let sample: Record<string, unknown> | undefined;
    const s = await readCapture(join(PCAPS, row.file), (p) => {
      frame++;
      const status = decoder.decode(p, out);
      if (frame === row.frame) {
        sample = {
          status,
          tsUs: p.tsUs,
          src: ipToString(out.data, out.srcOff, out.ipVersion),
          dst: ipToString(out.data, out.dstOff, out.ipVersion),
          proto: out.proto,
          sport: out.srcPort,
          dport: out.dstPort,
          payload: out.payloadEnd - out.payloadOff,
        };
      }
    });
    expect(s.packets).toBe(row.packets);
    expect(decoder.stats.transport).toBe(row.transport);
    expect(decoder.stats.malformed).toBe(0);
    expect(sample).toEqual({
      status: DecodeStatus.Transport,
      tsUs: row.tsUs,
      src: row.src,
      dst: row.dst,
      proto: row.proto,
      sport: row.sport,
      dport: row.dport,
      payload: row.payload,
    });
  });
});
