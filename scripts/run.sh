#!/usr/bin/env bash
# Runs `pawnshop` from a fresh machine with the Swift toolchain: installs the C client
# libraries it links (scripts/install-libs.sh), then `swift run pawnshop` with your
# arguments. With none it serves the whole platform in one process, in memory, on
# http://127.0.0.1:8080; see `scripts/run.sh --help` for the real-infrastructure flags.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-libs.sh
exec swift run pawnshop "$@"
