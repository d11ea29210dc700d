#!/usr/bin/env bash
# Self-test of the Python side of the interop tests (needs PyPI the first time).
#
#   tests/interop/selftest.sh
#
# 1. builds/reuses the venv (scripts/python-env.sh);
# 2. writes the pact-python pacts afresh and checks that they equal the
#    committed fixtures in tests/data/pact-python/ (else: regenerate them, see
#    tests/interop/README.md);
# 3. runs the reference `pact verifier` on them against provider.py: must pass;
# 4. breaks the provider in several ways: the verifier must fail (exit 1);
# 5. checks the guards of verify.py (pending-only failures, nothing verified).
# Ends with a "N passed, N failed" line; exits 1 if anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PACT_DO_NOT_TRACK=true
venv="$("$root/scripts/python-env.sh")" || { echo "python-env.sh failed"; exit 1; }
py="$venv/bin/python"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() { # check NAME EXPECTED_RC COMMAND...
    local name=$1 want=$2 got
    shift 2
    "$@" >"$tmp/out.log" 2>&1
    got=$?
    if [[ $got == "$want" ]]; then
        passed=$((passed + 1)); echo "ok   $name (exit $got)"
    else
        failed=$((failed + 1)); echo "FAIL $name: exit $got, expected $want"
        tail -n 40 "$tmp/out.log" | sed 's/^/     | /'
    fi
}

check "write_pacts.py writes 3 pacts" 0 "$py" "$root/tests/interop/write_pacts.py" "$tmp/pacts"
check "fixtures in tests/data/pact-python are up to date" 0 \
    diff -r "$root/tests/data/pact-python" "$tmp/pacts"
check "pact verifier passes on fresh pacts" 0 "$py" "$root/tests/interop/verify.py" "$tmp/pacts"
check "pact verifier passes on committed fixtures" 0 \
    "$py" "$root/tests/interop/verify.py" "$root/tests/data/pact-python"
for f in "$root"/tests/data/pact-python/*.json; do
    check "pact verifier passes on $(basename "$f")" 0 "$py" "$root/tests/interop/verify.py" "$f"
done
for b in user-name status message state; do
    check "pact verifier fails with provider --break $b" 1 \
        "$py" "$root/tests/interop/verify.py" --break "$b" "$tmp/pacts"
done
check "pact verifier fails without state-change URL" 1 \
    "$py" "$root/tests/interop/verify.py" --no-state-change "$tmp/pacts"
check "a failing pending interaction passes" 0 \
    "$py" "$root/tests/interop/verify.py" --break pending "$tmp/pacts"
check "a failing pending interaction fails with --strict" 1 \
    "$py" "$root/tests/interop/verify.py" --strict --break pending "$tmp/pacts"
mkdir -p "$tmp/empty"
check "verify.py exits 3 when nothing was verified" 3 \
    "$py" "$root/tests/interop/verify.py" "$tmp/empty"

echo "interop: $passed passed, $failed failed"
[[ $failed == 0 ]]
