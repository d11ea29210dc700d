#!/usr/bin/env bash
# Stub server benchmark: `treaty stub` against the reference `pact stub`
# (PyPI pact-python-cli, via scripts/python-env.sh) and a plain axum server
# answering the same body, on generated contracts of 100, 1,000 and 5,000
# interactions. For each: startup time (spawn to first answered request),
# requests/s and p50/p99 latency under wrk load on four paths (the first
# interaction, the last, a 60 kB body, a miss), and peak memory.
#
# Usage: bench/stub.sh [--record]     (--record appends the table to bench/RESULTS.md)
# Env:   SIZES="100 1000 5000" DURATION=10s PACT_DURATION=10s CONNECTIONS=32 THREADS=2
#        PACT_MEM_MIB=4096: address-space cap for pact stub, which has been seen
#        to grow past 24 GiB on one request with 5,000 interactions (a failed
#        pact run is reported as n/a rather than set off the machine's OOM killer)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

SIZES=${SIZES:-"100 1000 5000"}
DURATION=${DURATION:-10s}
PACT_DURATION=${PACT_DURATION:-10s}
PACT_MEM_MIB=${PACT_MEM_MIB:-4096}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
record=false
[[ ${1:-} == --record ]] && record=true

log() { echo "bench: $*" >&2; }

if ! command -v wrk >/dev/null; then
    log "installing wrk from Debian's packages"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
export PACT_DO_NOT_TRACK=true
venv=$(scripts/python-env.sh)
target=${CARGO_TARGET_DIR:-$root/target}
log "building (release)"
cargo build --release --locked -q -p treaty-cli -p treaty-bench
treaty=$target/release/treaty
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Polls (10 ms steps, 60 s at most) until GET $1 answers 200, while
# process $2 lives.
wait_ok() {
    for _ in $(seq 6000); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$1" || true) == 200 ]] && return 0
        kill -0 "$2" 2>/dev/null || break
        sleep 0.01
    done
    log "no answer from $1"
    return 1
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Peak resident memory (MiB) of a process and its children.
peak_mib() {
    local total=0 pid kb
    for pid in "$1" $(pgrep -P "$1" || true); do
        kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        total=$((total + kb))
    done
    echo $((total / 1024))
}

# wrk on a URL: prints "requests/s p50_ms p99_ms".
load() {
    local url=$1 duration=$2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency "$url" |
        awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

paths() { echo "/items/0 /items/$(($1 - 1)) /large /no/such/route"; }
label() {
    case $1 in
    /items/0) echo first ;;
    /large) echo "large body" ;;
    /no/such/route) echo miss ;;
    *) echo last ;;
    esac
}

# Loads each path of a server: name, size, base URL, duration, startup ms, pid.
measure() {
    local name=$1 size=$2 base=$3 duration=$4 startup=$5 pid=$6 path result
    for path in $(paths "$size"); do
        result=$(load "$base$path" "$duration")
        read -r rps p50 p99 <<<"$result"
        echo "$name $size $(label "$path" | tr ' ' _) $rps $p50 $p99" >>"$work/results"
    done
    echo "$name $size startup $startup $(peak_mib "$pid")" >>"$work/startup"
}

for size in $SIZES; do
    contract=$work/pact-$size.json
    "$target/release/stub-corpus" "$size" "$contract"

    log "treaty stub, $size interactions"
    rm -f "$work/treaty.out"
    start=$(now_ms)
    "$treaty" stub "$contract" --port 0 >"$work/treaty.out" 2>/dev/null &
    pid=$!
    pids+=("$pid")
    until [[ -s $work/treaty.out ]]; do
        kill -0 "$pid" || { log "treaty stub did not start"; exit 1; }
        sleep 0.005
    done
    base=$(head -1 "$work/treaty.out")
    wait_ok "$base/items/0" "$pid"
    startup=$(($(now_ms) - start))
    measure treaty "$size" "$base" "$DURATION" "$startup" "$pid"
    kill -INT "$pid"
    wait "$pid" || true

    log "pact stub, $size interactions"
    port=$(free_port)
    start=$(now_ms)
    (
        ulimit -v $((PACT_MEM_MIB * 1024))
        exec "$venv/bin/pact" stub -f "$contract" -p "$port" >"$work/pact.log" 2>&1
    ) &
    pid=$!
    pids+=("$pid")
    if wait_ok "http://127.0.0.1:$port/items/0" "$pid"; then
        startup=$(($(now_ms) - start))
        measure pact "$size" "http://127.0.0.1:$port" "$PACT_DURATION" "$startup" "$pid"
    else
        log "pact stub failed with $size interactions: $(tail -c 300 "$work/pact.log")"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done

log "plain axum server"
last=$(echo "$SIZES" | awk '{print $NF}')
for path in /items/0 /large; do
    body=$work/body-$(label "$path" | tr ' ' _).json
    python3 - "$work/pact-$last.json" "$path" >"$body" <<'PY'
import json, sys
pact = json.load(open(sys.argv[1]))
for i in pact["interactions"]:
    if i["request"]["path"] == sys.argv[2]:
        json.dump(i["response"]["body"], sys.stdout, separators=(",", ":"))
        break
PY
    rm -f "$work/plain.out"
    "$target/release/plain-server" "$body" >"$work/plain.out" &
    pid=$!
    pids+=("$pid")
    until [[ -s $work/plain.out ]]; do sleep 0.005; done
    plain=$(head -1 "$work/plain.out")
    result=$(load "$plain$path" "$DURATION")
    echo "plain - $(label "$path" | tr ' ' _) $result" >>"$work/results"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done

# The table: one row per size and path, with ratios.
table=$(python3 - "$work/results" "$work/startup" <<'PY'
import sys
res = {}
for line in open(sys.argv[1]):
    name, size, path, rps, p50, p99 = line.split()
    res[(name, size, path)] = (float(rps), float(p50), float(p99))
start = {}
for line in open(sys.argv[2]):
    name, size, _, ms, mib = line.split()
    start[(name, size)] = (int(ms), int(mib))
plain = {p: v for (n, s, p), v in res.items() if n == "plain"}
print("| interactions | path | treaty req/s | treaty p50 / p99 ms | pact req/s | pact p50 / p99 ms | plain axum req/s | plain p50 / p99 ms | treaty ÷ pact | treaty ÷ plain |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
sizes = sorted({s for (n, s, p) in res if n == "treaty"}, key=int)
lat = lambda v: f"{v[1]:.2f} / {v[2]:.2f}" if v else "n/a"
for size in sizes:
    for path in ["first", "last", "large_body", "miss"]:
        t = res.get(("treaty", size, path)); p = res.get(("pact", size, path))
        base = plain.get("large_body" if path == "large_body" else "first")
        ratio = f"{t[0] / p[0]:,.0f}×" if p and p[0] else "n/a"
        vs_plain = f"{t[0] / base[0]:.2f}" if base and base[0] else "n/a"
        pact_rps = f"{p[0]:,.0f}" if p else "n/a"
        print(f"| {int(size):,} | {path.replace('_', ' ')} | {t[0]:,.0f} | {lat(t)} | {pact_rps} | {lat(p)} | "
              f"{base[0]:,.0f} | {lat(base)} | {ratio} | {vs_plain} |")
print()
print("| interactions | treaty startup | pact startup | treaty peak memory | pact peak memory |")
print("| ---: | ---: | ---: | ---: | ---: |")
for size in sizes:
    t = start[("treaty", size)]; p = start.get(("pact", size))
    ps, pm = (f"{p[0]} ms", f"{p[1]} MiB") if p else ("failed", "n/a")
    print(f"| {int(size):,} | {t[0]} ms | {ps} | {t[1]} MiB | {pm} |")
PY
)
echo "$table"
if $record; then
    {
        echo
        echo "## Stub server (\`bench/stub.sh\`, $(date -u +%Y-%m-%d))"
        echo
        echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per path for treaty and"
        echo "the plain server, $PACT_DURATION for pact stub ($("$venv/bin/pact" stub --version 2>/dev/null | head -1));"
        echo "load generator and server share the machine's 2 cores. Startup is spawn to"
        echo "first answered request."
        echo
        echo "$table"
    } >>bench/RESULTS.md
    log "appended to bench/RESULTS.md"
fi
