#!/usr/bin/env bash
# The whole test suite, from a fresh machine with the Swift toolchain:
#   1. installs the peers the tests talk to (scripts/install-test-deps.sh) and the C
#      libraries and real servers of the adapters (scripts/servers.sh install);
#   2. checks formatting against .swift-format and the layer rules (scripts/check-layers.sh);
#   3. builds everything with warnings as errors (Swift 6 strict concurrency);
#   4. starts Kafka (Tansu), MongoDB (SecantusDB) and Redis on loopback
#      (scripts/servers.sh start), runs every test target, stops them by PID, then builds
#      and runs the examples;
#   5. builds the API documentation, failing on an undocumented public symbol;
#   6. runs every libFuzzer target of Fuzz/ for 15 s (scripts/fuzz.sh all 15).
# Extra arguments go to `swift test` (e.g. --filter PawnDomainTests).
set -euo pipefail
cd "$(dirname "$0")/.."
# libmongoc keeps counters in /dev/shm/mongoc-PID; a SIGKILLed process leaves its file, and a
# later process given the same pid prints "Falling back to malloc for counters" on stderr,
# which broke the tests that read a usage error as one line. The tests need no counters.
export MONGOC_DISABLE_SHM=1

scripts/install-test-deps.sh
scripts/servers.sh install

echo "test: swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Examples

echo "test: layers (every import points down; a wrong import is caught)"
scripts/check-layers.sh
scripts/check-layers.sh --self-test
# Synchronization.Mutex waits on futexes ThreadSanitizer cannot see (every access it guards
# reads as a race, burying real ones): shared state goes behind Locked (PawnLog) instead.
if grep -rnE '\bMutex *[<(]' Sources; then
    echo "test: use Locked, not Synchronization.Mutex (see Sources/PawnServices/PawnLog/Locked.swift)" >&2
    exit 1
fi

echo "test: swift build (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "test: real servers"
log=$(mktemp)
trap 'scripts/servers.sh stop; rm -f "$log" "$log.outage"' EXIT
scripts/servers.sh start
# shellcheck disable=SC2046
export $(scripts/servers.sh env)

# PawnShop's topics, made once before the tests race to make them: on a fresh Tansu, clients
# creating the same topics at once ended with one of them at 4 partitions instead of 6, and
# the start-up check (equal partition counts) then refused to start.
create_topics() {
    echo "test: creating PawnShop's topics"
    local topics_log topics_pid
    topics_log=$(mktemp)
    "$(swift build --show-bin-path)/pawnshop" dispatcher --port 0 --grpc-port 0 --token topics --loops 1 \
        --kafka "$PAWN_TEST_KAFKA" >"$topics_log" 2>&1 &
    topics_pid=$!
    for _ in $(seq 300); do grep -q "HTTP on" "$topics_log" && break; kill -0 "$topics_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$topics_pid" 2>/dev/null; wait "$topics_pid" 2>/dev/null || true
    grep -q "HTTP on" "$topics_log" || { cat "$topics_log"; echo "test: could not create the topics" >&2; exit 1; }
    rm -f "$topics_log"
}
create_topics

echo "test: swift test"
# The "started" lines of Swift Testing are dropped from the console; results are kept.
swift test --skip-build "$@" 2>&1 | tee "$log" | grep -v -E '^◇ .* started\.$'
if [ $# -eq 0 ]; then
    # The Kafka outage test takes the broker away from every client on the machine, so it
    # runs alone, after the rest (it skips itself in the run above).
    echo "test: swift test (Kafka outage, alone)"
    PAWN_TEST_OUTAGES=1 swift test --skip-build --filter OutageTests 2>&1 | tee "$log.outage" \
        | grep -v -E '^◇ .* started\.$'
    grep -q 'Test run with 1 test in 1 suite passed' "$log.outage" \
        || { echo "test: the outage test did not run and pass" >&2; exit 1; }
fi

if [ $# -eq 0 ]; then
    # Separate processes against the same servers: producers with skewed wall clocks, and a
    # rolling restart of every worker after a Kafka outage (#19). Each checks MongoDB with
    # pymongo within 30 s of its load stopping.
    # Each fleet run on empty servers: its workers are a new consumer group, which starts at
    # the topics' beginning and so applies every earlier run's events first (into its own
    # database); after the suite and another run, that history made the rolling run miss
    # its 30 s deadline.
    # shellcheck disable=SC2046
    fresh_servers() { scripts/servers.sh start >/dev/null && export $(scripts/servers.sh env) && create_topics; }
    fresh_servers
    echo "test: fleet: replica chaos (clocks at 0, +5 s, -5 s; Kafka outage; the lot's drainer killed for good)"
    python3 Tests/Chaos/fleet.py --binary "$(swift build --show-bin-path)/pawnshop" --scenario chaos --items 640 --outage 10 --pause 0.15
    fresh_servers
    echo "test: fleet: a Kafka outage, then every worker restarted one after another"
    python3 Tests/Chaos/fleet.py --binary "$(swift build --show-bin-path)/pawnshop" --scenario rolling --items 600 --restart-gap 2
fi

if [ $# -eq 0 ]; then
    echo "test: hostile HTTP/1.1 clients against a real process (Tests/Interop/http_hostile.py)"
    python3 Tests/Interop/http_hostile.py --binary "$(swift build --show-bin-path)/pawnshop"
    echo "test: the control plane (Join, Heartbeat, Leave) without the token, against real processes"
    python3 Tests/Interop/control_plane.py --binary "$(swift build --show-bin-path)/pawnshop"
fi

echo "test: examples"
# Servers for the examples that are clients: started here on loopback, stopped by PID.
bin=$(swift build --show-bin-path)/pawnshop
pids=()
stop_servers() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_servers; scripts/servers.sh stop; rm -f "$log" "$log.outage"' EXIT
"$bin" --port 18180 --workers 1 --loops 1 >/tmp/pawnshop-example-platform.log 2>&1 &
pids+=($!)
"$bin" dispatcher --port 18181 --grpc-port 18151 --token example --loops 1 >/tmp/pawnshop-example-dispatcher.log 2>&1 &
pids+=($!)
"$bin" worker --port 18161 --dispatcher 127.0.0.1:18151 --token example --seed-demo --loops 1 >/tmp/pawnshop-example-worker.log 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    curl -sf http://127.0.0.1:18180/health/ready >/dev/null && curl -sf http://127.0.0.1:18181/health/ready >/dev/null && break
    sleep 0.1
done
declare -A example_arguments=([HTTPClient]="http://127.0.0.1:18180" [GRPCClient]="127.0.0.1:18161")
for example in Examples/*/; do
    [ -f "$example/Package.swift" ] || continue
    name=$(basename "$example")
    echo "test: example $name"
    swift build --package-path "$example" -Xswiftc -warnings-as-errors
    # shellcheck disable=SC2086
    swift run --skip-build --package-path "$example" "$name" ${example_arguments[$name]:-}
done
echo "test: Examples/ImportDomain depends on PawnShop alone:"
swift package --package-path Examples/ImportDomain show-dependencies
stop_servers
scripts/servers.sh stop

echo "test: API documentation (every public symbol documented; docc builds the site)"
scripts/docs.sh

echo "test: fuzz smoke (every libFuzzer target of Fuzz/ for 15 s, AddressSanitizer on)"
timeout 1800 scripts/fuzz.sh all 15

# One plain closing line for CI: the Swift Testing totals (a failure exits above).
passed=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
[ -f "$log.outage" ] && passed=$((${passed:-0} + 1))
echo "summary: ${passed:-0} passed, 0 failed"
