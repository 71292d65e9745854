#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback, for the tests and the worker benchmark.
#
#   scripts/pg-cluster.sh start DIR     initdb into DIR (created if missing), start on a free
#                                       port on 127.0.0.1 (unix socket in DIR), trust auth
#   scripts/pg-cluster.sh env DIR       print `export CLAIMSCAN_TEST_POSTGRES=postgres://…`
#   scripts/pg-cluster.sh stop DIR      stop the server and delete DIR
#   scripts/pg-cluster.sh restart DIR [DOWN]
#                                       stop (fast), stay down DOWN seconds (default 0), and
#                                       start again on the same port (tests)
#
# Installs Debian's `postgresql` if initdb is missing. initdb refuses to run as root, so
# as root the cluster runs as the `postgres` system user, which then owns DIR.
# fsync is off: the data is thrown away.
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|env|stop|restart DIR [DOWN]" >&2; exit 2; }

bin_dir() {
    local initdb
    initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$initdb" ]; then
        echo "pg-cluster: installing postgresql" >&2
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
        initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
    fi
    dirname "$initdb"
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_server() {
    local bin=$1 port
    port=$(cat "$dir/port")
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null
}

case "$cmd" in
start)
    bin=$(bin_dir)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" \
            || { echo "pg-cluster: the postgres user cannot reach $dir (a parent folder is closed to it); use a folder under /tmp" >&2; exit 1; }
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    free_port >"$dir/port"
    start_server "$bin" || { cat "$dir/server.log" >&2; exit 1; }
    echo "pg-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/port") ($dir)" >&2
    ;;
env)
    echo "export CLAIMSCAN_TEST_POSTGRES=postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
    echo "export CLAIMSCAN_TEST_PGDIR=$dir"
    ;;
restart)
    bin=$(bin_dir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    sleep "${3:-0}"
    start_server "$bin"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(bin_dir)
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|env|stop|restart DIR [DOWN]" >&2; exit 2 ;;
esac
