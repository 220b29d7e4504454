#!/usr/bin/env bash
# gRPC benchmark of a worker's FetchItemById with h2load (Debian's nghttp2-client), release
# build: a dispatcher and a worker (demo catalogue) as separate processes, h2load against
# the worker. Prints calls/s and latency percentiles. Usage:
#   scripts/bench-grpc.sh [calls=200000] [connections=10] [streams-per-connection=100]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-200000}
connections=${2:-10}
streams=${3:-100}
dispatcher_port=${BENCH_GRPC_DISPATCHER_PORT:-18551}
worker_port=${BENCH_GRPC_WORKER_PORT:-18561}
http_port=${BENCH_HTTP_PORT:-18581}

command -v h2load >/dev/null || { echo "bench: installing nghttp2-client"; apt-get install -y -qq nghttp2-client >/dev/null; }
swift build -c release --product pawnshop >/dev/null
bin=$(swift build -c release --show-bin-path)/pawnshop
work=$(mktemp -d)
"$bin" dispatcher --port "$http_port" --grpc-port "$dispatcher_port" --token bench >"$work/dispatcher.log" 2>&1 &
dispatcher=$!
"$bin" worker --port "$worker_port" --dispatcher "127.0.0.1:$dispatcher_port" --token bench --seed-demo >"$work/worker.log" 2>&1 &
worker=$!
trap 'kill -TERM $worker $dispatcher 2>/dev/null; wait $worker $dispatcher 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 200); do grep -q joined "$work/worker.log" 2>/dev/null && break; sleep 0.1; done

# pawnshop.v1.FetchByIdRequest{id: "ring-1"}, length-prefixed for gRPC.
printf '\x00\x00\x00\x00\x08\x0a\x06ring-1' >"$work/request.bin"
echo "== gRPC FetchItemById: $calls calls, $connections connections, $streams concurrent streams each"
h2load -n "$calls" -c "$connections" -m "$streams" -H "content-type: application/grpc" -H "te: trailers" \
    -d "$work/request.bin" --log-file "$work/h2load.log" \
    "http://127.0.0.1:$worker_port/pawnshop.v1.Worker/FetchItemById" | grep -E "^finished|^requests:|^status codes"
# The log has one line per call: start time, status, duration in microseconds.
sort -n -k3 "$work/h2load.log" | awk '{ d[NR] = $3 } END {
    printf "latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", d[int(NR * 0.50)] / 1000, d[int(NR * 0.99)] / 1000, d[NR] / 1000 }'
