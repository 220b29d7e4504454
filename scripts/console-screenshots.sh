#!/usr/bin/env bash
# Regenerates the console's screenshots in Docs/console (search, form, item, item-phone,
# platform) by running the browser test, which takes them as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-libs.sh
scripts/install-test-deps.sh
swift build --build-tests
mkdir -p Docs/console
PAWN_CONSOLE_SCREENSHOTS="$PWD/Docs/console" swift test --skip-build --filter ConsoleBrowserTests
ls -l Docs/console
