"""Lists the public symbols of PawnShop's modules that have no documentation comment.

Usage: doc_coverage.py SYMBOL_GRAPH_DIR MODULE...   (exit 1 when any is missing)

Members that implement a protocol requirement inherit that requirement's documentation
(DocC shows it), so they are not counted: requirements of our own protocols are found in
the symbol graphs, and those of the standard library's (Hashable, Codable, …) are listed.
"""
import glob
import json
import os
import sys

STANDARD_REQUIREMENTS = {
    "hashValue", "hash(into:)", "==(_:_:)", "<(_:_:)", "init(rawValue:)", "rawValue", "init(from:)", "encode(to:)",
    "description", "debugDescription", "init(integerLiteral:)", "init(stringLiteral:)", "init(dictionaryLiteral:)",
    "init(arrayLiteral:)", "makeIterator()", "next()", "allCases", "errorDescription", "enqueue(_:)",
}

directory, modules = sys.argv[1], sys.argv[2:]
graphs = []
for path in glob.glob(os.path.join(directory, "*.symbols.json")):
    graph = json.load(open(path))
    if graph["module"]["name"] in modules:
        graphs.append(graph)

requirement_names = set(STANDARD_REQUIREMENTS)
for graph in graphs:
    by_id = {s["identifier"]["precise"]: s for s in graph["symbols"]}
    for relationship in graph["relationships"]:
        if relationship["kind"] in ("requirementOf", "optionalRequirementOf"):
            symbol = by_id.get(relationship["source"])
            if symbol:
                requirement_names.add(symbol["pathComponents"][-1])

missing, total = [], 0
for graph in graphs:
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        total += 1
        if symbol.get("docComment") or symbol["pathComponents"][-1] in requirement_names:
            continue
        if "location" not in symbol:
            continue  # synthesized or inherited (a protocol extension's member): documented there
        location = symbol.get("location", {})
        line = location.get("position", {}).get("line", 0) + 1
        where = location.get("uri", "").replace("file://", "")
        missing.append(f"{where}:{line}: {graph['module']['name']}.{'.'.join(symbol['pathComponents'])}")

for entry in sorted(missing):
    print(entry)
print(f"doc coverage: {total - len(missing)} of {total} public symbols documented; {len(missing)} missing")
sys.exit(1 if missing else 0)
