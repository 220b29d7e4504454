#!/usr/bin/env bash
# Several dispatchers (#18), release build, the servers of scripts/servers.sh:
#   throughput  writes/s and write->applied p50/p99 with 1 and 3 dispatchers (wrk adding items)
#   drain       the shared parking lot: load at RATE writes/s, Kafka away for OUTAGE s, then
#               the time until the lot is empty while the load goes on (1 and 3 dispatchers)
#   ordering    the per-item ordering rule's cost on the write path: 32 clients publishing
#               awaited actions with barriers and without (pawn-bench ordering), both orders
# Usage: scripts/bench-fleet.sh [seconds=15] [rate=200] [outage=30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
rate=${2:-200}
outage=${3:-30}
scripts/install-test-deps.sh >/dev/null
if ! command -v wrk >/dev/null; then
    echo "bench-fleet: installing wrk from Debian"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "bench-fleet: need root or sudo to install wrk" >&2; exit 1; }
        sudo="sudo"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
# shellcheck source=scripts/bench/release-stack.sh
. scripts/bench/release-stack.sh
set +e  # a failing run is reported in the figures, and the next one still runs
out=$(mktemp)
# Each run on servers started afresh: a run's workers form a new consumer group, which
# reads the topics from the start, and the earlier runs' records would be replayed first.
fresh() { scripts/servers.sh start >/dev/null; }
for dispatchers in 1 3; do
    fresh
    python3 Tests/Chaos/fleet.py --binary "$binary" --scenario throughput --dispatchers "$dispatchers" \
        --seconds "$seconds" --deadline 120 | tee -a "$out"
done
for dispatchers in 1 3; do
    fresh
    echo "drain: $dispatchers dispatcher(s), $rate writes/s offered, Kafka away $outage s" >>"$out"
    python3 Tests/Chaos/fleet.py --binary "$binary" --scenario drain --dispatchers "$dispatchers" \
        --rate "$rate" --threads 48 --outage "$outage" --outage-after 10 --deadline 120 | tee -a "$out"
done
# The ordering rule's cost on the write path: awaited publishes with and without barriers.
fresh
for first in true false; do
    "$bench" ordering --broker "$PAWN_TEST_KAFKA" --clients 32 --seconds 10 --barrier-first "$first" | tee -a "$out"
done
# The figures, for Benchmarks/RESULTS-fleet.md (Benchmarks/run.sh writes RESULTS.md).
{
    echo "# Several dispatchers: scripts/bench-fleet.sh $seconds $rate $outage"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, release build, the servers of scripts/servers.sh (Tansu,"
    echo "SecantusDB, Redis) on loopback, librdkafka's default batching."
    echo
    grep -E "dispatcher\(s\):|in MongoDB .* after|before the outage|the lot emptied|FAILED|never applied|^ordering:|^drain:" "$out" \
        | sed 's/^fleet [0-9:]*: /- /; s/^ordering: /- ordering: /; s/^drain: /- drain, /'
} >Benchmarks/RESULTS-fleet.md
rm -f "$out"
cat Benchmarks/RESULTS-fleet.md
