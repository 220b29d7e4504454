#!/usr/bin/env bash
# The operator console's page weight and time to first render, on loopback: a release
# `pawnshop --seed-demo` and headless Chromium (Tests/Interop/console_weight.py) with the
# browser cache off, RUNS loads per page (median). Prints a Markdown table for
# Benchmarks/RESULTS-console.md.
#   scripts/bench-console.sh [runs=7]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
port=${BENCH_PORT:-18490}
scripts/install-test-deps.sh >/dev/null
swift build -c release --product pawnshop >/dev/null
bin=$(swift build -c release --show-bin-path)/pawnshop
"$bin" --port "$port" --seed-demo >/tmp/pawnshop-console-bench.log 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
until curl -sf "http://127.0.0.1:$port/item/fetch/ring-1" >/dev/null; do sleep 0.1; done
echo "bench-console: $runs loads per page, cache off, $(nproc) cores, $(chromium --version 2>/dev/null)"
python3 Tests/Interop/console_weight.py "http://127.0.0.1:$port" "$runs"
