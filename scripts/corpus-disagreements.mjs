// Lists the peer-corpus values that the written specs override, with the reason, by running
// the built analyzer over ../shared/corpus and classifying each mismatch by strict rules.
// Every entry pins OUR value, so test/corpus/peer-corpus.test.ts fails if it ever changes.
//
//   npm run build && node scripts/corpus-disagreements.mjs > test/corpus/spec-disagreements.json
//
// Review the output before committing it: a rule only fires when the mismatch is exactly of the
// kind its reason describes (see each rule below); anything else stays a plain miss.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const corpus = join(import.meta.dirname, '../../shared/corpus');
if (!existsSync(join(corpus, 'expected.json'))) {
  console.error('corpus-disagreements: ../shared/corpus is absent');
  process.exit(2);
}

export const REASONS = {
  version_not_negotiated:
    'design.md: "version = negotiated". No ServerHello or HelloRetryRequest is in the capture (one-sided or cut short), so nothing was negotiated and `version` is null; the peer (nDPI, Suricata) reports the ClientHello legacy version, which the record keeps as `client_version`.',
  ja4_sni_presence:
    'JA4.md: "If the SNI extension (0x0000) exists, then the destination of the connection is a domain, or \'d\'. If it does not exist, then it\'s an IP, or \'i\'." The peer (nDPI) decides d/i from whether the server name looks like an IP (nDPI#2916), not from the extension.',
  ja4_version_mapping:
    'JA4.md maps the highest supported version: "0x0304 = TLS 1.3 = 13 ... 0xfeff = DTLS 1.0 = d1, 0xfefd = DTLS 1.2 = d2, 0xfefc = DTLS 1.3 = d3", any other value "00"; the peer (nDPI) writes "s3" for OpenSSL\'s pre-standard DTLS version 0x0100 and "d2" for a hello that offers DTLS 1.3.',
  ja4_empty_hash:
    'JA4.md: an empty list hashes to "000000000000" ("If there are no ciphers in the sorted cipher list, then the value of JA4_b is set to 000000000000"; the same for extensions); the peer hashes the empty string (e3b0c44298fc), the bug of ja4#164/#237.',
  ja4_non_alnum_alpn:
    'JA4.md: "If the first or last byte of the first ALPN is not an ASCII alphanumeric character ... then we print the first and last characters of the hex representation of the first ALPN instead" (0xBA 0xAD -> "bd"); FoxIO\'s implementation prints "99" (ja4#178: "the documentation is the correct method"). spec-overrides.json lists the ja4 field; the raw and original-order forms share the same first section.',
  ja4_no_sigalgs_underscore:
    'JA4.md: "If there are no signature algorithms in the hello packet, then the string ends without an underscore"; Suricata always appends "_" before hashing (fingerprints.md §2.4).',
  ja3s_of_hello_retry:
    'design.md / salesforce JA3S: the ServerHello that answered the ClientHello. tshark only dissected the HelloRetryRequest of this connection (its note says so) and reports that message\'s JA3S; the final ServerHello follows in the capture.',
  sni_not_in_hello:
    'The ClientHello carries no server_name extension (tshark sees none either); the peer (nDPI) reports the certificate\'s subject name in its SNI column.',
  ja4_openvpn_udp_transport:
    'JA4.md: the first character is "q" for QUIC, "d" for DTLS, "t" for TLS over TCP. OpenVPN over UDP carries ordinary TLS records (no DTLS record layer, no QUIC) over its own reliability layer, so the hello is read as TLS: "t". Arkime prints "q" because it keys the prefix on the IP protocol (UDP).',
  ja3_string_not_ja3:
    'salesforce/ja3: the string always has five comma-separated fields ("SSLVersion,Cipher,SSLExtension,EllipticCurve,EllipticCurvePointFormat"; empty fields keep their commas). tshark printed a truncated string for this malformed hello, so its hash is not a JA3 of the hello either.',
};

const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8'));
// Values ../shared already overrides are not listed again.
const overridden = new Set(JSON.parse(readFileSync(join(corpus, 'spec-overrides.json'), 'utf8')).overrides.map((o) => `${o.file}|${o.client}|${o.field}`));
const FIELDS = ['sni', 'tls_version', 'ja3', 'ja3_string', 'ja3s', 'ja3s_string', 'ja4', 'ja4_r', 'ja4_o', 'ja4_ro'];
const onlyNdpi = (c, f) => (c.oracle?.[f] ?? []).length > 0 && c.oracle[f].every((o) => o.includes('ntop/nDPI'));
const onlyTshark = (c, f) => (c.oracle?.[f] ?? []).length > 0 && c.oracle[f].every((o) => o === 'tshark-4.0.17');
const onlySuricata = (c, f) => (c.oracle?.[f] ?? []).length > 0 && c.oracle[f].every((o) => o.includes('OISF/suricata'));
const norm = (v) => String(v ?? '').toUpperCase().replace(/\(.*?\)/g, '').replace(/\s*DRAFT.*$/, '').replace(/^TLSV/, 'TLS').replace(/\s+/g, '');
const sha256 = async (s) => (await import('node:crypto')).createHash('sha256').update(s).digest('hex').slice(0, 12);

function endpointKey(s) {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(s);
  return `${m[1].toLowerCase()}|${m[2]}`;
}

/** The rule a mismatch falls under, or null when it is a plain miss. */
async function classify(entry, c, f, want, s) {
  const t = s?.tls ?? null;
  const got = f === 'tls_version' ? t?.version : t?.[f];
  if (f === 'tls_version' && (onlyNdpi(c, f) || onlySuricata(c, f)) && t && t.version === null && norm(t.client_version) === norm(want)) return 'version_not_negotiated';
  if (f === 'ja4' && onlyNdpi(c, f) && typeof got === 'string' && got.length === want.length) {
    // Every difference must be one the spec explains; the ALPN characters are not compared for
    // nDPI (corpus README), the rest must be equal.
    const reasons = [];
    let w = want;
    if (w.endsWith('_e3b0c44298fc') && got.endsWith('_000000000000')) {
      reasons.push('ja4_empty_hash');
      w = w.slice(0, -12) + '000000000000';
    }
    if (w.slice(1, 3) !== got.slice(1, 3)) reasons.push('ja4_version_mapping');
    const sniExt = (t.ja4_ro ?? '').split('_')[2]?.split(',').includes('0000');
    if (w[3] !== got[3]) {
      if (got[3] !== (sniExt ? 'd' : 'i')) return null;
      reasons.push('ja4_sni_presence');
    }
    const rest = (x) => x[0] + x.slice(4, 8) + x.slice(10);
    if (reasons.length > 0 && rest(w) === rest(got)) return reasons.sort().join('+');
  }
  if (f.startsWith('ja4') && s?.transport === 'udp' && s.protocol === 'openvpn' && typeof got === 'string' && want === 'q' + got.slice(1)) return 'ja4_openvpn_udp_transport';
  if (entry.file.endsWith('tls-non-ascii-alpn.pcapng') && f.startsWith('ja4') && typeof got === 'string' && want.replace('t13d151699', 't13d1516bd') === got) return 'ja4_non_alnum_alpn';
  if (f === 'ja4' && onlySuricata(c, f) && typeof got === 'string' && t.ja4_r && !t.ja4_r.split('_')[3]) {
    const [a, , ext] = t.ja4_r.split('_');
    if (got.startsWith(a) && want === `${got.slice(0, 24)}${await sha256(ext + '_')}`) return 'ja4_no_sigalgs_underscore';
  }
  if ((f === 'ja3s' || f === 'ja3s_string') && onlyTshark(c, f) && c.extra?.['tshark-4.0.17']?.hello_retry_request && String(c.extra['tshark-4.0.17'].note ?? '').includes('only the HelloRetryRequest')) return 'ja3s_of_hello_retry';
  if (f === 'sni' && onlyNdpi(c, f) && t && t.sni === null && c.cert?.subject_cn === want) return 'sni_not_in_hello';
  if ((f === 'ja3_string' || f === 'ja3') && onlyTshark(c, 'ja3_string') && (c.ja3_string ?? '').split(',').length < 5) return 'ja3_string_not_ja3';
  return null;
}

const out = [];
for (const entry of expected) {
  const conns = (entry.connections ?? []).filter((c) => c.client && c.server);
  if (!conns.length) continue;
  const lines = execFileSync('node', ['dist/analyze.js', '--pcap', join(corpus, entry.file), '--format', 'jsonl', '--no-db'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sessions = lines.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const c of conns) {
    const a = endpointKey(c.client);
    const b = endpointKey(c.server);
    const s = sessions.find((x) => x.transport === (c.transport ?? 'tcp') && [`${x.client_ip}|${x.client_port}`, `${x.server_ip}|${x.server_port}`].sort().join() === [a, b].sort().join()) ?? null;
    for (const f of FIELDS) {
      const want = c[f];
      if (want == null || want === '') continue;
      const got = f === 'tls_version' ? s?.tls?.version : s?.tls?.[f];
      if (got === want || overridden.has(`${entry.file}|${c.client}|${f}`)) continue;
      const reason = await classify(entry, c, f, want, s);
      if (reason) out.push({ file: entry.file, client: c.client, field: f, peer: want, ours: got ?? null, reason });
    }
  }
}
console.log(JSON.stringify({ note: 'Generated by scripts/corpus-disagreements.mjs and reviewed: peer values the written spec overrides, with our value pinned.', reasons: REASONS, entries: out }, null, 1));
