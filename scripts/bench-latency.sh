#!/usr/bin/env bash
# Write→readable latency on the real stack (#17), release build, the servers of
# scripts/servers.sh: for 1 and 3 dispatchers (three workers joined to all of them),
# `pawn-bench write-latency` sends adds open-loop at each constant rate (writes are due on a
# fixed schedule, whether earlier ones were answered or not: no coordinated omission) and
# times each from when it was due until `GET /item/fetch/{id}` on a replica shows the item;
# p50/p99/p99.9 per rate. Writes Benchmarks/RESULTS-latency.md.
# Usage: scripts/bench-latency.sh [seconds-per-rate=10] [rates=200,1000,5000]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rates=${2:-200,1000,5000}
scripts/install-test-deps.sh >/dev/null
# shellcheck source=scripts/bench/release-stack.sh
. scripts/bench/release-stack.sh
set +e  # a failing run is reported in the figures, and the next one still runs
out=$(mktemp)
for dispatchers in 1 3; do
    # Fresh servers: a new consumer group reads the topics from the start.
    scripts/servers.sh start >/dev/null
    python3 Tests/Chaos/fleet.py --binary "$binary" --bench "$bench" --scenario latency \
        --dispatchers "$dispatchers" --seconds "$seconds" --rates "$rates" --deadline 120 | tee -a "$out"
done
{
    echo "# Write→readable latency: scripts/bench-latency.sh $seconds $rates"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, release build, the servers of scripts/servers.sh (Tansu,"
    echo "SecantusDB, Redis) on loopback; three workers; every process, the servers and the load"
    echo "generator share the two cores. Each write is timed from when it was due (open loop) until"
    echo "the item's GET shows it."
    echo
    grep -E "dispatcher\(s\): write-latency|FAILED|exited" "$out" | sed 's/^fleet [0-9:]*: /- /'
} >Benchmarks/RESULTS-latency.md
cat Benchmarks/RESULTS-latency.md
