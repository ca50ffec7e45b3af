#!/usr/bin/env bash
# make-mixed-fixture.sh - capture fixtures/mixed-benign-bad.pcap: benign and bad TLS traffic on
# loopback, one server address per kind of connection, for the verdict test (test/golden/mixed.test.ts).
#
#   sudo scripts/make-mixed-fixture.sh           # capture only if the capture is missing
#   sudo scripts/make-mixed-fixture.sh --force   # capture again (new keys, randoms, ports, times)
#
# What it does (see fixtures/README.md, "mixed-benign-bad.pcap"):
#   1. makes a throw-away "site" PKI with openssl in a temp dir: RSA-2048 root "tls443 Mixed Site
#      Root CA" -> intermediate -> leaves for the benign servers (www.mixed.test), an expired leaf
#      (openssl ca with -startdate/-enddate in 2023), a leaf for another name (other.mixed.test);
#      plus self-signed leaves: a plain one, one with the OpenSSL default subject (C=AU,
#      ST=Some-State, O=Internet Widgits Pty Ltd) and one imitating the Cobalt Strike default
#      keystore certificate (serial 146473198, CN=Major Cobalt Strike);
#   2. starts servers on 127.0.1.x (benign) and 127.0.2.x / 127.0.3.x (bad), all on port 443:
#        127.0.1.1  node http2 secure server (h2 + http/1.1), site chain     benign
#        127.0.1.2  openssl s_server -WWW, site chain                         benign
#        127.0.2.1  openssl s_server, self-signed leaf, TLS 1.2 max           self-signed
#        127.0.2.2  openssl s_server, expired leaf (site CA), TLS 1.2 max     expired
#        127.0.2.3  openssl s_server, OpenSSL default subject, TLS 1.2 max    openssl default
#        127.0.2.4  openssl s_server, Cobalt Strike-like default, TLS 1.2 max C2 default
#        127.0.2.5  openssl s_server, leaf for other.mixed.test, TLS 1.2 max  SNI mismatch
#        127.0.2.6  openssl s_server, self-signed leaf, TLS 1.2 max           SNI www.google.com
#        127.0.2.7  openssl s_server, site chain                              no SNI
#        127.0.2.8  openssl s_server -tls1 @SECLEVEL=0, site chain            TLS 1.0
#        127.0.2.9  node http (plain HTTP on 443)                             not TLS
#        127.0.2.10 node net, SSH banner                                      not TLS
#        127.0.3.1  openssl s_server -WWW, site chain                         beacon (6 x, 1 s apart)
#      The bad TLS servers refuse TLS 1.3 so that their certificates travel in clear (no key log).
#   3. captures with tcpdump on `lo` while real clients (curl, python3 ssl, node https, openssl
#      s_client) connect one after another, 0.3 s apart; the beacon is 6 curl runs 1 s apart;
#   4. writes fixtures/mixed-benign-bad.pcap (classic pcap, Ethernet), fixtures/mixed-site-ca.pem
#      (the site root, public part only) and fixtures/mixed-benign-bad.connections.tsv (which client
#      made which connection). fixtures/mixed-benign-bad.expected.json is written by hand, not here.
#
# All-or-nothing: files are moved into fixtures/ only when every client behaved as planned.
# Needs: root, openssl, curl, node, python3, tcpdump, tshark, capinfos, ss, timeout.
# KEEP_WORK=1 keeps the temp dir (keys, logs, raw capture) for debugging.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/fixtures"
BASE=mixed-benign-bad
FORCE=0
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-mixed-fixture.sh: unknown argument $a (try --help)" >&2; exit 2 ;;
  esac
done

FIXTURE_SCRIPT=make-mixed-fixture
# shellcheck source=fixture-lib.sh
source "$ROOT/scripts/fixture-lib.sh"

if [[ -s "$OUT/$BASE.pcap" && -s "$OUT/mixed-site-ca.pem" && $FORCE == 0 ]]; then
  say "fixtures/$BASE.pcap already exists (use --force to capture again)"
  exit 0
fi
require_root_and_tools openssl curl node python3 tcpdump tshark capinfos ss timeout
ss -Hltn '( sport = :443 )' | grep -q . && die "something already listens on port 443"

make_workdir tls443-mixed

# ---------------------------------------------------------------- 1. PKI
say "making the PKI in $WORK"
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
[leaf_www]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:www.mixed.test,DNS:beacon.mixed.test,DNS:nosni.mixed.test,DNS:tls10.mixed.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[leaf_expired]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:expired.mixed.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[leaf_other]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:other.mixed.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[selfsigned]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:selfsigned.mixed.test
subjectKeyIdentifier=hash
[bare]
subjectKeyIdentifier=hash
EOF
cat "${OPENSSL_CONF:-/etc/ssl/openssl.cnf}" ext.cnf > req.cnf 2>/dev/null || cp ext.cnf req.cnf
# `openssl x509` of OpenSSL 3.0 has no -not_before/-not_after: the expired leaf goes through
# `openssl ca`, which takes explicit -startdate/-enddate.
mkdir -p ca/new; : > ca/index.txt; echo 3001 > ca/serial
cat > ca.cnf <<'EOF'
[ca]
default_ca = inter
[inter]
dir = ca
database = ca/index.txt
new_certs_dir = ca/new
serial = ca/serial
certificate = inter.pem
private_key = inter.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
organizationName = optional
countryName = optional
EOF
O='/C=ZZ/O=tls443 mixed fixture'
{
  openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -sha256 \
    -subj "$O/CN=tls443 Mixed Site Root CA" -config req.cnf -extensions root
  openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "$O/CN=tls443 Mixed Site Intermediate CA"
  openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -days 1825 -sha256 \
    -extfile ext.cnf -extensions inter -out inter.pem
  openssl req -newkey rsa:2048 -nodes -keyout www.key -out www.csr -subj "$O/CN=www.mixed.test"
  openssl x509 -req -in www.csr -CA inter.pem -CAkey inter.key -set_serial 0x2001 -days 365 -sha256 \
    -extfile ext.cnf -extensions leaf_www -out www.pem
  openssl req -newkey rsa:2048 -nodes -keyout other.key -out other.csr -subj "$O/CN=other.mixed.test"
  openssl x509 -req -in other.csr -CA inter.pem -CAkey inter.key -set_serial 0x2002 -days 365 -sha256 \
    -extfile ext.cnf -extensions leaf_other -out other.pem
  openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "$O/CN=expired.mixed.test"
  openssl ca -batch -config ca.cnf -notext -startdate 20230101000000Z -enddate 20240101000000Z \
    -extfile ext.cnf -extensions leaf_expired -in expired.csr -out expired.pem
  openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 365 -sha256 \
    -subj "/CN=selfsigned.mixed.test" -config req.cnf -extensions selfsigned
  # what `openssl req -x509` makes when every prompt is answered with Enter (no CN, no SAN)
  openssl req -x509 -newkey rsa:2048 -nodes -keyout widgits.key -out widgits.pem -days 365 -sha256 \
    -subj "/C=AU/ST=Some-State/O=Internet Widgits Pty Ltd" -config req.cnf -extensions bare
  # imitation of the Cobalt Strike default keystore certificate: serial 146473198 (0x08BB00EE),
  # subject = issuer = C=Earth, ST=Cyberspace, L=Somewhere, O=cobaltstrike, OU=AdvancedPenTesting,
  # CN=Major Cobalt Strike (a 5-letter country name needs -multivalue-rdn-free -subj, so no C here)
  openssl req -x509 -newkey rsa:2048 -nodes -keyout cs.key -out cs.pem -days 3650 -sha256 -set_serial 146473198 \
    -subj "/ST=Cyberspace/L=Somewhere/O=cobaltstrike/OU=AdvancedPenTesting/CN=Major Cobalt Strike" \
    -config req.cnf -extensions bare
} > pki.log 2>&1 || { cat pki.log >&2; die "openssl could not make the PKI"; }
openssl verify -CAfile root.pem -untrusted inter.pem www.pem other.pem >/dev/null || die "site PKI does not verify"
[[ $(openssl x509 -in cs.pem -noout -serial) == serial=08BB00EE ]] || die "Cobalt Strike-like serial is wrong"
[[ $(openssl x509 -in expired.pem -noout -enddate) == 'notAfter=Jan  1 00:00:00 2024 GMT' ]] || die "expired leaf has the wrong dates"

mkdir www
printf 'hello from the tls443 mixed fixture\n' > www/index.html

# ---------------------------------------------------------------- 2. servers
cat > servers.mjs <<'EOF'
// node http2 (site chain) on 127.0.1.1, plain http on 127.0.2.9, SSH banner on 127.0.2.10.
import http2 from 'node:http2';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
const hello = (req, res) => { res.end('hello from the tls443 mixed fixture\n'); };
const servers = [
  [http2.createSecureServer({ key: readFileSync('www.key'), cert: readFileSync('www.pem'), ca: readFileSync('inter.pem'),
    allowHTTP1: true }, hello), '127.0.1.1'],
  [http.createServer((req, res) => { res.setHeader('Connection', 'close'); hello(req, res); }), '127.0.2.9'],
  [net.createServer((s) => {
    s.once('data', () => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
    s.on('error', () => {});
  }), '127.0.2.10'],
];
let n = 0;
for (const [srv, host] of servers) srv.listen(443, host, () => { if (++n === servers.length) console.log('ready'); });
process.on('SIGTERM', () => process.exit(0));
EOF

sserver() { # sserver ADDR CERT KEY ARGS... : openssl s_server -WWW on ADDR:443
  local addr=$1 cert=$2 key=$3; shift 3
  (cd www && exec openssl s_server -quiet -accept "$addr:443" -cert "../$cert" -key "../$key" -WWW "$@") \
    > "srv-$addr.log" 2>&1 &
  PIDS+=($!)
}
say "starting servers"
node servers.mjs > srv-node.log 2>&1 &
PIDS+=($!)
sserver 127.0.1.2 www.pem www.key -cert_chain ../inter.pem
sserver 127.0.2.1 self.pem self.key -no_tls1_3
sserver 127.0.2.2 expired.pem expired.key -cert_chain ../inter.pem -no_tls1_3
sserver 127.0.2.3 widgits.pem widgits.key -no_tls1_3
sserver 127.0.2.4 cs.pem cs.key -no_tls1_3
sserver 127.0.2.5 other.pem other.key -cert_chain ../inter.pem -no_tls1_3
sserver 127.0.2.6 self.pem self.key -no_tls1_3
sserver 127.0.2.7 www.pem www.key -cert_chain ../inter.pem
sserver 127.0.2.8 www.pem www.key -cert_chain ../inter.pem -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
sserver 127.0.3.1 www.pem www.key -cert_chain ../inter.pem

ADDRS=(127.0.1.1 127.0.1.2 127.0.2.1 127.0.2.2 127.0.2.3 127.0.2.4 127.0.2.5 127.0.2.6 127.0.2.7 127.0.2.8 127.0.2.9 127.0.2.10 127.0.3.1)
wait_listen "${ADDRS[@]/%/:443}"

# ---------------------------------------------------------------- 3. capture while clients connect
tcpdump -i lo -s 0 -B 32768 -U --immediate-mode -Z root -w lo.pcap 'tcp port 443' > tcpdump.log 2>&1 &
PIDS+=($!)
TCPDUMP_PID=$!
wait_tcpdump tcpdump.log
sleep 0.5

printf 'n\tclient\tserver\tclass\n' > connections.tsv
N=0
conn() { # conn CLIENT SERVER CLASS CMD... : one TCP connection, recorded in connections.tsv
  local client=$1 server=$2 class=$3; shift 3
  N=$((N + 1))
  say "connection $N: $client -> $server ($class)"
  "$@" > "client-$N.log" 2>&1 || { cat "client-$N.log" >&2; die "client $N failed: $*"; }
  printf '%s\t%s\t%s\t%s\n' "$N" "$client" "$server" "$class" >> connections.tsv
  sleep 0.3
}
CURL=(timeout 10 curl -sS -o /dev/null --cacert root.pem)
INSECURE=(timeout 10 curl -sS -o /dev/null -k --tls-max 1.2)
sclient() { # sclient HOST ARGS... : openssl s_client sending one HTTP/1.0 request
  local host=$1; shift
  printf 'GET /index.html HTTP/1.0\r\nHost: %s\r\n\r\n' "$host" | timeout 10 openssl s_client -ign_eof -CAfile root.pem "$@"
}
cat > py-client.py <<'EOF'
import socket, ssl, sys
ip, sni, cafile = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=cafile)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_alpn_protocols(['http/1.1'])
with socket.create_connection((ip, 443), timeout=10) as raw, ctx.wrap_socket(raw, server_hostname=sni) as s:
    s.sendall(('GET /index.html HTTP/1.0\r\nHost: %s\r\n\r\n' % sni).encode())
    while s.recv(4096):
        pass
    print(s.version(), s.cipher()[0], s.selected_alpn_protocol())
EOF
cat > node-client.mjs <<'EOF'
import https from 'node:https';
import net from 'node:net';
import { readFileSync } from 'node:fs';
const [mode, host, sni] = process.argv.slice(2);
if (mode === 'https') {
  https.get({ host, port: 443, path: '/index.html', servername: sni, headers: { host: sni }, ca: readFileSync('root.pem'), agent: false },
    (res) => { res.resume(); res.on('end', () => console.log(`https ${res.statusCode}`)); }).on('error', (e) => { throw e; });
} else if (mode === 'ssh') {
  const s = net.connect({ host, port: 443 }, () => s.write('SSH-2.0-OpenSSH_9.2\r\n'));
  s.on('data', (d) => { console.log(`ssh got ${JSON.stringify(d.toString())}`); s.end(); });
}
EOF
W=www.mixed.test

# benign: trusted site chain, names match, modern TLS
conn "curl (default: TLS 1.3, ALPN h2,http/1.1)" "node http2 127.0.1.1 site chain" benign \
  "${CURL[@]}" --http2 --resolve "$W:443:127.0.1.1" "https://$W/"
conn "python3 ssl (max TLS 1.2, ALPN http/1.1)" "openssl s_server 127.0.1.2 site chain" benign \
  timeout 10 python3 py-client.py 127.0.1.2 "$W" root.pem
conn "node https.get" "openssl s_server 127.0.1.2 site chain" benign \
  timeout 10 node node-client.mjs https 127.0.1.2 "$W"
# bad
conn "curl -k --tls-max 1.2" "openssl s_server 127.0.2.1 self-signed" self-signed \
  "${INSECURE[@]}" --resolve "selfsigned.mixed.test:443:127.0.2.1" https://selfsigned.mixed.test/index.html
conn "curl -k --tls-max 1.2" "openssl s_server 127.0.2.2 expired leaf (site CA)" expired \
  "${INSECURE[@]}" --resolve "expired.mixed.test:443:127.0.2.2" https://expired.mixed.test/index.html
conn "curl -k --tls-max 1.2" "openssl s_server 127.0.2.3 OpenSSL default subject" openssl-default \
  "${INSECURE[@]}" --resolve "widgits.mixed.test:443:127.0.2.3" https://widgits.mixed.test/index.html
conn "curl -k --tls-max 1.2 (IP URL, no SNI)" "openssl s_server 127.0.2.4 Cobalt Strike-like default" c2-default \
  "${INSECURE[@]}" https://127.0.2.4/index.html
conn "curl -k --tls-max 1.2 (SNI www.mixed.test)" "openssl s_server 127.0.2.5 leaf for other.mixed.test" sni-mismatch \
  "${INSECURE[@]}" --resolve "$W:443:127.0.2.5" "https://$W/index.html"
conn "curl -k --tls-max 1.2 (SNI www.google.com)" "openssl s_server 127.0.2.6 self-signed" impersonation \
  "${INSECURE[@]}" --resolve "www.google.com:443:127.0.2.6" https://www.google.com/index.html
conn "openssl s_client -noservername" "openssl s_server 127.0.2.7 site chain" no-sni \
  sclient nosni.mixed.test -connect 127.0.2.7:443 -noservername
conn "openssl s_client -tls1 -cipher DEFAULT:@SECLEVEL=0" "openssl s_server -tls1 127.0.2.8 site chain" tls1.0 \
  sclient tls10.mixed.test -connect 127.0.2.8:443 -servername tls10.mixed.test -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
conn "curl http:// (plain HTTP)" "node http 127.0.2.9" plain-http \
  "${CURL[@]}" http://127.0.2.9:443/index.html
conn "node net, SSH banner" "node net 127.0.2.10 SSH banner" ssh \
  timeout 10 node node-client.mjs ssh 127.0.2.10
for i in 1 2 3 4 5 6; do
  start=$(date +%s.%N)
  conn "curl (beacon $i/6)" "openssl s_server 127.0.3.1 site chain" beacon \
    "${CURL[@]}" --resolve "beacon.mixed.test:443:127.0.3.1" https://beacon.mixed.test/index.html
  # one connection per second, whatever the client took (conn already slept 0.3 s)
  [[ $i == 6 ]] || sleep "$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { d = 1 - (n - s); print (d > 0 ? d : 0) }')"
done

sleep 1.5
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true

# ---------------------------------------------------------------- 4. checks and files
grep -q '^0 packets dropped by kernel' tcpdump.log || die "tcpdump dropped packets: $(tr '\n' ' ' < tcpdump.log)"
grep -q 'TLSv1$\|Protocol *: TLSv1$' "client-11.log" || { cat client-11.log >&2; die "connection 11 did not negotiate TLS 1.0"; }
streams=$(tshark -r lo.pcap -T fields -e tcp.stream 2>/dev/null | sort -un | wc -l)
[[ $streams == "$N" ]] || die "expected $N TCP connections in the capture, found $streams"
packets=$(capinfos -T -r -c lo.pcap | cut -f2)
mkdir -p "$OUT"
cp lo.pcap "$OUT/$BASE.pcap"
cp root.pem "$OUT/mixed-site-ca.pem"
cp connections.tsv "$OUT/$BASE.connections.tsv"
chmod 644 "$OUT/$BASE.pcap" "$OUT/mixed-site-ca.pem" "$OUT/$BASE.connections.tsv"
say "wrote $N connections, $packets packets, $(ls -s --block-size=K "$OUT/$BASE.pcap" | cut -d' ' -f1)"
