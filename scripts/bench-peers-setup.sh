#!/usr/bin/env bash
# Installs the Python peers of the comparative benchmarks into a private venv, bench/.venv
# (gitignored): selectolax (HTML parser), opencc (traditional→simplified), pyahocorasick
# (Aho-Corasick), scrapy (crawler); versions pinned in bench/requirements.txt, from PyPI.
#   ./scripts/bench-peers-setup.sh        prints the venv's python on its last line
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv
py=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv" 2>/dev/null || {
        echo "bench-peers-setup: python3 -m venv failed; installing python3-venv" >&2
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$venv"; "$py" -m venv "$venv"
    }
fi
stamp=$venv/.requirements.sha256
want=$(sha256sum bench/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r bench/requirements.txt >&2
    echo "$want" >"$stamp"
fi
"$venv/bin/python" - >&2 <<'PY'
import importlib.metadata as m
print("peers:", ", ".join("%s %s" % (p, m.version(p)) for p in ("selectolax", "opencc", "pyahocorasick", "scrapy")))
PY
echo "$PWD/$venv/bin/python"
