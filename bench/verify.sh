#!/usr/bin/env bash
# Benchmark: `treaty verify` and the reference `pact verifier` (PyPI
# pact-python-cli, from scripts/python-env.sh) on the same generated
# contract against the same fast provider, in the same run.
#
#   bench/verify.sh [INTERACTIONS...]      (default: 100 1000 5000)
#   RUNS=5: how many times --jobs 8 and the load loop alternate (medians)
#
# Prints wall time, CPU time and peak memory of each and the ratio, then
# `treaty verify --jobs 8` against what the provider itself can serve: a
# plain load loop (`bench_provider load`: the same state changes and
# requests on 8 connections, bodies read, nothing matched) gives the least
# time N interactions can take.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
VENV="$(scripts/python-env.sh)"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p treaty-cli --bin treaty
cargo build --release --quiet -p treaty-tests --example bench_provider
TREATY="$TARGET/release/treaty"
PROVIDER="$TARGET/release/examples/bench_provider"

work="$(mktemp -d)"
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$PROVIDER" serve > "$work/provider.out" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/provider.out" 2>/dev/null && break; sleep 0.05; done
addr="$(sed -n 's/^listening on //p' "$work/provider.out")"
port="${addr##*:}"
url="http://$addr"

# measure NAME COMMAND...: "wall user+sys peak_kb" into $work/NAME.time.
# The wall time is taken to the millisecond (/usr/bin/time gives
# hundredths), less what starting /usr/bin/time itself takes ($overhead).
measure() {
    local name=$1; shift
    local start=$EPOCHREALTIME
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1 || true
    local end=$EPOCHREALTIME
    read -r _ user sys mem < "$work/$name.time"
    echo "$(echo "scale=3; ($end - $start - $overhead) / 1" | bc) $(echo "$user + $sys" | bc) $mem"
}
overhead=$(for _ in $(seq 9); do
    start=$EPOCHREALTIME; /usr/bin/time -o /dev/null true; echo "$EPOCHREALTIME - $start" | bc
done | sort -g | sed -n 5p)

printf '%-13s %-8s %10s %10s %12s\n' interactions tool "wall s" "cpu s" "peak MiB"
sizes=("${@:-100 1000 5000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
for n in "${sizes[@]}"; do
    "$PROVIDER" contract "$n" > "$work/pact.json"
    read -r tw tc tm < <(measure treaty "$TREATY" verify "$work/pact.json" \
        --provider-url "$url" --state-change-url "$url/_state" --output json)
    grep -q '"verdict": "passed"' "$work/treaty.log" || { echo "treaty did not pass"; tail "$work/treaty.log"; exit 1; }
    read -r pw pc pm < <(measure pact "$VENV/bin/pact" verifier --hostname 127.0.0.1 --port "$port" \
        --state-change-url "$url/_state" --file "$work/pact.json" --no-colour)
    grep -q "get item" "$work/pact.log" || { echo "pact verifier did not run"; tail "$work/pact.log"; exit 1; }
    printf '%-13s %-8s %10s %10s %12s\n' "$n" treaty "$tw" "$tc" "$((tm / 1024))"
    printf '%-13s %-8s %10s %10s %12s\n' "$n" pact "$pw" "$pc" "$((pm / 1024))"
    echo "ratio (pact / treaty wall time) at $n: $(echo "scale=1; $pw / $tw" | bc)"
    # --jobs 8 and the load loop alternate RUNS times; medians are printed
    # (the first run after a large process exits pays for page faults the
    # others do not).
    runs=()
    for _ in $(seq "${RUNS:-5}"); do
        read -r jw jc jm < <(measure treaty8 "$TREATY" verify "$work/pact.json" --jobs 8 \
            --provider-url "$url" --state-change-url "$url/_state" --output json)
        grep -q '"verdict": "passed"' "$work/treaty8.log" || { echo "treaty --jobs 8 did not pass"; tail "$work/treaty8.log"; exit 1; }
        phase=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["duration"] / 1000, 3))' "$work/treaty8.log")
        # The loop's process timed as treaty's is (start-up and exit
        # included), and the time it takes sending, as it reports it.
        read -r lw _ _ < <(measure load "$PROVIDER" load "$url" "$n" 8)
        runs+=("$jw $jc $jm $phase $(cat "$work/load.log") $lw")
    done
    median() { printf '%s\n' "${runs[@]}" | awk -v f="$1" '{print $f}' | sort -g | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }
    jw=$(median 1); jc=$(median 2); jm=$(median 3); phase=$(median 4); floor=$(median 5); lw=$(median 6)
    printf '%-13s %-8s %10s %10s %12s\n' "$n" "treaty-j8" "$jw" "$jc" "$((jm / 1024))"
    echo "--jobs 8 at $n (median of ${#runs[@]}): ${jw} s (of which verifying ${phase} s, the rest start-up and reading the contract); a plain load loop sending the same requests takes ${floor} s (its process ${lw} s): $(echo "scale=2; $jw / $lw" | bc)x process to process, $(echo "scale=2; $jw / $floor" | bc)x against the loop's sending alone (verifying alone $(echo "scale=2; $phase / $floor" | bc)x)"
done
