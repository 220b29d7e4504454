#!/usr/bin/env bash
# Kafka and the worker pipeline, release build, against the servers of scripts/servers.sh
# (restarted here, so the broker starts empty):
#   produce   our producer vs kcat -P: N records of 100 bytes to a fresh 6-partition topic,
#             the same librdkafka settings on both sides (acks=all, idempotence, linger 5 ms)
#   consume   our consumer vs kcat -G: the same N records, each in a new consumer group
#   pipeline  N events from Kafka through a worker into MongoDB (SecantusDB), for three
#             workloads (adds; sells of existing items; half and half), each against a raw
#             libmongoc writer doing the same document writes (pawn-bench raw-mongo)
# Usage: scripts/bench-kafka.sh [records=200000] [pipeline-events=20000]
# BENCH_PEER_FIRST=1 runs kcat before ours in each pair; every figure is also printed as a
# line `raw: kafka CASE SIDE REPETITION SECONDS RECORDS` (REPETITION from BENCH_REPETITION,
# default 1) for Benchmarks/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-200000}
events=${2:-20000}
scripts/servers.sh start >/dev/null
# shellcheck disable=SC2046
export $(scripts/servers.sh env)
swift build -c release --product pawn-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/pawn-bench
broker=$PAWN_TEST_KAFKA
work=$(mktemp -d)
trap 'rm -rf "$work"; scripts/servers.sh stop' EXIT
head -c 100 /dev/zero | tr '\0' x >"$work/line"
awk -v n="$records" -v line="$(cat "$work/line")" 'BEGIN { for (i = 0; i < n; i++) print line }' >"$work/records"
settings=(-X acks=all -X enable.idempotence=true -X linger.ms=5)

elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }

# Both topics exist before either side is timed.
"$bench" kafka-produce --broker "$broker" --topic bench-kcat --count 0 --create >/dev/null
"$bench" kafka-produce --broker "$broker" --topic bench-ours --count 0 --create >/dev/null
repetition=${BENCH_REPETITION:-1}
ours_produce_case() {
    local start
    start=$(date +%s.%N)
    "$bench" kafka-produce --broker "$broker" --topic bench-ours --count "$records" --size 100 | tee "$work/ours-produce.txt"
    ours_produce=$(elapsed "$start" "$(date +%s.%N)")
}
kcat_produce_case() {
    local start
    start=$(date +%s.%N)
    kcat -P -b "$broker" -t bench-kcat "${settings[@]}" -l "$work/records"
    kcat_produce=$(elapsed "$start" "$(date +%s.%N)")
}
ours_consume_case() {
    local start
    start=$(date +%s.%N)
    "$bench" kafka-consume --broker "$broker" --topic bench-kcat --count "$records" | tee "$work/ours-consume.txt"
    ours_consume=$(elapsed "$start" "$(date +%s.%N)")
}
kcat_consume_case() {
    local start count
    start=$(date +%s.%N)
    count=$(kcat -b "$broker" -G "bench-kcat-$$" -X auto.offset.reset=earliest -X session.timeout.ms=6000 -e -q -f '.\n' bench-kcat | wc -l)
    kcat_consume=$(elapsed "$start" "$(date +%s.%N)")
    [ "$count" -eq "$records" ] || echo "bench-kafka: kcat consumed $count of $records"
}
# Both consumers read what kcat produced (both produces come before either consume).
echo "bench-kafka: produce $records records of 100 B"
if [ "${BENCH_PEER_FIRST:-0}" = 1 ]; then kcat_produce_case; ours_produce_case; else ours_produce_case; kcat_produce_case; fi
echo "bench-kafka: consume $records records in a new group"
if [ "${BENCH_PEER_FIRST:-0}" = 1 ]; then kcat_consume_case; ours_consume_case; else ours_consume_case; kcat_consume_case; fi
echo "raw: kafka produce ours $repetition $ours_produce $records"
echo "raw: kafka produce kcat $repetition $kcat_produce $records"
echo "raw: kafka consume ours $repetition $ours_consume $records"
echo "raw: kafka consume kcat $repetition $kcat_consume $records"

# The pipeline against the raw libmongoc writer on the same server, for each workload.
: >"$work/pipeline.txt"
pipeline_case() { # workload side
    if [ "$2" = ours ]; then
        "$bench" pipeline --broker "$broker" --mongo "$PAWN_TEST_MONGO" --count "$events" --workload "$1" | tee -a "$work/pipeline.txt"
        echo "raw: pipeline $1 ours $repetition $(tail -1 "$work/pipeline.txt" | awk '{ print $(NF-1) }')"
    else
        "$bench" raw-mongo --mongo "$PAWN_TEST_MONGO" --count "$events" --workload "$1" | tee -a "$work/pipeline.txt"
        echo "raw: pipeline $1 raw $repetition $(tail -1 "$work/pipeline.txt" | awk '{ print $(NF-1) }')"
    fi
}
for workload in adds actions mix; do
    echo "bench-kafka: pipeline, $workload, $events events into MongoDB"
    # Fresh servers for each workload: a new consumer group reads the topics from the start,
    # so records of earlier cases would be counted (and Tansu slows as its topics fill).
    scripts/servers.sh stop >/dev/null
    scripts/servers.sh start >/dev/null
    if [ "${BENCH_PEER_FIRST:-0}" = 1 ]; then
        pipeline_case "$workload" raw; pipeline_case "$workload" ours
    else
        pipeline_case "$workload" ours; pipeline_case "$workload" raw
    fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
cat <<TABLE

| case | ours (wall s) | kcat (wall s) | ours ÷ kcat (throughput) |
|---|---|---|---|
| produce $records × 100 B | $ours_produce | $kcat_produce | $(ratio "$ours_produce" "$kcat_produce") |
| consume $records in a new group | $ours_consume | $kcat_consume | $(ratio "$ours_consume" "$kcat_consume") |

$(cat "$work/pipeline.txt")
TABLE
