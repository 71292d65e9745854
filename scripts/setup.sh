#!/usr/bin/env bash
# Installs the system packages claimscan builds against, if missing:
# libcurl (OpenSSL flavour) and ICU development files, pkg-config, python3 (demo server),
# PostgreSQL (the tests start a throw-away server: scripts/pg-cluster.sh).
set -euo pipefail
needed=()
for pkg in libcurl4-openssl-dev libicu-dev zlib1g-dev pkg-config python3 python3-venv postgresql; do
    dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if [ ${#needed[@]} -gt 0 ]; then
    echo "setup: installing ${needed[*]}" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift (6.x) is not on PATH" >&2; exit 1; }
