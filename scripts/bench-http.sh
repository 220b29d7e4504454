#!/usr/bin/env bash
# HTTP benchmark of the embedded platform with wrk (Debian's package), release build:
#   GET  /item/fetch/{id}   (a read answered by a worker from memory)
#   POST /item/add          (validate, fraud check, publish, 202)
# Prints requests/s and latency percentiles for each. Usage:
#   scripts/bench-http.sh [seconds=10] [connections=64] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
threads=${3:-2}
port=${BENCH_PORT:-18480}

command -v wrk >/dev/null || { echo "bench: installing wrk"; apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product pawnshop >/dev/null
bin=$(swift build -c release --show-bin-path)/pawnshop

"$bin" --port "$port" --seed-demo >/tmp/pawnshop-bench.log 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
until curl -sf "http://127.0.0.1:$port/item/fetch/ring-1" >/dev/null; do sleep 0.1; done

lua=$(mktemp --suffix .lua)
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"id":"bench-%d-%d","name":"Bench item","category":"Motor","price":1000,"state":"Good","ageInMonths":1}', math.random(1, 1e9), counter)
  return wrk.format(nil, "/item/add", nil, body)
end
LUA

echo "== GET /item/fetch/ring-1  (${seconds}s, $connections connections, $threads wrk threads)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/item/fetch/ring-1" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors"
echo "== POST /item/add  (${seconds}s, $connections connections, $threads wrk threads)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors"
rm -f "$lua"
