# Sourced by the benchmark scripts that run the whole stack (bench-fleet.sh, bench-latency.sh),
# from the repository's root: builds pawnshop and pawn-bench in release, sets `binary` (a copy
# of pawnshop that a rebuild cannot replace mid-run) and `bench`, stops the test servers and
# removes the copy on exit, and exports the servers' addresses (scripts/servers.sh env).
swift build -c release --product pawnshop >/dev/null
swift build -c release --product pawn-bench >/dev/null
binary="$(mktemp -d)/pawnshop"
cp "$(swift build -c release --show-bin-path)/pawnshop" "$binary"
bench="$(swift build -c release --show-bin-path)/pawn-bench"
# shellcheck disable=SC2064  # the copy's folder is fixed now
trap "scripts/servers.sh stop; rm -rf '$(dirname "$binary")'" EXIT
# shellcheck disable=SC2046
export $(scripts/servers.sh env)
