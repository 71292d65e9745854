# Sourced helper: generated agency sites (bench/crawl/gen-sites.py) served by a private nginx
# on loopback, site N on 127.0.0.(N+2) — the set-up of scripts/bench-crawl.sh, for other
# benchmarks (scripts/bench-scrapy.sh). The system nginx config and service are never touched.
#
#   . scripts/lib/loopback-sites.sh
#   ls_tools                       installs nginx and /usr/bin/time if missing
#   ls_install PACKAGE             installs a Debian package
#   ls_start WORK MAX_SITES SEED   generates the sites in WORK/sites, starts nginx;
#                                  sets LS_PORT, LS_NGINX_PID, LS_WORKER_PID, LS_NGINX_BIN
#   ls_urls N                      prints the first N sites' start URLs
#   ls_csv N FILE                  writes the claimscan agency registry CSV of the first N sites
#   ls_stop                        stops nginx (call from the caller's EXIT trap)
#   ls_wait_idle                   waits up to 30 s for the machine to be idle
#   ls_busy_ticks / ls_worker_ticks   CPU ticks of the machine / the nginx worker
# Everything stays on loopback.

ls_install() {  # PACKAGE: installs a Debian package (updating the package lists if needed)
    local SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null \
        || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null; }
}

ls_tools() {
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
        echo "loopback-sites: installing nginx (Debian package; its default service is not used)" >&2
        ls_install nginx
    fi
    LS_NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x /usr/bin/time ] || ls_install time
}

_ls_conf() {  # PORT
    local prefix=$LS_WORK/nginx i d
    {
        echo "worker_processes 1;"
        echo "daemon off;"
        echo "pid $prefix/nginx.pid;"
        echo "error_log $prefix/logs/error.log warn;"
        echo "events { worker_connections 1024; }"
        echo "http {"
        echo "    types { text/html html; text/plain txt; application/xml xml; }"
        echo "    default_type application/octet-stream;"
        echo "    access_log off;"
        echo "    sendfile on;"
        echo "    keepalive_requests 10000;"
        echo "    keepalive_timeout 60s;"
        echo "    open_file_cache max=20000 inactive=120s;"
        for d in client_body proxy fastcgi uwsgi scgi; do echo "    ${d}_temp_path $prefix/tmp/$d;"; done
        for ((i = 0; i < LS_SITES; i++)); do
            printf '    server { listen 127.0.0.%d:%d; root %s/sites/site-%03d; }\n' $((i + 2)) "$1" "$LS_WORK" "$i"
        done
        echo "}"
    } >"$prefix/nginx.conf"
}

_ls_probe() {  # PORT ADDRESS: robots.txt answers 200
    python3 - "$1" "$2" <<'PY'
import http.client, sys
try:
    c = http.client.HTTPConnection(sys.argv[2], int(sys.argv[1]), timeout=1)
    c.request("GET", "/robots.txt"); sys.exit(0 if c.getresponse().status == 200 else 1)
except OSError:
    sys.exit(1)
PY
}

ls_start() {  # WORK MAX_SITES SEED
    LS_WORK=$1 LS_SITES=$2
    local seed=$3 prefix=$1/nginx p attempt
    [ "$LS_SITES" -le 250 ] || { echo "loopback-sites: at most 250 sites (127.0.0.2–251)" >&2; return 2; }
    chmod 755 "$LS_WORK"    # the nginx worker (nobody, when started as root) reads the sites
    python3 bench/crawl/gen-sites.py "$LS_WORK/sites" "$LS_SITES" --seed "$seed"
    mkdir -p "$prefix/logs" "$prefix/tmp"
    LS_PORT="" LS_NGINX_PID=""
    for attempt in 1 2 3 4 5; do
        p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0)); print(s.getsockname()[1]); s.close()')
        _ls_conf "$p"
        "$LS_NGINX_BIN" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
        LS_NGINX_PID=$!
        for _ in $(seq 50); do
            kill -0 "$LS_NGINX_PID" 2>/dev/null || break
            if _ls_probe "$p" 127.0.0.2 && _ls_probe "$p" "127.0.0.$((LS_SITES + 1))"; then LS_PORT=$p; break; fi
            sleep 0.1
        done
        [ -n "$LS_PORT" ] && break
        kill -QUIT "$LS_NGINX_PID" 2>/dev/null || true; wait "$LS_NGINX_PID" 2>/dev/null || true; LS_NGINX_PID=""
    done
    [ -n "$LS_PORT" ] || { echo "loopback-sites: nginx did not start:" >&2; cat "$prefix/logs/error.log" >&2; return 3; }
    LS_WORKER_PID=$(pgrep -P "$LS_NGINX_PID" | head -1)
    echo "nginx $("$LS_NGINX_BIN" -v 2>&1 | sed 's/.*\///') (master $LS_NGINX_PID, 1 worker $LS_WORKER_PID) on 127.0.0.2–127.0.0.$((LS_SITES + 1)):$LS_PORT"
}

ls_stop() {
    if [ -n "${LS_NGINX_PID:-}" ] && kill -0 "$LS_NGINX_PID" 2>/dev/null; then
        kill -QUIT "$LS_NGINX_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$LS_NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$LS_NGINX_PID" 2>/dev/null || true
        wait "$LS_NGINX_PID" 2>/dev/null || true
    fi
    LS_NGINX_PID=""
}

ls_urls() {  # N
    python3 - "$LS_WORK/sites/manifest.json" "$1" "$LS_PORT" <<'PY'
import json, sys
m, n, port = json.load(open(sys.argv[1], encoding="utf-8")), int(sys.argv[2]), sys.argv[3]
for s in m["sites"][:n]:
    print("http://%s:%s/" % (s["address"], port))
PY
}

ls_csv() {  # N FILE
    python3 - "$LS_WORK/sites/manifest.json" "$1" "$LS_PORT" "$2" <<'PY'
import csv, json, sys
manifest, n, port, out = json.load(open(sys.argv[1], encoding="utf-8")), int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["name", "registration_no", "region", "urls"])
    for s in manifest["sites"][:n]:
        w.writerow([s["name"], s["registration_no"], s["region"], "http://%s:%s/" % (s["address"], port)])
PY
}

ls_worker_ticks() { awk '{print $14 + $15}' "/proc/$LS_WORKER_PID/stat"; }
ls_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
ls_wait_idle() {
    local b0 b1 hz
    hz=$(getconf CLK_TCK)
    for _ in $(seq 60); do
        b0=$(ls_busy_ticks); sleep 0.5; b1=$(ls_busy_ticks)
        [ $(( (b1 - b0) * 100 )) -lt $(( hz * 5 )) ] && return 0
    done
    echo "loopback-sites: note: the machine is busy with other processes; measuring anyway" >&2
}
