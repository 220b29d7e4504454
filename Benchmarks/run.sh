#!/usr/bin/env bash
# Every side-by-side benchmark in one go, release builds, on this machine; writes
# Benchmarks/RESULTS.md. Usage: Benchmarks/run.sh [seconds-per-http-case=10]
#
# Cases (each the same work on both sides):
#   codec  PawnProtocol vs swift-protobuf: encode/decode ItemWithHistory (100 events) and
#          FetchItemsResponse (100 items), ns/op and heap allocations/op
#   http   PawnShop's HTTP/1.1 server vs Hummingbird 2: GET /item/fetch/{id} (fixed JSON from
#          memory) and POST /echo (1 KiB JSON) with wrk at 64 and 256 keep-alive connections:
#          requests/s, p50/p99, server RSS
#   grpc   PawnShop's gRPC server vs grpc-swift-2 on its NIO transport: FetchItemById from
#          memory with h2load (10 connections, 100 streams each): calls/s, p50/p99, RSS; and
#          our gRPC client (100 calls in parallel) against both servers
#   crypto PawnSigV4's SHA-256 and HMAC-SHA256 vs swift-crypto, ns/op; the cost of one SigV4 signature
#   kafka  our librdkafka producer and consumer vs kcat on the same broker (Tansu, started by
#          ../scripts/bench-kafka.sh, which also measures the worker pipeline into MongoDB);
#          KAFKA_RECORDS records of 100 B (default 2,000,000)
# Pinning: with two cores, each server runs on core 0 and wrk on core 1 (taskset), the same
# for both sides. Ratios are "ours ÷ peer" for throughput and "peer ÷ ours" for time, so
# above 1.0 always means PawnShop is faster.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
# What the benchmarks need, installed like the test command's peers (only what is missing).
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v h2load >/dev/null || need_apt+=(nghttp2-client)
command -v taskset >/dev/null || need_apt+=(util-linux)
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
command -v curl >/dev/null || need_apt+=(curl)
if ((${#need_apt[@]})); then
    echo "run.sh: installing ${need_apt[*]} from Debian"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "run.sh: need root or sudo to install ${need_apt[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
../scripts/install-libs.sh
../scripts/servers.sh install  # the Kafka and MongoDB servers of the kafka case
grpc_calls=${GRPC_CALLS:-300000}

echo "run.sh: building (release)"
# Quiet unless a build fails: then its errors, not a silent exit.
build() { swift build -c release "$@" >/tmp/pawn-bench-build.log 2>&1 || { grep -E "error" -A3 /tmp/pawn-bench-build.log | head -40; exit 1; }; }
build --product protoc-gen-swift
build --product protoc-gen-grpc-swift-2
bin=$(swift build -c release --show-bin-path)
protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" -I../Protos --swift_out=Sources/codec-bench/Generated ../Protos/pawnshop.proto
protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    -I../Protos --swift_out=Sources/grpc-peer/Generated --grpc-swift-2_out=Sources/grpc-peer/Generated ../Protos/pawnshop.proto
build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "run.sh: codec"
taskset -c 0 "$bin/codec-bench" 1 >"$work/codec.txt"
echo "run.sh: crypto"
taskset -c 0 "$bin/crypto-bench" 1 >"$work/crypto.txt"
echo "run.sh: kafka (${KAFKA_RECORDS:-2000000} records)"
../scripts/bench-kafka.sh "${KAFKA_RECORDS:-2000000}" 10000 >"$work/kafka.txt" 2>&1

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

grpc_case() { # name port command...
    local name=$1 port=$2
    shift 2
    taskset -c 0 "$@" >"$work/$name-grpc.log" 2>&1 &
    local pid=$!
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    printf '\x00\x00\x00\x00\x08\x0a\x06ring-1' >"$work/request.bin"
    taskset -c 1 h2load -n "$grpc_calls" -c 10 -m 100 -H "content-type: application/grpc" -H "te: trailers" \
        -d "$work/request.bin" --log-file "$work/$name-h2load.log" "http://127.0.0.1:$port/pawnshop.v1.Worker/FetchItemById" >"$work/out"
    local rps failed latency client
    rps=$(awk '/^finished in/ { print $4 }' "$work/out")
    failed=$(awk '/^requests:/ { print $10 }' "$work/out")
    latency=$(sort -n -k3 "$work/$name-h2load.log" | awk '{ d[NR] = $3 } END { printf "%.2f %.2f", d[int(NR * 0.5)] / 1000, d[int(NR * 0.99)] / 1000 }')
    client=$(taskset -c 1 "$bin/grpc-ours" client "$port" 100000 100 | awk '{ print $8 }')
    echo "$name $rps $latency $failed $client $(awk '/VmRSS/ { print $2 }' /proc/$pid/status)" >>"$work/grpc.txt"
    kill $pid; wait $pid 2>/dev/null || true
}
echo "run.sh: grpc ($grpc_calls calls per server)"
grpc_case ours 18801 "$bin/grpc-ours" server 18801
grpc_case peer 18802 "$bin/grpc-peer" 18802

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
    echo "| case | bytes | ours | swift-protobuf | speed ratio | allocations/op ours | allocations/op swift-protobuf |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    while read -r name oursNs peerNs bytes oursAllocations peerAllocations; do
        echo "| $name | $bytes | $oursNs | $peerNs | $(ratio "$peerNs" "$oursNs") | $oursAllocations | $peerAllocations |"
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
    echo
    echo "## gRPC: PawnShop vs grpc-swift-2 (NIO transport), FetchItemById from memory"
    echo
    read -r _ orps op50 op99 ofail oclient orss <<<"$(grep '^ours ' "$work/grpc.txt")"
    read -r _ prps pp50 pp99 pfail pclient prss <<<"$(grep '^peer ' "$work/grpc.txt")"
    echo "| measure | ours | grpc-swift-2 | ratio |"
    echo "|---|---:|---:|---:|"
    echo "| h2load calls/s ($grpc_calls calls, 10 connections × 100 streams) | $orps | $prps | $(ratio "$orps" "$prps") |"
    echo "| h2load p50 / p99 ms | $op50 / $op99 | $pp50 / $pp99 | $(ratio "$pp99" "$op99") (p99) |"
    echo "| failed calls | $ofail | $pfail | |"
    echo "| our client (100 in parallel), calls/s against that server | $oclient | $pclient | $(ratio "$oclient" "$pclient") |"
    echo "| server RSS KiB | $orss | $prss | |"
    echo
    echo "## SHA-256 and HMAC (S3 signatures): PawnSigV4 vs swift-crypto (ns/op, lower is better)"
    echo
    echo "swift-crypto hashes with BoringSSL's assembly and the CPU's SHA extensions (\`sha_ni\` here);"
    echo "ours runs its rounds on the same instructions where the CPU has them (CPawnSHA: SHA-NI"
    echo "intrinsics in a header of ours, chosen by CPUID) and in portable Swift elsewhere."
    echo
    echo "| case | bytes | ours | swift-crypto | speed ratio |"
    echo "|---|---:|---:|---:|---:|"
    while read -r name oursNs peerNs bytes; do
        if [ "$peerNs" = 0 ]; then
            echo "| $name | | $oursNs | (none) | |"
        else
            echo "| $name | $bytes | $oursNs | $peerNs | $(ratio "$peerNs" "$oursNs") |"
        fi
    done <"$work/crypto.txt"
    echo
    echo "## Kafka: our librdkafka wrapper vs kcat, same broker (Tansu), same settings"
    echo
    echo "Wall time of each whole process (start, connect, group join, work, exit); from \`scripts/bench-kafka.sh\`."
    echo
    sed -n '/^| case/,$p' "$work/kafka.txt"
} >RESULTS.md
cat RESULTS.md
