#!/usr/bin/env bash
# Create (or reuse) the Python venv for treaty's interop tests and print its path.
#
# Usage: scripts/python-env.sh            # prints e.g. /path/to/repo/.venv
#        VENV=$(scripts/python-env.sh) && "$VENV/bin/pact" verifier --help
#
# The venv is $TREATY_VENV if set, else .venv at the repository root. It holds
# the exact pins of tests/interop/requirements.txt (pact-python-cli, which
# provides the `pact` binary, and pact-python). Idempotent: a stamp file in the
# venv records the pins and the Python it was built for; when both are
# unchanged and the venv is intact, nothing is installed. When they change, the
# venv is rebuilt from scratch. Needs Python >= 3.11 ($PYTHON, else the first
# of python3.13 python3.12 python3.11 python3 on PATH) and PyPI through pip.
# Progress goes to stderr; stdout is only the venv path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/tests/interop/requirements.txt"
venv="${TREATY_VENV:-$root/.venv}"
stamp="$venv/.treaty-python-env.stamp"

log() { echo "python-env: $*" >&2; }

find_python() {
    local cand
    for cand in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 &&
            "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$cand"
            return 0
        fi
    done
    return 1
}

py="$(find_python)" || { log "no Python >= 3.11 found (set PYTHON=...)"; exit 1; }
# The stamp: the pins, and the interpreter (a rebuilt Python means a new venv).
want="$(
    "$py" -c 'import sys, platform; print(sys.version.split()[0], platform.machine(), sys.base_prefix)'
    cat "$req"
)"

if [[ -f "$stamp" && -x "$venv/bin/python" && -x "$venv/bin/pact" ]] &&
    [[ "$(cat "$stamp")" == "$want" ]] &&
    "$venv/bin/python" -c 'import pact' 2>/dev/null; then
    echo "$venv"
    exit 0
fi

mkdir -p "$(dirname "$venv")"
# Serialise concurrent runs (CI steps, parallel test processes).
exec 9>"$venv.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
# Another run may have finished the job while we waited.
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/pact" ]]; then
    echo "$venv"
    exit 0
fi

log "building $venv with $py ($("$py" --version 2>&1))"
rm -rf "$venv"
if ! "$py" -m venv "$venv" >&2; then
    # Debian's own python3 lacks ensurepip until python3-venv is installed.
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "python -m venv failed; installing Debian's python3-venv"
        rm -rf "$venv"
        apt-get update -qq >&2 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
        "$py" -m venv "$venv" >&2
    else
        log "python -m venv failed (on Debian: apt-get install python3-venv)"
        exit 1
    fi
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
"$venv/bin/python" -m pip install --quiet --no-cache-dir -r "$req" >&2
"$venv/bin/python" -m pip check >&2
PACT_DO_NOT_TRACK=true "$venv/bin/pact" verifier --version >&2
printf '%s\n' "$want" >"$stamp"
log "ready: $venv"
echo "$venv"
