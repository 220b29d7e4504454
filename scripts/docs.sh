#!/usr/bin/env bash
# Builds the API documentation with the toolchain's own docc (no swift-docc-plugin): symbol
# graphs from the compiler, the documentation coverage check, then one static site per
# module under Docs/site (open Docs/site/index.html).
#   scripts/docs.sh            build the site; exit 1 if a public symbol is undocumented
#   scripts/docs.sh --report   build the site and report missing documentation, exit 0
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(PawnDomain PawnProtocol PawnBSON PawnSigV4 PawnHPACK PawnHTTP2 PawnTrace PawnLog PawnIO PawnMetrics PawnTelemetry PawnConsole PawnPorts PawnKafka PawnMongo PawnRedis PawnS3
    PawnHTTP1 PawnGRPC PawnWire PawnDispatcher PawnWorker PawnFeeder PawnPlatform PawnSettings)
graphs=.build-docs/symbol-graphs
# Symbol graphs are written when a module compiles, so the folder is kept between runs
# (an unchanged module is not compiled again).
rm -rf Docs/site
mkdir -p "$graphs" Docs/site
swift build --scratch-path .build-docs -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" >/dev/null

coverage=0
python3 scripts/doc_coverage.py "$graphs" "${modules[@]}" >.build-docs/coverage.txt || coverage=$?
tail -1 .build-docs/coverage.txt

for module in "${modules[@]}"; do
    rm -rf ".build-docs/graphs-$module"
    mkdir -p ".build-docs/graphs-$module"
    cp "$graphs/$module".symbols.json "$graphs/$module"@*.symbols.json ".build-docs/graphs-$module/" 2>/dev/null || true
    catalog=()
    found=$(find Sources -type d -name "$module.docc" | head -1)
    [ -n "$found" ] && catalog=("$found")
    docc convert "${catalog[@]}" --additional-symbol-graph-dir ".build-docs/graphs-$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "dev.pawnshop.$module" \
        --output-path "Docs/site/$module" --transform-for-static-hosting --hosting-base-path "$module" \
        --warnings-as-errors >".build-docs/docc-$module.txt" 2>&1 || {
        echo "docs: docc failed for $module:"
        grep -v '^$' ".build-docs/docc-$module.txt" | head -40
        exit 1
    }
done
picture=""
if command -v dot >/dev/null; then
    dot -Tsvg Docs/architecture.dot -o Docs/site/architecture.svg
    picture='<h2>Architecture</h2><img src="architecture.svg" style="max-width: 100%" alt="PawnShop architecture">'
else
    echo "docs: Graphviz (dot) is not installed; the architecture picture is left out"
fi
{
    echo '<!doctype html><html><head><meta charset="utf-8"><title>PawnShop API</title></head><body>'
    echo '<h1>PawnShop API documentation</h1><ul>'
    for module in "${modules[@]}"; do
        echo "<li><a href=\"$module/documentation/$(echo "$module" | tr '[:upper:]' '[:lower:]')/index.html\">$module</a></li>"
    done
    echo "</ul>$picture</body></html>"
} >Docs/site/index.html
echo "docs: Docs/site/index.html"

if [ "$coverage" -ne 0 ]; then
    if [ "${1:-}" = "--report" ]; then
        grep -v '^doc coverage' .build-docs/coverage.txt | head -50
    else
        grep -v '^doc coverage' .build-docs/coverage.txt
        exit 1
    fi
fi
