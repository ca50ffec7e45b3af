#!/usr/bin/env node
// fixture-expected.mjs - what tshark (an independent oracle) says about a capture, per TCP connection.
//
//   node scripts/fixture-expected.mjs CAPTURE [--keylog FILE] [--labels TSV] [--out FILE|-]
//
// Runs `tshark -T json -e ...` on CAPTURE (pcap, pcapng, nanosecond pcap, gzip: whatever tshark
// reads) and writes CAPTURE.expected.json (or --out; `-` for stdout). No dependencies beyond Node
// and tshark; the output is a pure function of the capture, the key log and tshark's version
// (no clock, no paths other than the file's base name), so running it twice gives the same bytes.
//
// Per TCP connection (tshark's tcp.stream, i.e. in order of first packet):
//   client/server   the side that sent the SYN (else the ClientHello, else the first packet)
//   tls.sni         tls.handshake.extensions_server_name of the FIRST ClientHello
//   tls.ja3, tls.ja3_full          tls.handshake.ja3 / ja3_full of the FIRST ClientHello
//                                  (ja3_full is what the session record calls ja3_string)
//   tls.ja3s, tls.ja3s_full        of the first ServerHello that is not a HelloRetryRequest
//                                  (an HRR is a ServerHello whose random is CF21AD74...8C5E...339C)
//   tls.version     tls.handshake.extensions.supported_version of that ServerHello, else its
//                   tls.handshake.version (number and "TLS 1.x" name)
//   tls.alpn        the offered list (tls.handshake.extensions_alpn_str of the first ClientHello)
//   tls.cipher      tls.handshake.ciphersuite of that ServerHello, as a number
//   tls.leaf_cert_sha1/sha256      of the DER bytes of the first tls.handshake.certificate sent in
//                   clear (TLS 1.2 and older); null when not visible (TLS 1.3, resumption)
//   tls.resumed     derived: TLS 1.3 ServerHello carries pre_shared_key (41); TLS <= 1.2
//                   ServerHello echoes the ClientHello's non-empty session id
//   tls.with_keylog the same certificate and alpn_selected read again with --keylog, i.e. after
//                   tshark decrypts the TLS 1.3 handshake (absent without --keylog)
// tshark has no JA4, so JA4 is not part of this oracle.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
const VERSION_NAMES = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
// RFC 8446 section 6 alert names (and the TLS 1.2 ones it keeps as reserved)
const ALERT_NAMES = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
  30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate',
  43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown',
  47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error',
  60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
  110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
  113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity',
  116: 'certificate_required', 120: 'no_application_protocol',
};
const FIELDS = [
  'frame.number', 'frame.time_epoch', 'tcp.stream', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.len', 'tcp.payload',
  'tls.handshake.type', 'tls.handshake.random', 'tls.handshake.version',
  'tls.handshake.extensions.supported_version', 'tls.handshake.extensions_server_name',
  'tls.handshake.extensions_alpn_str', 'tls.handshake.ciphersuite', 'tls.handshake.session_id',
  'tls.handshake.extension.type', 'tls.handshake.ja3', 'tls.handshake.ja3_full',
  'tls.handshake.ja3s', 'tls.handshake.ja3s_full', 'tls.handshake.certificate', 'tls.alert_message.desc',
];

function usage(msg) {
  if (msg) console.error(`fixture-expected.mjs: ${msg}`);
  console.error('usage: node scripts/fixture-expected.mjs CAPTURE [--keylog FILE] [--labels TSV] [--out FILE|-]');
  process.exit(2);
}

const args = process.argv.slice(2);
let capture = null;
/** @type {{ keylog: string | null, labels: string | null, out: string | null }} */
const opt = { keylog: null, labels: null, out: null };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--keylog' || a === '--labels' || a === '--out') {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    opt[a.slice(2)] = args[++i];
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (capture === null) capture = a;
  else usage('one capture at a time');
}
if (!capture) usage();
if (!existsSync(capture)) usage(`no such file: ${capture}`);

function run(cmd, argv) {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') { console.error(`fixture-expected.mjs: ${cmd} not found (install tshark)`); process.exit(1); }
    throw e;
  }
}

function tsharkPackets(keylog) {
  const argv = ['-n', '-r', capture, '-Y', 'tcp', '-T', 'json'];
  if (keylog) argv.push('-o', `tls.keylog_file:${keylog}`);
  for (const f of FIELDS) argv.push('-e', f);
  return JSON.parse(run('tshark', argv)).map((p) => p._source.layers);
}

const first = (p, f) => (p[f] ? p[f][0] : null);
const all = (p, f) => p[f] ?? [];
const num = (s) => (s == null ? null : Number(s));
const hash = (alg, hex) => createHash(alg).update(Buffer.from(hex, 'hex')).digest('hex');
const isoMicros = (epoch) => {
  const [s, frac = ''] = epoch.split('.');
  return `${new Date(Number(s) * 1000).toISOString().slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 6)}Z`;
};
const endpoint = (p, side) => {
  const ip = first(p, `ip.${side}`) ?? first(p, `ipv6.${side}`);
  const port = num(first(p, side === 'src' ? 'tcp.srcport' : 'tcp.dstport'));
  return { ip, port };
};
const key = (e) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
const versionName = (v) => (v == null ? null : VERSION_NAMES[v] ?? `0x${v.toString(16).padStart(4, '0')}`);

function byStream(packets) {
  const streams = new Map();
  for (const p of packets) {
    const s = num(first(p, 'tcp.stream'));
    if (!streams.has(s)) streams.set(s, []);
    streams.get(s).push(p);
  }
  return [...streams.entries()].sort((a, b) => a[0] - b[0]);
}

function fromClient(p, client) {
  const src = endpoint(p, 'src');
  return src.ip === client.ip && src.port === client.port;
}

function certOf(serverPkts) {
  for (const p of serverPkts) {
    const certs = all(p, 'tls.handshake.certificate');
    if (certs.length) {
      return { leaf_cert_sha1: hash('sha1', certs[0]), leaf_cert_sha256: hash('sha256', certs[0]), chain_length: certs.length };
    }
  }
  return { leaf_cert_sha1: null, leaf_cert_sha256: null, chain_length: 0 };
}

// ALPN the server selected: a ServerHello (TLS <= 1.2) or an EncryptedExtensions (decrypted TLS 1.3)
function alpnSelected(serverPkts) {
  for (const p of serverPkts) {
    const types = all(p, 'tls.handshake.type');
    if ((types.includes('2') || types.includes('8')) && p['tls.handshake.extensions_alpn_str']) {
      return first(p, 'tls.handshake.extensions_alpn_str');
    }
  }
  return null;
}

function connection(stream, pkts) {
  const syn = pkts.find((p) => first(p, 'tcp.flags.syn') === '1' && first(p, 'tcp.flags.ack') === '0');
  const ch0 = pkts.find((p) => all(p, 'tls.handshake.type').includes('1'));
  const opener = syn ?? ch0 ?? pkts[0];
  const client = endpoint(opener, 'src');
  const server = endpoint(opener, 'dst');
  const cPkts = pkts.filter((p) => fromClient(p, client));
  const sPkts = pkts.filter((p) => !fromClient(p, client));
  const payload = (list) => list.reduce((n, p) => n + (num(first(p, 'tcp.len')) ?? 0), 0);
  const prefix = (list) => {
    const p = list.find((q) => first(q, 'tcp.payload'));
    return p ? first(p, 'tcp.payload').slice(0, 32) : null;
  };
  const conn = {
    stream,
    first_packet_time: isoMicros(first(pkts[0], 'frame.time_epoch')),
    client: key(client),
    server: key(server),
    client_ip: client.ip,
    client_port: client.port,
    server_ip: server.ip,
    server_port: server.port,
    syn_seen: Boolean(syn),
    packets: pkts.length,
    packets_client: cPkts.length,
    packets_server: sPkts.length,
    payload_bytes_client: payload(cPkts),
    payload_bytes_server: payload(sPkts),
    client_payload_prefix: prefix(cPkts),
    server_payload_prefix: prefix(sPkts),
    tls: null,
  };
  const chPkts = cPkts.filter((p) => all(p, 'tls.handshake.type').includes('1'));
  if (!chPkts.length) return conn;
  const ch = chPkts[0];
  const shPkts = sPkts.filter((p) => all(p, 'tls.handshake.type').includes('2'));
  const hrr = shPkts.filter((p) => first(p, 'tls.handshake.random') === HRR_RANDOM);
  const sh = shPkts.find((p) => first(p, 'tls.handshake.random') !== HRR_RANDOM) ?? null;
  const shVersion = sh ? num(first(sh, 'tls.handshake.extensions.supported_version') ?? first(sh, 'tls.handshake.version')) : null;
  let resumed = null;
  if (sh) {
    const chSid = first(ch, 'tls.handshake.session_id');
    const shSid = first(sh, 'tls.handshake.session_id');
    resumed = shVersion === 0x0304
      ? all(sh, 'tls.handshake.extension.type').includes('41')
      : Boolean(chSid && shSid && chSid === shSid);
  }
  const alertPkt = pkts.find((p) => p['tls.alert_message.desc']);
  const alert = alertPkt
    ? {
        from: fromClient(alertPkt, client) ? 'client' : 'server',
        desc: num(first(alertPkt, 'tls.alert_message.desc')),
        name: ALERT_NAMES[num(first(alertPkt, 'tls.alert_message.desc'))] ?? null,
      }
    : null;
  const clientVersion = num(first(ch, 'tls.handshake.version'));
  conn.tls = {
    client_hellos: chPkts.length,
    client_version: versionName(clientVersion),
    supported_versions_offered: all(ch, 'tls.handshake.extensions.supported_version').map(Number),
    sni: first(ch, 'tls.handshake.extensions_server_name'),
    alpn: all(ch, 'tls.handshake.extensions_alpn_str'),
    ciphers_offered: all(ch, 'tls.handshake.ciphersuite').length,
    ja3: first(ch, 'tls.handshake.ja3'),
    ja3_full: first(ch, 'tls.handshake.ja3_full'),
    hello_retry: hrr.length > 0,
    server_hello_seen: Boolean(sh),
    ja3s: sh ? first(sh, 'tls.handshake.ja3s') : null,
    ja3s_full: sh ? first(sh, 'tls.handshake.ja3s_full') : null,
    version: versionName(shVersion),
    version_number: shVersion,
    cipher: sh ? num(first(sh, 'tls.handshake.ciphersuite')) : null,
    cipher_hex: sh ? `0x${num(first(sh, 'tls.handshake.ciphersuite')).toString(16).padStart(4, '0')}` : null,
    alpn_selected: alpnSelected(sPkts),
    resumed,
    alert,
    ...certOf(sPkts),
  };
  return conn;
}

function decryptedExtras(packets, conns) {
  const byStreamNo = new Map(byStream(packets));
  for (const c of conns) {
    if (!c.tls) continue;
    const pkts = byStreamNo.get(c.stream) ?? [];
    const sPkts = pkts.filter((p) => !fromClient(p, { ip: c.client_ip, port: c.client_port }));
    c.tls.with_keylog = { alpn_selected: alpnSelected(sPkts), ...certOf(sPkts) };
  }
}

function readLabels(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const head = lines.shift().split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], head[i] === 'n' ? Number(v) : v])));
}

const tsharkVersion = run('tshark', ['--version']).split('\n')[0].replace(/\.$/, '');
const [, fileType, encapsulation, packetCount] = run('capinfos', ['-T', '-r', '-t', '-E', '-c', capture]).trim().split('\t');
const packets = tsharkPackets(null);
const conns = byStream(packets).map(([s, pkts]) => connection(s, pkts));
if (opt.keylog) decryptedExtras(tsharkPackets(opt.keylog), conns);
if (opt.labels) {
  const labels = readLabels(opt.labels);
  if (labels.length !== conns.length) {
    console.error(`fixture-expected.mjs: ${opt.labels} lists ${labels.length} connections, the capture has ${conns.length}; labels left out`);
  } else {
    conns.forEach((c, i) => {
      conns[i] = { stream: c.stream, label: { client: labels[i].client, server: labels[i].server, expect: labels[i].expect }, ...c };
    });
  }
}

const doc = {
  file: basename(capture),
  sha256: createHash('sha256').update(readFileSync(capture)).digest('hex'),
  file_type: fileType,
  encapsulation,
  packets: Number(packetCount),
  tcp_connections: conns.length,
  oracle: `${tsharkVersion}; generated by scripts/fixture-expected.mjs from tshark -T json fields; ` +
    'tshark is independent of this project. JA4 is not included (tshark 4.0 has none).',
  keylog: opt.keylog ? basename(opt.keylog) : null,
  connections: conns,
};
const text = `${JSON.stringify(doc, null, 2)}\n`;
const out = opt.out ?? `${capture}.expected.json`;
if (out === '-') process.stdout.write(text);
else {
  writeFileSync(out, text);
  console.error(`fixture-expected.mjs: ${out}: ${conns.length} TCP connections, ${conns.filter((c) => c.tls).length} with a ClientHello`);
}
