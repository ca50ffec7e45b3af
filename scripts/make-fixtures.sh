#!/usr/bin/env bash
# make-fixtures.sh - capture the project's own test captures on the loopback interface.
#
#   sudo scripts/make-fixtures.sh            # capture only if a capture is missing; always rewrite *.expected.json
#   sudo scripts/make-fixtures.sh --force    # capture everything again (new randoms, ports, keys)
#
# What it does (see fixtures/README.md for the list of connections):
#   1. makes a throw-away test PKI with openssl in a temp dir: RSA-2048 root -> RSA-2048
#      intermediate -> RSA-2048 leaf (rsa.tls443.test), an ECDSA P-256 leaf (ecdsa.tls443.test)
#      under the same intermediate, and a self-signed RSA leaf with CN=localhost;
#   2. starts local servers on loopback, port 443 on several 127.0.0.x addresses (and [::1]):
#        127.0.0.1:443  openssl s_server, RSA chain, ALPN http/1.1, groups X25519:P-256
#        127.0.0.2:443  openssl s_server, ECDSA leaf, no ALPN
#        127.0.0.3:443  node https, self-signed CN=localhost     [::1]:443 the same, over IPv6
#        127.0.0.5:443  node http (plain HTTP on 443)            127.0.0.6:443 node net, SSH banner
#        *:8443         gnutls-serv --http, RSA chain (gnutls-serv cannot bind one address)
#   3. captures with tcpdump on `lo` (Ethernet link type) and, at the same time, on `any`
#      (Linux cooked SLL2), while real clients connect one after another: curl, openssl s_client
#      (TLS 1.2/1.3, SNI/no SNI, resumption, HelloRetryRequest, TLS 1.0 rejected), python3 ssl,
#      node https/tls, gnutls-cli, plus plain HTTP and an SSH banner on port 443;
#   4. writes fixtures/loopback-clients.pcap (classic pcap, microseconds, from tcpdump) and
#      copies of the same packets: .pcapng and .nsec.pcap (editcap), .pcap.gz (gzip -n);
#      fixtures/loopback-clients-sll2.pcap (the `any` capture); fixtures/loopback-clients.keylog
#      (NSS key log of every TLS client, for decryption tests); fixtures/loopback-root-ca.pem (the
#      test root certificate, public part only); fixtures/loopback-clients.connections.tsv (which
#      client made which connection, in order);
#   5. runs scripts/fixture-expected.mjs, which asks tshark (an independent oracle) for the
#      per-connection values and writes fixtures/<file>.expected.json for every capture.
#
# Idempotent: without --force, captures that exist are kept and only the expected files are
# rewritten (they are a pure function of the captures). A capture run is all-or-nothing: files
# are written in a temp dir and moved into fixtures/ only when every client succeeded.
# Needs: root (tcpdump, port 443), openssl, curl, node, python3, gnutls-cli/gnutls-serv,
# tcpdump, editcap, tshark, ss, gzip. Servers and tcpdump started here are stopped on exit;
# KEEP_WORK=1 keeps the temp dir (keys, logs, raw captures) for debugging.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/fixtures"
BASE=loopback-clients
FORCE=0
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-fixtures.sh: unknown argument $a (try --help)" >&2; exit 2 ;;
  esac
done

FIXTURE_SCRIPT=make-fixtures
# shellcheck source=fixture-lib.sh
source "$ROOT/scripts/fixture-lib.sh"

CAPTURES=("$BASE.pcap" "$BASE.pcapng" "$BASE.nsec.pcap" "$BASE.pcap.gz" "$BASE-sll2.pcap")
have_all=1
for f in "${CAPTURES[@]}" "$BASE.keylog" "$BASE.connections.tsv" loopback-root-ca.pem; do [[ -s "$OUT/$f" ]] || have_all=0; done

write_expected() {
  command -v tshark >/dev/null || die "tshark is needed to write the expected files"
  for f in "${CAPTURES[@]}"; do
    node "$ROOT/scripts/fixture-expected.mjs" "$OUT/$f" \
      --keylog "$OUT/$BASE.keylog" --labels "$OUT/$BASE.connections.tsv" \
      --out "$OUT/$f.expected.json"
  done
}

if [[ $have_all == 1 && $FORCE == 0 ]]; then
  say "captures already in fixtures/ (use --force to capture again); rewriting the expected files"
  write_expected
  exit 0
fi

require_root_and_tools openssl curl node python3 gnutls-cli gnutls-serv tcpdump editcap tshark capinfos ss gzip timeout
if ss -Hltn '( sport = :443 or sport = :8443 )' | grep -q .; then
  die "something already listens on port 443 or 8443: $(ss -Hltnp '( sport = :443 or sport = :8443 )' | head -3 | tr '\n' ' ')"
fi

make_workdir tls443-fixtures

# ---------------------------------------------------------------- 1. test PKI
say "making the test PKI in $WORK"
cat > ext.cnf <<'EOF'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[inter]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[leaf_rsa]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:rsa.tls443.test,DNS:www.tls443.test,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[leaf_ec]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:ecdsa.tls443.test,IP:127.0.0.2
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[selfsigned]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost
subjectKeyIdentifier=hash
EOF
# `openssl req -x509` reads its extensions from a config file: ours on top of the system one
cat "${OPENSSL_CONF:-/etc/ssl/openssl.cnf}" ext.cnf > req.cnf 2>/dev/null || cp ext.cnf req.cnf
O='/C=ZZ/O=tls443 fixtures'
{
  openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -sha256 \
    -subj "$O/CN=tls443 Test Root CA" -config req.cnf -extensions root
  openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "$O/CN=tls443 Test Intermediate CA"
  openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -days 1825 -sha256 \
    -extfile ext.cnf -extensions inter -out inter.pem
  openssl req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj "$O/CN=rsa.tls443.test"
  openssl x509 -req -in rsa.csr -CA inter.pem -CAkey inter.key -set_serial 0x2001 -days 825 -sha256 \
    -extfile ext.cnf -extensions leaf_rsa -out rsa.pem
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr \
    -subj "$O/CN=ecdsa.tls443.test"
  openssl x509 -req -in ec.csr -CA inter.pem -CAkey inter.key -set_serial 0x2002 -days 825 -sha256 \
    -extfile ext.cnf -extensions leaf_ec -out ec.pem
  openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 365 -sha256 \
    -subj "/CN=localhost" -config req.cnf -extensions selfsigned
} > pki.log 2>&1 || { cat pki.log >&2; die "openssl could not make the test PKI"; }
openssl verify -CAfile root.pem -untrusted inter.pem rsa.pem ec.pem >/dev/null || die "test PKI does not verify"
cat rsa.pem inter.pem > rsa-chain.pem

mkdir www
printf 'hello from tls443 fixtures\n' > www/index.html
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 27\r\n\r\nhello from tls443 fixtures\n' > gnutls-http.txt

# ---------------------------------------------------------------- 2. servers
cat > servers.mjs <<'EOF'
// node https (self-signed) on 127.0.0.3:443 and [::1]:443, plain http on 127.0.0.5:443,
// an SSH-like responder on 127.0.0.6:443. Prints "ready" when all listen.
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
const opts = { key: readFileSync('self.key'), cert: readFileSync('self.pem'), ALPNProtocols: ['http/1.1'] };
const hello = (req, res) => { res.setHeader('Connection', 'close'); res.end('hello from tls443 fixtures\n'); };
const servers = [
  [https.createServer(opts, hello), '127.0.0.3'],
  [https.createServer(opts, hello), '::1'],
  [http.createServer(hello), '127.0.0.5'],
  [net.createServer((s) => {
    s.once('data', () => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
    s.on('error', () => {});
  }), '127.0.0.6'],
];
let n = 0;
for (const [srv, host] of servers) srv.listen(443, host, () => { if (++n === servers.length) console.log('ready'); });
process.on('SIGTERM', () => process.exit(0));
EOF

start() { # start NAME CMD... : run in background, remember the pid, log to NAME.log
  local name=$1; shift
  "$@" > "$name.log" 2>&1 &
  PIDS+=($!)
}
say "starting servers"
(cd www && exec openssl s_server -quiet -accept 127.0.0.1:443 -cert ../rsa.pem -key ../rsa.key \
   -cert_chain ../inter.pem -WWW -alpn http/1.1 -groups X25519:P-256) > srv-rsa.log 2>&1 &
PIDS+=($!)
(cd www && exec openssl s_server -quiet -accept 127.0.0.2:443 -cert ../ec.pem -key ../ec.key \
   -cert_chain ../inter.pem -WWW) > srv-ec.log 2>&1 &
PIDS+=($!)
start srv-node node servers.mjs
start srv-gnutls gnutls-serv --http --httpdata=gnutls-http.txt -p 8443 --alpn=http/1.1 \
  --x509certfile=rsa-chain.pem --x509keyfile=rsa.key

wait_listen 127.0.0.1:443 127.0.0.2:443 127.0.0.3:443 '[::1]:443' 127.0.0.5:443 127.0.0.6:443 '0.0.0.0:8443'

# ---------------------------------------------------------------- 3. capture while clients connect
FILTER='tcp port 443 or udp port 443 or tcp port 8443'
start tcpdump-lo  tcpdump -i lo  -s 0 -B 32768 -U --immediate-mode -Z root -w lo.pcap  "$FILTER"
TCPDUMP_PIDS=("${PIDS[-1]}")
start tcpdump-any tcpdump -i any -s 0 -B 32768 -U --immediate-mode -Z root -w any.pcap "$FILTER"
TCPDUMP_PIDS+=("${PIDS[-1]}")
wait_tcpdump tcpdump-lo.log tcpdump-any.log
sleep 0.5

KEYLOG="$WORK/keylog"; : > "$KEYLOG"
export SSLKEYLOGFILE="$KEYLOG"       # curl (OpenSSL backend) and gnutls-cli write to it
printf 'n\tclient\tserver\texpect\n' > connections.tsv
N=0
conn() { # conn "CLIENT" "SERVER" "EXPECT" CMD... : one TCP connection, recorded in connections.tsv
  local client=$1 server=$2 expect=$3; shift 3
  N=$((N + 1))
  say "connection $N: $client -> $server ($expect)"
  if ! "$@" > "client-$N.log" 2>&1; then
    [[ $expect == *rejected* ]] || { cat "client-$N.log" >&2; die "client $N failed: $*"; }
  fi
  printf '%s\t%s\t%s\t%s\n' "$N" "$client" "$server" "$expect" >> connections.tsv
  sleep 0.2   # keep connections apart in time (sessions are ordered by first packet)
}
GET='GET /index.html HTTP/1.0\r\nHost: %s\r\n\r\n'
sclient() { # sclient HOST ARGS... : openssl s_client sending one HTTP/1.0 request, reading the answer
  local host=$1; shift
  printf "$GET" "$host" | timeout 10 openssl s_client -ign_eof -keylogfile "$KEYLOG" -CAfile root.pem "$@"
}
gcli() { # gcli ARGS... : gnutls-cli sending one HTTP/1.0 request
  { printf "$GET" "$1"; sleep 0.5; } | timeout 10 gnutls-cli --x509cafile=root.pem "${@:2}"
}
CURL=(timeout 10 curl -sS -o /dev/null --cacert root.pem)
RSA=rsa.tls443.test
EC=ecdsa.tls443.test

cat > py-client.py <<'EOF'
import socket, ssl, sys
host, port, sni, maxv, cafile, keylog = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
ctx = ssl.create_default_context(cafile=cafile)
ctx.keylog_filename = keylog
if maxv == '1.2':
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_alpn_protocols(['http/1.1'])
with socket.create_connection((host, port), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname=sni) as s:
        s.sendall(('GET /index.html HTTP/1.0\r\nHost: %s\r\n\r\n' % sni).encode())
        while s.recv(4096):
            pass
        print(s.version(), s.cipher()[0], s.selected_alpn_protocol())
EOF
cat > py-httpclient.py <<'EOF'
import http.client, socket, ssl, sys
host, ip, cafile, keylog = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=cafile)
ctx.keylog_filename = keylog
c = http.client.HTTPSConnection(host, 443, context=ctx, timeout=10)
# connect to the loopback address, keep the name for SNI, Host and certificate checks
c._create_connection = lambda addr, *a, **k: socket.create_connection((ip, addr[1]), *a, **k)
c.request('GET', '/index.html', headers={'Connection': 'close'})
s = c.sock
r = c.getresponse(); r.read(); print(r.status, s.version(), s.selected_alpn_protocol())
EOF
cat > node-client.mjs <<'EOF'
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import { readFileSync } from 'node:fs';
const [mode, host, sni] = process.argv.slice(2);
const ca = readFileSync(process.env.CA_FILE);
const done = (m) => { console.log(m); };
if (mode === 'https') {
  https.get({ host, port: 443, path: '/index.html', servername: sni, headers: { host: sni }, ca, agent: false },
    (res) => { res.resume(); res.on('end', () => done(`https ${res.statusCode}`)); }).on('error', (e) => { throw e; });
} else if (mode === 'tls') {
  const s = tls.connect({ host, port: 443, servername: sni, ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
    s.write(`GET /index.html HTTP/1.1\r\nHost: ${sni}\r\nConnection: close\r\n\r\n`);
  });
  s.on('data', () => {}); s.on('end', () => done(`tls ${s.getProtocol()} ${s.alpnProtocol}`));
} else if (mode === 'ssh') {
  const s = net.connect({ host, port: 443 }, () => s.write('SSH-2.0-OpenSSH_9.2\r\n'));
  s.on('data', (d) => { done(`ssh got ${JSON.stringify(d.toString())}`); s.end(); });
}
EOF
export CA_FILE="$WORK/root.pem"
export CA_SELF="$WORK/self.pem"

conn "curl $(curl --version | head -1 | cut -d' ' -f2) (default: TLS 1.3, ALPN h2,http/1.1)" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.3" \
  "${CURL[@]}" --resolve "$RSA:443:127.0.0.1" "https://$RSA/index.html"
conn "curl --tls-max 1.2" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.2 certificate visible" \
  "${CURL[@]}" --tls-max 1.2 --resolve "$RSA:443:127.0.0.1" "https://$RSA/index.html"
conn "curl --http1.1" "openssl s_server 127.0.0.2:443 ECDSA" "tls1.3 ALPN http/1.1 only, none selected" \
  "${CURL[@]}" --http1.1 --resolve "$EC:443:127.0.0.2" "https://$EC/index.html"
conn "openssl s_client -tls1_2 -servername" "openssl s_server 127.0.0.2:443 ECDSA" "tls1.2 ECDSA certificate visible" \
  sclient "$EC" -connect 127.0.0.2:443 -servername "$EC" -tls1_2 -sess_out sess12.pem
conn "openssl s_client -tls1_2 -sess_in" "openssl s_server 127.0.0.2:443 ECDSA" "tls1.2 resumed (ticket), no certificate" \
  sclient "$EC" -connect 127.0.0.2:443 -servername "$EC" -tls1_2 -sess_in sess12.pem
conn "openssl s_client -tls1_3 -servername -alpn http/1.1" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.3" \
  sclient "$RSA" -connect 127.0.0.1:443 -servername "$RSA" -tls1_3 -alpn http/1.1 -sess_out sess13.pem
conn "openssl s_client -tls1_3 -sess_in" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.3 resumed (PSK)" \
  sclient "$RSA" -connect 127.0.0.1:443 -servername "$RSA" -tls1_3 -alpn http/1.1 -sess_in sess13.pem
conn "openssl s_client -tls1_3 -groups P-384:X25519" "openssl s_server 127.0.0.1:443 RSA chain (groups X25519:P-256)" "tls1.3 HelloRetryRequest" \
  sclient "$RSA" -connect 127.0.0.1:443 -servername "$RSA" -tls1_3 -groups P-384:X25519
conn "openssl s_client -tls1_2 -noservername -cipher ECDHE-RSA-AES128-GCM-SHA256" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.2 no SNI" \
  sclient "$RSA" -connect 127.0.0.1:443 -noservername -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
conn "openssl s_client -tls1 -cipher DEFAULT:@SECLEVEL=0" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.0 rejected with an alert" \
  sclient "$RSA" -connect 127.0.0.1:443 -servername "$RSA" -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
conn "python3 ssl (max TLS 1.2, ALPN http/1.1)" "node https 127.0.0.3:443 self-signed CN=localhost" "tls1.2 self-signed certificate visible" \
  timeout 10 python3 py-client.py 127.0.0.3 443 localhost 1.2 self.pem "$KEYLOG"
conn "python3 http.client (default context)" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.3" \
  timeout 10 python3 py-httpclient.py "$RSA" 127.0.0.1 root.pem "$KEYLOG"
conn "node https.get" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.3 no ALPN" \
  timeout 10 node --tls-keylog="$KEYLOG" node-client.mjs https 127.0.0.1 "$RSA"
conn "node tls.connect ALPN h2,http/1.1" "node https [::1]:443 self-signed CN=localhost" "tls1.3 over IPv6" \
  env CA_FILE="$CA_SELF" timeout 10 node --tls-keylog="$KEYLOG" node-client.mjs tls ::1 localhost
conn "gnutls-cli --alpn h2 --alpn http/1.1" "gnutls-serv *:8443 RSA chain" "tls1.3 on port 8443" \
  gcli "$RSA" --sni-hostname="$RSA" --alpn=h2 --alpn=http/1.1 -p 8443 127.0.0.1
conn "gnutls-cli --priority NORMAL:-VERS-TLS1.3" "openssl s_server 127.0.0.1:443 RSA chain" "tls1.2" \
  gcli "$RSA" --sni-hostname="$RSA" --priority=NORMAL:-VERS-TLS1.3 -p 443 127.0.0.1
conn "curl http:// (plain HTTP)" "node http 127.0.0.5:443" "http, not TLS" \
  "${CURL[@]}" "http://127.0.0.5:443/index.html"
conn "node net, SSH banner" "node net 127.0.0.6:443 SSH banner" "ssh, not TLS" \
  timeout 10 node node-client.mjs ssh 127.0.0.6

sleep 1.5
for p in "${TCPDUMP_PIDS[@]}"; do kill -INT "$p"; done
for p in "${TCPDUMP_PIDS[@]}"; do wait "$p" || true; done

# ---------------------------------------------------------------- 4. files
for l in tcpdump-lo.log tcpdump-any.log; do
  grep -q '^0 packets dropped by kernel' "$l" || die "tcpdump dropped packets ($l): $(tr '\n' ' ' < "$l")"
done
got=$(capinfos -T -r -c lo.pcap | cut -f2)
got_any=$(capinfos -T -r -c any.pcap | cut -f2)
[[ $got == "$got_any" ]] || say "note: lo has $got packets, any has $got_any"
[[ $(capinfos -T -r -E lo.pcap | cut -f2) == ether ]] || die "lo.pcap is not Ethernet"
[[ $(capinfos -T -r -E any.pcap | cut -f2) == linux-sll2 ]] || die "any.pcap is not Linux cooked SLL2"
streams=$(tshark -r lo.pcap -T fields -e tcp.stream 2>/dev/null | sort -un | wc -l)
[[ $streams == "$N" ]] || die "expected $N TCP connections in the capture, found $streams"
grep -q CLIENT_HANDSHAKE_TRAFFIC_SECRET "$KEYLOG" && grep -q CLIENT_RANDOM "$KEYLOG" || die "key log is incomplete"

mkdir -p "$OUT"
cp lo.pcap "$OUT/$BASE.pcap"
editcap -F pcapng   lo.pcap "$OUT/$BASE.pcapng"
editcap -F nsecpcap lo.pcap "$OUT/$BASE.nsec.pcap"
gzip -n -9 -c lo.pcap > "$OUT/$BASE.pcap.gz"
cp any.pcap "$OUT/$BASE-sll2.pcap"
cp "$KEYLOG" "$OUT/$BASE.keylog"
cp root.pem "$OUT/loopback-root-ca.pem"
cp connections.tsv "$OUT/$BASE.connections.tsv"
chmod 644 "$OUT/$BASE"* "$OUT/loopback-root-ca.pem"
say "wrote $N connections, $got packets: $(cd "$OUT" && ls -s --block-size=K "${CAPTURES[@]}" | tr '\n' ' ')"

# ---------------------------------------------------------------- 5. the oracle
write_expected
say "done"
