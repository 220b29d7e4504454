#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (AddressSanitizer included, in .build-fuzz) and runs
# each target for SECONDS on its seeds: the committed Fuzz/Corpus/<Target>/ and the generated
# .build-fuzz/seeds/<Target>/ (scripts/fuzz-seeds.sh), read only, plus the work corpus
# .build-fuzz/corpus/<Target>/, which libFuzzer grows and which later runs start from.
# Prints one line per target (executions, coverage) and exits 1 when any target crashed,
# failed an assertion, leaked, hung or ran out of memory; the input that did it is in
# .build-fuzz/artifacts/<Target>/ (re-run it with `<bin>/<Target> FILE`), the run's output in
# .build-fuzz/logs/<Target>.log, or when a target shows no coverage (an uninstrumented
# build). scripts/test.sh runs it for 15 s per target; longer runs by hand. See Fuzz/README.md.
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS=20] [RUNS]
#   RUNS: stop each target after RUNS executions (SECONDS stays the cap), as the long run does:
#   FUZZ_CONFIGURATION=release scripts/fuzz.sh all 7200 10000000
#   FUZZ_CONFIGURATION: debug (default: assert() checks on too) or release (-O, 2.5-5x the
#   executions per second; preconditions and overflow checks stay on), built in
#   .build-fuzz/<configuration>.
#   FUZZ_SCRATCH: another directory than .build-fuzz for the build, corpus, logs and
#   artifacts (a smoke run beside a long one must not share its logs).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(FuzzHTTP1Request FuzzHPACK FuzzHTTP2Server FuzzHTTP2Client FuzzGRPC FuzzProtobuf FuzzBSON
    FuzzDispatcherJSON FuzzKafkaRecord FuzzFraudList FuzzS3XML)
which=${1:-all}
seconds=${2:-20}
runs=${3:-}
configuration=${FUZZ_CONFIGURATION:-debug}
case "$configuration" in
    debug | release) ;;
    *) echo "fuzz.sh: FUZZ_CONFIGURATION is debug or release, not $configuration" >&2; exit 64 ;;
esac
scratch=${FUZZ_SCRATCH:-.build-fuzz}
if [ "$which" != all ]; then
    if [[ " ${targets[*]} " != *" $which "* ]]; then
        echo "fuzz.sh: no target $which; one of: ${targets[*]} (or all)" >&2
        exit 64
    fi
    targets=("$which")
fi

# SwiftPM's --sanitize=fuzzer (Swift 6.2 and later), not `-Xswiftc -sanitize=fuzzer,address
# -Xswiftc -parse-as-library`: at tools version 5.5 and later SwiftPM links each executable
# with its entry point renamed (`--defsym main=<Target>_main` on Linux), a symbol a harness
# without a main never defines, so that older form no longer links
# (https://github.com/swiftlang/swift/issues/75800). --sanitize=fuzzer parses the harnesses
# as libraries and leaves `main` to libFuzzer; both sanitizers apply to PawnShop's modules too.
# swiftc keeps only the last -sanitize= flag: SwiftPM's two (fuzzer, then address) lost the
# coverage instrumentation; one combined flag after them keeps both.
build=(swift build -c "$configuration" --package-path Fuzz --scratch-path "$scratch" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
if [ "$which" = all ]; then
    "${build[@]}"
else
    "${build[@]}" --product "$which"
fi
bin=$("${build[@]}" --show-bin-path)
scripts/fuzz-seeds.sh "$scratch/seeds"

summary=()
failed=0
for target in "${targets[@]}"; do
    work=$scratch/corpus/$target
    artifacts=$scratch/artifacts/$target
    log=$scratch/logs/$target.log
    mkdir -p "$work" "$artifacts" "$scratch/logs"
    corpora=("$work") # the first directory is the one libFuzzer writes new inputs to
    for seeds in "Fuzz/Corpus/$target" "$scratch/seeds/$target"; do
        if [ -d "$seeds" ]; then corpora+=("$seeds"); fi
    done
    echo "fuzz.sh: $target for ${seconds}s${runs:+ or $runs executions} ($configuration)"
    options=(-max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10)
    if [ -n "$runs" ]; then options+=(-runs="$runs"); fi
    if [ "$target" = FuzzDispatcherJSON ]; then
        # Its handler runs in a task, whose memory is freed on another thread after the
        # input returns: libFuzzer saw more mallocs than frees in every input and ran a full
        # LeakSanitizer scan after each (64 executions/s instead of 1,100). Leaks are still
        # checked when the run ends.
        options+=(-detect_leaks=0)
    fi
    asan_options=${ASAN_OPTIONS:-}
    if [ "$target" = FuzzDispatcherJSON ]; then
        # Its memory is freed on the concurrency pool's threads: with ASan's quarantine
        # (256 MB by default; 16 MB did the same) its RSS grew ~2.4 KB an execution and the
        # run hit the 2 GB limit at 830 k executions; without it, RSS levels off (118 MB at
        # 32 k, 164 MB at 300 k) and it runs 2.5x faster. Use-after-free is then caught only
        # before the memory is reused.
        asan_options=${ASAN_OPTIONS:-quarantine_size_mb=0}
    fi
    status=0
    started=$SECONDS
    ASAN_OPTIONS=$asan_options "$bin/$target" "${options[@]}" -artifact_prefix="$artifacts/" "${corpora[@]}" \
        >"$log" 2>&1 || status=$?
    elapsed=$((SECONDS - started))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d ' ' -f 2 || true)
    features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d ' ' -f 2 || true)
    corpus=$(find "$work" -type f | wc -l)
    line=$(printf '%-20s execs=%-10s cov=%-6s ft=%-6s corpus=%-6s time=%ss' "$target" "${execs:-?}" \
        "${coverage:-?}" "${features:-?}" "$corpus" "$elapsed")
    if [ "$status" -eq 0 ] && [ "${coverage:-0}" -lt 20 ]; then
        # A build without coverage instrumentation runs random bytes and looks fine.
        failed=1
        summary+=("$line FAILED: no coverage (the harness is not instrumented): $log")
    elif [ "$status" -eq 0 ]; then
        summary+=("$line ok")
    else
        failed=1
        summary+=("$line FAILED (exit $status): $artifacts/, $log")
        echo "fuzz.sh: $target exited $status; the end of $log:" >&2
        tail -n 40 "$log" >&2
    fi
done

echo "fuzz.sh: summary ($configuration; ${seconds}s${runs:+ or $runs executions} per target)"
printf '  %s\n' "${summary[@]}"
exit "$failed"
