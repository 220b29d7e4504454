#!/usr/bin/env bash
# Kafka and the worker pipeline, release build, against the servers of scripts/servers.sh
# (restarted here, so the broker starts empty):
#   produce   our producer vs kcat -P: N records of 100 bytes to a fresh 6-partition topic,
#             the same librdkafka settings on both sides (acks=all, idempotence, linger 5 ms)
#   consume   our consumer vs kcat -G: the same N records, each in a new consumer group
#   pipeline  N AddItem events from Kafka through a worker into MongoDB (SecantusDB)
# Usage: scripts/bench-kafka.sh [records=200000] [pipeline-events=20000]
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

"$bench" kafka-produce --broker "$broker" --topic bench-kcat --count 0 >/dev/null  # creates the topic
echo "bench-kafka: produce $records records of 100 B"
start=$(date +%s.%N)
"$bench" kafka-produce --broker "$broker" --topic bench-ours --count "$records" --size 100 | tee "$work/ours-produce.txt"
ours_produce=$(elapsed "$start" "$(date +%s.%N)")
start=$(date +%s.%N)
kcat -P -b "$broker" -t bench-kcat "${settings[@]}" -l "$work/records"
kcat_produce=$(elapsed "$start" "$(date +%s.%N)")

echo "bench-kafka: consume $records records in a new group"
start=$(date +%s.%N)
"$bench" kafka-consume --broker "$broker" --topic bench-kcat --count "$records" | tee "$work/ours-consume.txt"
ours_consume=$(elapsed "$start" "$(date +%s.%N)")
start=$(date +%s.%N)
count=$(kcat -b "$broker" -G "bench-kcat-$$" -X auto.offset.reset=earliest -X session.timeout.ms=6000 -e -q -f '.\n' bench-kcat | wc -l)
kcat_consume=$(elapsed "$start" "$(date +%s.%N)")
[ "$count" -eq "$records" ] || echo "bench-kafka: kcat consumed $count of $records"

echo "bench-kafka: pipeline $events events into MongoDB"
"$bench" pipeline --broker "$broker" --mongo "$PAWN_TEST_MONGO" --count "$events" | tee "$work/pipeline.txt"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
cat <<TABLE

| case | ours (wall s) | kcat (wall s) | ours ÷ kcat (throughput) |
|---|---|---|---|
| produce $records × 100 B | $ours_produce | $kcat_produce | $(ratio "$ours_produce" "$kcat_produce") |
| consume $records in a new group | $ours_consume | $kcat_consume | $(ratio "$ours_consume" "$kcat_consume") |

$(cat "$work/pipeline.txt")
TABLE
