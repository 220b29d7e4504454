#!/usr/bin/env bash
# The whole suite under a sanitizer, against the real servers (not part of the test command:
# a sanitized build and run take several minutes).
#   scripts/sanitize.sh thread    ThreadSanitizer (build in .build-tsan)
#   scripts/sanitize.sh address   AddressSanitizer and LeakSanitizer (build in .build-asan)
# Extra arguments go to the test run (e.g. --filter KafkaTests).
# Under TSan, scripts/sanitizers/thrd_pthread.c is preloaded so that librdkafka's C11
# threads are pthreads TSan can see (without it TSan crashes in the Kafka tests).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh thread|address [ARGS…]}
shift
case "$kind" in
    thread) scratch=.build-tsan ;;
    address) scratch=.build-asan ;;
    *) echo "sanitize.sh: thread or address, not $kind" >&2; exit 64 ;;
esac
scripts/install-test-deps.sh
scripts/servers.sh install
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
# The process tests start the normal build of the executable.
swift build --product pawnshop
preload=""
if [ "$kind" = thread ]; then
    mkdir -p "$scratch/shim"
    cc -shared -fPIC -O2 scripts/sanitizers/thrd_pthread.c -o "$scratch/shim/libthrd_pthread.so"
    preload="$PWD/$scratch/shim/libthrd_pthread.so"
fi
trap 'scripts/servers.sh stop' EXIT
scripts/servers.sh start
# shellcheck disable=SC2046
export $(scripts/servers.sh env)
# Foundation's own errors and the test harness's leaks, each explained in its file.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}suppressions=$PWD/scripts/sanitizers/asan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=1"
status=0
LD_PRELOAD="$preload" "$scratch/x86_64-unknown-linux-gnu/debug/PawnShopPackageTests.xctest" \
    --testing-library swift-testing "$@" || status=$?
echo "sanitize.sh: $kind run exited $status"
exit "$status"
