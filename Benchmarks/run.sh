#!/usr/bin/env bash
# Every side-by-side benchmark in one go, release builds, on this machine; writes
# Benchmarks/RESULTS.md. Usage: Benchmarks/run.sh [seconds-per-http-case=10]
#
# Cases (each the same work on both sides):
#   codec  PawnProtocol vs swift-protobuf: encode/decode ItemWithHistory (100 events) and
#          FetchItemsResponse (100 items), ns/op
#   http   PawnShop's HTTP/1.1 server vs Hummingbird 2: GET /item/fetch/{id} (fixed JSON from
#          memory) and POST /echo (1 KiB JSON) with wrk at 64 and 256 keep-alive connections:
#          requests/s, p50/p99, server RSS
# Pinning: with two cores, each server runs on core 0 and wrk on core 1 (taskset), the same
# for both sides. Ratios are "ours ÷ peer" for throughput and "peer ÷ ours" for time, so
# above 1.0 always means PawnShop is faster.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
for tool in wrk taskset protoc; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed (apt-get install wrk util-linux protobuf-compiler)"; exit 1; }
done

echo "run.sh: building (release)"
swift build -c release --product protoc-gen-swift >/dev/null
bin=$(swift build -c release --show-bin-path)
protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" -I../Protos --swift_out=Sources/codec-bench/Generated ../Protos/pawnshop.proto
swift build -c release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "run.sh: codec"
taskset -c 0 "$bin/codec-bench" 1 >"$work/codec.txt"

# wrk's latency figures in milliseconds.
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local parts = {}
for i = 1, 20 do parts[#parts + 1] = string.format('"field%02d":"%s"', i, string.rep("x", 38)) end
wrk.body = "{" .. table.concat(parts, ",") .. "}"
LUA

http_case() { # name binary port
    local name=$1 binary=$2 port=$3
    taskset -c 0 "$binary" "$port" >"$work/$name.log" 2>&1 &
    local pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/item/fetch/ring-1" >/dev/null && break; sleep 0.1; done
    for connections in 64 256; do
        for route in get post; do
            if [ "$route" = get ]; then
                taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/item/fetch/ring-1" >"$work/out"
            else
                taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/echo" >"$work/out"
            fi
            local rps p50 p99 errors
            rps=$(awk '/Requests\/sec/ { print $2 }' "$work/out")
            p50=$(awk '$1 == "50%" { print $2 }' "$work/out" | ms)
            p99=$(awk '$1 == "99%" { print $2 }' "$work/out" | ms)
            errors=$(awk '/Non-2xx|Socket errors/ { print }' "$work/out" | tr '\n' ' ')
            echo "$name $route $connections $rps $p50 $p99 ${errors:-none}" >>"$work/http.txt"
        done
    done
    echo "$name rss $(awk '/VmRSS/ { print $2 }' /proc/$pid/status)" >>"$work/http.txt"
    kill $pid; wait $pid 2>/dev/null || true
}
echo "run.sh: http (${seconds}s per case)"
http_case ours "$bin/http-ours" 18701
http_case peer "$bin/http-peer" 18702

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
{
    echo "# Benchmark results"
    echo
    echo "Made by \`Benchmarks/run.sh $seconds\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "$(swift --version 2>&1 | head -1). Release builds; servers pinned to core 0, load generators to core 1."
    echo "Ratios above 1.0 mean PawnShop is faster (ours ÷ peer for throughput, peer ÷ ours for time)."
    echo
    echo "## Codec: PawnProtocol vs swift-protobuf (ns/op, lower is better)"
    echo
    echo "| case | bytes | ours | swift-protobuf | speed ratio |"
    echo "|---|---:|---:|---:|---:|"
    while read -r name oursNs peerNs bytes; do
        echo "| $name | $bytes | $oursNs | $peerNs | $(ratio "$peerNs" "$oursNs") |"
    done <"$work/codec.txt"
    echo
    echo "## HTTP/1.1: PawnShop vs Hummingbird 2 (wrk, ${seconds}s per case)"
    echo
    echo "| route | connections | ours req/s | Hummingbird req/s | ratio | ours p50/p99 ms | Hummingbird p50/p99 ms | errors (ours / peer) |"
    echo "|---|---:|---:|---:|---:|---|---|---|"
    for route in get post; do
        for connections in 64 256; do
            read -r _ _ _ orps op50 op99 oerr <<<"$(grep "^ours $route $connections " "$work/http.txt")"
            read -r _ _ _ prps pp50 pp99 perr <<<"$(grep "^peer $route $connections " "$work/http.txt")"
            label=$([ "$route" = get ] && echo "GET /item/fetch/{id}" || echo "POST /echo (1 KiB)")
            echo "| $label | $connections | $orps | $prps | $(ratio "$orps" "$prps") | $op50 / $op99 | $pp50 / $pp99 | $oerr / $perr |"
        done
    done
    echo
    echo "Server RSS after the HTTP cases: ours $(awk '$1 == "ours" && $2 == "rss" { print $3 }' "$work/http.txt") KiB, Hummingbird $(awk '$1 == "peer" && $2 == "rss" { print $3 }' "$work/http.txt") KiB."
} >RESULTS.md
cat RESULTS.md
