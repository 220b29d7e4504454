#!/usr/bin/env bash
# The cost of tracing and of the access log on the request path: scripts/bench-http.sh
# (release build, wrk) against the embedded platform with tracing off, sampled at 1 % and at
# 100 % (exported to Tests/Interop/otlp_receiver.py --quiet, which decodes every body with
# opentelemetry-proto), and with the access log off. Prints one line per case.
#   scripts/bench-tracing.sh [seconds=8] [connections=64] [wrk threads=1]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
connections=${2:-64}
threads=${3:-1}
scripts/install-test-deps.sh >/dev/null
receiver_log=$(mktemp)
python3 Tests/Interop/otlp_receiver.py --quiet >"$receiver_log" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true; rm -f "$receiver_log"' EXIT
for _ in $(seq 50); do grep -q listening "$receiver_log" && break; sleep 0.1; done
port=$(sed -n 's/^listening //p' "$receiver_log")
endpoint="http://127.0.0.1:$port"

run() {
    local label=$1
    shift
    local out
    out=$(env "$@" scripts/bench-http.sh "$seconds" "$connections" "$threads" 2>&1)
    local get post
    get=$(echo "$out" | grep "Requests/sec" | sed -n 1p | awk '{print $2}')
    post=$(echo "$out" | grep "Requests/sec" | sed -n 2p | awk '{print $2}')
    local get99 post99
    get99=$(echo "$out" | grep " 99%" | sed -n 1p | awk '{print $2}')
    post99=$(echo "$out" | grep " 99%" | sed -n 2p | awk '{print $2}')
    printf '%-34s GET %9s req/s (p99 %7s)   POST %9s req/s (p99 %7s)\n' "$label" "$get" "$get99" "$post" "$post99"
}

echo "bench-tracing: ${seconds}s per case, $connections connections, OTLP receiver on $endpoint"
run "tracing off, access log on" PAWNSHOP_ACCESS_LOG=true
run "tracing off, access log off" PAWNSHOP_ACCESS_LOG=false
run "tracing 1 % (traceidratio)" PAWNSHOP_ACCESS_LOG=true OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" \
    OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.01
run "tracing 100 % (always_on)" PAWNSHOP_ACCESS_LOG=true OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" \
    OTEL_TRACES_SAMPLER=always_on
