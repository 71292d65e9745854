#!/usr/bin/env bash
# The main job on the bundled fixtures. Serves the fixture agency sites on
# loopback addresses (127.0.0.2–4, nothing leaves the machine), imports the
# agency registry, scans every site into an embedded SQLite case queue with
# WARC evidence, and shows the queue. Then one inspector-style `check`.
# Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --static-swift-stdlib --product claimscan >&2
bin=$PWD/.build/release/claimscan

work=$(mktemp -d -t claimscan-demo-XXXXXX)
python3 scripts/serve-fixtures.py "$work/port" "$work/agencies.csv" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
export CLAIMSCAN_DB="$work/claimscan.db"

echo "== 1. the agency registry (fixtures/sites/agencies.csv.in, served on 127.0.0.2–4:$port)"
"$bin" agencies import "$work/agencies.csv"
"$bin" agencies list
echo
echo "== 2. the scheduled scan (politeness delay 0 for the demo; robots.txt obeyed)"
"$bin" scan --allow-private-network --delay 0 --quiet
echo
echo "== 3. the case queue, most severe first"
"$bin" cases list
echo
echo "== 4. one case in full, its evidence re-read from the WARC file and verified"
"$bin" cases show 1
echo
echo "== 5. a rescan: unchanged pages answer 304, their cases stay seen"
"$bin" scan --allow-private-network --delay 0 --quiet
echo
echo "== 6. an inspector checks one page over HTTP"
status=0
"$bin" check --allow-private-network "http://127.0.0.4:$port/courses.html" || status=$?
echo "(check exit status $status: 1 = findings)"
echo
echo "== 7. an inspector pastes a sales message: a promise in words no rule knows — the promise"
echo "==    model reports it (low severity, to be checked), the rules alone (--no-model) do not"
message="您只管来上课，考场那边的事情我们去打点，到时候安心等证就行。"
status=0
echo "$message" | "$bin" check - || status=$?
echo "(check exit status $status)"
status=0
echo "$message" | "$bin" check --no-model - || status=$?
echo "(check --no-model exit status $status: 0 = nothing found)"
echo
echo "database and evidence kept in $work"
