#!/usr/bin/env bash
# Broker benchmark: seeds 200 pacticipants, 50,000 versions, 20,000
# distinct contracts and 200,000 verification results, then measures
# can-i-deploy, pacts-for-verification and publish latency (p50/p99) over
# HTTP, and the database size. Prints a Markdown table for RESULTS.md.
# Usage: bench/broker.sh [DB_PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --locked -p treaty-bench --bin broker-bench -- "$@"
