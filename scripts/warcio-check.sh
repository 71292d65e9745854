#!/usr/bin/env bash
# Checks WARC files with warcio (the reference Python WARC library):
#   scripts/warcio-check.sh DIR_OR_FILE...
# Runs `warcio check -v` (every record's block/payload digests) and `warcio index` on every
# *.warc.gz given or found in the given directories. Creates a venv with warcio under
# .build/warcio-venv on first use (pip install from PyPI).
# Exit: 0 all passed; 1 a check failed; 2 python3 is missing; 3 warcio could not be installed; 4 no files.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${WARCIO_VENV:-$root/.build/warcio-venv}"

if ! command -v python3 >/dev/null 2>&1; then
    echo "warcio-check: python3 not found" >&2
    exit 2
fi

# Tests run in parallel: only one of them creates the venv, the others wait.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/warcio" ]; then
    echo "warcio-check: creating $venv (pip install warcio)" >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >&2; then
        echo "warcio-check: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2
        exit 3
    fi
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'warcio>=1.7' >&2; then
        echo "warcio-check: pip install warcio failed" >&2
        rm -rf "$venv"
        exit 3
    fi
fi

files=()
for arg in "$@"; do
    if [ -d "$arg" ]; then
        while IFS= read -r f; do files+=("$f"); done < <(find "$arg" -maxdepth 1 -name '*.warc.gz' | sort)
    else
        files+=("$arg")
    fi
done
if [ ${#files[@]} -eq 0 ]; then
    echo "warcio-check: no .warc.gz files in: $*" >&2
    exit 4
fi

status=0
echo "== warcio check -v (${#files[@]} files)"
if ! "$venv/bin/warcio" check -v "${files[@]}"; then
    echo "warcio-check: warcio check FAILED" >&2
    status=1
fi
echo "== warcio index"
for f in "${files[@]}"; do
    if ! "$venv/bin/warcio" index -f offset,length,warc-type,warc-target-uri,http:status,filename "$f"; then
        echo "warcio-check: warcio index FAILED on $f" >&2
        status=1
    fi
done
exit $status
