#!/usr/bin/env bash
# The main job on the bundled fixtures: serves fixtures/demo on loopback
# (127.0.0.1 only), checks the pages over HTTP and from disk, and shows what
# was found. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --product claimscan >&2
bin=./.build/release/claimscan

port_file=$(mktemp)
python3 - "$port_file" <<'PY' &
import http.server, socketserver, os, sys, functools
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="fixtures/demo")
handler.log_message = lambda *a: None
with socketserver.TCPServer(("127.0.0.1", 0), handler) as httpd:
    open(sys.argv[1], "w").write(str(httpd.server_address[1]))
    httpd.serve_forever()
PY
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")

echo "== claimscan check over HTTP (loopback server on 127.0.0.1:$port)"
status=0
"$bin" check --allow-private-network \
    "http://127.0.0.1:$port/agency-hongda.gbk.html" \
    "http://127.0.0.1:$port/agency-mingde.html" || status=$?
echo "(exit status $status: 1 = findings)"
echo
echo "== claimscan check on files: a regulator's notice and a real 2018 exam-portal page (GBK)"
status=0
"$bin" check fixtures/demo/notice.txt fixtures/pages/med66.com.gbk.html || status=$?
echo "(exit status $status)"
