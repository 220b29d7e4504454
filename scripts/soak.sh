#!/usr/bin/env bash
# A soak, by hand, not in CI (#19): constant load through one dispatcher and three workers
# for MINUTES (30), a worker restarted every 2 minutes, lag and the oldest unapplied
# record's age sampled from /metrics every 5 s; at the end every accepted event must be in
# MongoDB once, in client order. Release build, the servers of scripts/servers.sh.
#   scripts/soak.sh [minutes=30] [writes-per-second=100]
#   SOAK_CONFIGURATION=debug scripts/soak.sh …   (the debug build instead of release)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
rate="${2:-100}"
scripts/install-test-deps.sh
configuration="${SOAK_CONFIGURATION:-release}"
swift build -c "$configuration" --product pawnshop
# A copy: a build during the soak must not swap the binary of the workers it restarts.
binary="$(mktemp -d)/pawnshop"
cp "$(swift build -c "$configuration" --show-bin-path)/pawnshop" "$binary"
started_servers=0
if ! scripts/servers.sh env >/dev/null 2>&1 || ! (exec 3<>/dev/tcp/127.0.0.1/19093) 2>/dev/null; then
    scripts/servers.sh start
    started_servers=1
fi
trap '[ "$started_servers" = 1 ] && scripts/servers.sh stop; rm -rf "$(dirname "$binary")"' EXIT
# shellcheck disable=SC2046
export $(scripts/servers.sh env)
python3 Tests/Chaos/fleet.py --binary "$binary" \
    --scenario soak --minutes "$minutes" --rate "$rate" --restart-every 120 --threads 16 --deadline 60
