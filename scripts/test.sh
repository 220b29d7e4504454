#!/usr/bin/env bash
# The whole test suite, from a fresh machine with the Swift toolchain:
#   1. installs the peers the tests talk to (scripts/install-test-deps.sh);
#   2. checks formatting against .swift-format;
#   3. builds everything with warnings as errors (Swift 6 strict concurrency);
#   4. runs every test target, then builds and runs the examples.
# Extra arguments go to `swift test` (e.g. --filter PawnDomainTests).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

echo "test: swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Examples

echo "test: swift build (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "test: swift test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The "started" lines of Swift Testing are dropped from the console; results are kept.
swift test --skip-build "$@" 2>&1 | tee "$log" | grep -v -E '^◇ .* started\.$'

echo "test: examples"
for example in Examples/*/; do
    [ -f "$example/Package.swift" ] || continue
    echo "test: example $example"
    swift build --package-path "$example" -Xswiftc -warnings-as-errors
    swift run --skip-build --package-path "$example"
done

# One plain closing line for CI: the Swift Testing totals (a failure exits above).
passed=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -1)
echo "summary: ${passed:-0} passed, 0 failed"
