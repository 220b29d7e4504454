#!/usr/bin/env bash
# Every side-by-side benchmark in one go, release builds, on this machine; writes
# Benchmarks/RESULTS.md. Usage: Benchmarks/run.sh [seconds-per-http-case=10]
# BENCH_REPEAT (default 3) repetitions: each pair runs back to back within a repetition, in
# the opposite order in the next one, and RESULTS.md gives every figure and every ratio as
# its median and spread (min–max) over the repetitions (Benchmarks/summarize.py).
#
# Cases (each the same work on both sides):
#   codec  PawnProtocol vs swift-protobuf, and C++ protobuf (Debian's libprotobuf-dev, the
#          limit anchor; Benchmarks/cpp/codec_anchor.cc, byte-identical encodings checked):
#          encode/decode ItemWithHistory (100 events) and FetchItemsResponse (100 items),
#          ns/op and heap allocations/op
#   http   PawnShop's HTTP/1.1 server vs Hummingbird 2, and nginx (one worker process, the
#          limit anchor, GET only): GET /item/fetch/{id} (fixed JSON from memory) and POST
#          /echo (1 KiB JSON) with wrk at 64 and 256 keep-alive connections: requests/s,
#          p50/p99, server RSS
#   read   the platform's own read path: GET /item/fetch/ring-1 on `pawnshop --seed-demo`
#          (embedded, in memory, one loop), through dispatcher → gRPC → worker, wrk at 64
#          connections, against the bare HTTP server's GET above
#   grpc   PawnShop's gRPC server vs grpc-swift-2 on its NIO transport: FetchItemById from
#          memory with h2load (10 connections, 100 streams each): calls/s, p50/p99, RSS; and
#          our gRPC client (100 calls in parallel) against both servers
#   crypto PawnSigV4's SHA-256 and HMAC-SHA256 vs swift-crypto, ns/op; the cost of one SigV4 signature
#   kafka  our librdkafka producer and consumer vs kcat on the same broker (Tansu, started by
#          ../scripts/bench-kafka.sh, which also measures the worker pipeline into MongoDB);
#          KAFKA_RECORDS records of 100 B (default 500,000) per repetition
# Pinning: with two cores, each server runs on core 0 and wrk on core 1 (taskset), the same
# for both sides. Ratios are "ours ÷ peer" for throughput and "peer ÷ ours" for time, so
# above 1.0 always means PawnShop is faster.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
repeat=${BENCH_REPEAT:-3}
# What the benchmarks need, installed like the test command's peers (only what is missing).
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v h2load >/dev/null || need_apt+=(nghttp2-client)
command -v taskset >/dev/null || need_apt+=(util-linux)
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
command -v curl >/dev/null || need_apt+=(curl)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v g++ >/dev/null || need_apt+=(g++)
[ -f /usr/include/google/protobuf/message.h ] || need_apt+=(libprotobuf-dev)
if ((${#need_apt[@]})); then
    echo "run.sh: installing ${need_apt[*]} from Debian"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "run.sh: need root or sudo to install ${need_apt[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Debian's nginx package starts a server on port 80 when installed; a policy-rc.d that
    # refuses every service start keeps it from doing so (this script starts its own).
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod +x "$policy"
        made_policy=1
    fi
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    if [ "$made_policy" = 1 ]; then $sudo rm -f "$policy"; fi
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)
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
(cd .. && swift build -c release --product pawnshop >/tmp/pawn-bench-build.log 2>&1) || { grep -E "error" -A3 /tmp/pawn-bench-build.log | head -40; exit 1; }
pawnshop="$(cd .. && swift build -c release --show-bin-path)/pawnshop"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
raw=$work/raw.txt
: >"$raw"
# The C++ protobuf anchor, built from the same .proto.
mkdir -p "$work/cpp" "$work/messages"
protoc -I../Protos --cpp_out="$work/cpp" ../Protos/pawnshop.proto
g++ -O2 -std=c++17 -I"$work/cpp" cpp/codec_anchor.cc "$work/cpp/pawnshop.pb.cc" -lprotobuf -o "$work/codec_anchor"
"$bin/codec-bench" --write "$work/messages"

# wrk's latency figures in milliseconds.
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local parts = {}
for i = 1, 20 do parts[#parts + 1] = string.format('"field%02d":"%s"', i, string.rep("x", 38)) end
wrk.body = "{" .. table.concat(parts, ",") .. "}"
LUA

# nginx serving http-ours' fixed JSON, one worker process, logs off.
item_json='{"item":{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12,"status":"inStock","version":1},"buys":[],"sells":[],"pawns":[],"redeems":[],"forfeits":[],"rejected":[]}'
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:18703 backlog=4096;
        location /item/fetch/ {
            default_type "application/json; charset=utf-8";
            return 200 '$item_json';
        }
    }
}
NGINX

wrk_case() { # side repetition route connections url [script]
    local side=$1 repetition=$2 route=$3 connections=$4 url=$5
    local script=()
    if [ -n "${6:-}" ]; then script=(-s "$6"); fi
    taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "${script[@]}" "$url" >"$work/out"
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ { print $2 }' "$work/out")
    p50=$(awk '$1 == "50%" { print $2 }' "$work/out" | ms)
    p99=$(awk '$1 == "99%" { print $2 }' "$work/out" | ms)
    errors=$(awk '/Non-2xx|Socket errors/ { print }' "$work/out" | tr ' \n' '_ ')
    echo "$route $side $repetition $rps $p50 $p99 ${errors:-none}"
}

wait_http() { for _ in $(seq 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "run.sh: $1 never answered" >&2; exit 1; }

http_side() { # side repetition
    local side=$1 repetition=$2 pid port routes="get post"
    case $side in
    ours) port=18701; taskset -c 0 "$bin/http-ours" "$port" >"$work/$side.log" 2>&1 & pid=$! ;;
    hummingbird) port=18702; taskset -c 0 "$bin/http-peer" "$port" >"$work/$side.log" 2>&1 & pid=$! ;;
    nginx) port=18703; routes="get"; taskset -c 0 "$nginx" -c "$work/nginx.conf" -p "$work/nginx" >"$work/$side.log" 2>&1 & pid=$! ;;
    esac
    wait_http "http://127.0.0.1:$port/item/fetch/ring-1"
    for connections in 64 256; do
        for route in $routes; do
            if [ "$route" = get ]; then
                wrk_case "$side" "$repetition" "get-$connections" "$connections" "http://127.0.0.1:$port/item/fetch/ring-1"
            else
                wrk_case "$side" "$repetition" "post-$connections" "$connections" "http://127.0.0.1:$port/echo" "$work/post.lua"
            fi | sed 's/^/http /' >>"$raw"
        done
    done
    local measured=$pid
    if [ "$side" = nginx ]; then measured=$(pgrep -P "$pid" | head -1); fi
    echo "rss http $side $repetition $(awk '/VmRSS/ { print $2 }' "/proc/$measured/status")" >>"$raw"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

read_case() { # repetition: the platform's own read path, dispatcher → gRPC → worker
    local repetition=$1
    taskset -c 0 "$pawnshop" --seed-demo --port 18704 --loops 1 --console=false >"$work/platform.log" 2>&1 &
    local pid=$!
    wait_http "http://127.0.0.1:18704/item/fetch/ring-1"
    wrk_case ours "$repetition" platform 64 "http://127.0.0.1:18704/item/fetch/ring-1" | sed 's/^/read /' >>"$raw"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

grpc_side() { # side repetition
    local side=$1 repetition=$2 port pid
    if [ "$side" = ours ]; then
        port=18801; taskset -c 0 "$bin/grpc-ours" server "$port" >"$work/$side-grpc.log" 2>&1 & pid=$!
    else
        port=18802; taskset -c 0 "$bin/grpc-peer" "$port" >"$work/$side-grpc.log" 2>&1 & pid=$!
    fi
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    printf '\x00\x00\x00\x00\x08\x0a\x06ring-1' >"$work/request.bin"
    taskset -c 1 h2load -n "$grpc_calls" -c 10 -m 100 -H "content-type: application/grpc" -H "te: trailers" \
        -d "$work/request.bin" --log-file "$work/$side-h2load.log" "http://127.0.0.1:$port/pawnshop.v1.Worker/FetchItemById" >"$work/out"
    local rps failed latency client
    rps=$(awk '/^finished in/ { print $4 }' "$work/out")
    failed=$(awk '/^requests:/ { print $10 }' "$work/out")
    latency=$(sort -n -k3 "$work/$side-h2load.log" | awk '{ d[NR] = $3 } END { printf "%.2f %.2f", d[int(NR * 0.5)] / 1000, d[int(NR * 0.99)] / 1000 }')
    client=$(taskset -c 1 "$bin/grpc-ours" client "$port" 100000 100 | awk '{ print $8 }')
    echo "grpc h2load $side $repetition $rps $latency $failed" >>"$raw"
    echo "grpc client $side $repetition $client" >>"$raw"
    echo "rss grpc $side $repetition $(awk '/VmRSS/ { print $2 }' /proc/$pid/status)" >>"$raw"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

for repetition in $(seq "$repeat"); do
    # Odd repetitions run ours first, even ones the others first.
    peer_first=$((1 - repetition % 2))
    order=$([ "$peer_first" = 1 ] && echo peer-first || echo ours-first)
    echo "run.sh: repetition $repetition of $repeat ($order)"
    echo "run.sh:   codec"
    codec_args=(1)
    if [ "$peer_first" = 1 ]; then
        codec_args+=(peer-first)
        taskset -c 0 "$work/codec_anchor" "$work/messages" 1 >"$work/cpp.txt"
        taskset -c 0 "$bin/codec-bench" "${codec_args[@]}" >"$work/codec.txt"
    else
        taskset -c 0 "$bin/codec-bench" "${codec_args[@]}" >"$work/codec.txt"
        taskset -c 0 "$work/codec_anchor" "$work/messages" 1 >"$work/cpp.txt"
    fi
    while read -r name oursNs peerNs bytes oursAllocations peerAllocations; do
        echo "codec $name ours $repetition $oursNs $bytes $oursAllocations" >>"$raw"
        echo "codec $name swift-protobuf $repetition $peerNs $bytes $peerAllocations" >>"$raw"
    done <"$work/codec.txt"
    while read -r name ns bytes; do echo "codec $name cpp $repetition $ns $bytes" >>"$raw"; done <"$work/cpp.txt"
    echo "run.sh:   crypto"
    taskset -c 0 "$bin/crypto-bench" "${codec_args[@]}" >"$work/crypto.txt"
    while read -r name oursNs peerNs bytes; do
        echo "crypto $name ours $repetition $oursNs $bytes" >>"$raw"
        if [ "$peerNs" != 0 ]; then echo "crypto $name swift-crypto $repetition $peerNs $bytes" >>"$raw"; fi
    done <"$work/crypto.txt"
    echo "run.sh:   http (${seconds}s per case)"
    if [ "$peer_first" = 1 ]; then sides="nginx hummingbird ours"; else sides="ours hummingbird nginx"; fi
    for side in $sides; do http_side "$side" "$repetition"; done
    echo "run.sh:   read path"
    read_case "$repetition"
    echo "run.sh:   grpc ($grpc_calls calls per server)"
    if [ "$peer_first" = 1 ]; then sides="grpc-swift ours"; else sides="ours grpc-swift"; fi
    for side in $sides; do grpc_side "$side" "$repetition"; done
    echo "run.sh:   kafka (${KAFKA_RECORDS:-500000} records)"
    BENCH_REPETITION=$repetition BENCH_PEER_FIRST=$peer_first \
        ../scripts/bench-kafka.sh "${KAFKA_RECORDS:-500000}" "${PIPELINE_EVENTS:-5000}" >"$work/kafka.txt" 2>&1 \
        || { tail -20 "$work/kafka.txt"; exit 1; }
    sed -n 's/^raw: //p' "$work/kafka.txt" >>"$raw"
done

{
    echo "Made by \`Benchmarks/run.sh $seconds\` (BENCH_REPEAT=$repeat) on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "$(swift --version 2>&1 | head -1); $(g++ --version | head -1), libprotobuf $(pkg-config --modversion protobuf 2>/dev/null || echo '?'), $("$nginx" -v 2>&1)."
    echo "Release builds; servers pinned to core 0, load generators to core 1. Kafka: ${KAFKA_RECORDS:-500000} records"
    echo "of 100 B per case through \`scripts/bench-kafka.sh\` (Tansu); the pipeline ${PIPELINE_EVENTS:-5000} events per workload into SecantusDB."
} >"$work/header.txt"
cp "$raw" RESULTS.raw.txt
python3 summarize.py "$raw" "$work/header.txt" >RESULTS.md
cat RESULTS.md
