#!/usr/bin/env bash
# check-layers: every `import` in Sources/ points down the layer order of Package.swift.
#
#   scripts/check-layers.sh [--root DIR]     check DIR/Sources (default: this repository)
#   scripts/check-layers.sh --self-test      prove on a temporary copy that wrong imports fail
#
# SwiftPM only rejects an import of a target that is not a dependency; it cannot say that a
# transport must not know the ports or that a pure module must stay free of Foundation. This
# script reads the import lines and enforces those rules. Exit 0: clean; 1: violations; 2: usage.
set -euo pipefail

# The layers, bottom up: one line per module, so adding a target is adding a line here.
# A module may import any module of a LOWER rank (never its own rank or above), the Swift
# standard library, and the system modules of its last column. A pure module is the exception:
# no rank rule, only the standard library plus the pure modules in its last column.
#  module          rank kind       folder                               system modules (pure: its pure layers)
MODULES='
PawnDomain         1  pure       Sources/PawnDomain                   -
PawnProtocol       1  pure       Sources/PawnProtocol                 -
PawnBSON           1  pure       Sources/PawnAdapters/PawnBSON        -
PawnSigV4          1  pure       Sources/PawnAdapters/PawnSigV4       CPawnSHA
PawnHPACK          1  pure       Sources/PawnServices/PawnHPACK       -
PawnHTTP2          2  pure       Sources/PawnServices/PawnHTTP2       PawnHPACK
PawnConsole        1  pure       Sources/PawnServices/PawnConsole     -
PawnTrace          2  pure       Sources/PawnServices/PawnTrace       PawnProtocol
PawnLog            2  log        Sources/PawnServices/PawnLog         Glibc Synchronization
PawnIO             3  io         Sources/PawnServices/PawnIO          Glibc Synchronization Dispatch
PawnMetrics        4  metrics    Sources/PawnServices/PawnMetrics     -
PawnTelemetry      4  telemetry  Sources/PawnServices/PawnTelemetry   Foundation FoundationNetworking Dispatch Glibc Synchronization
PawnSettings       3  config     Sources/PawnServices/PawnSettings    Foundation
PawnPorts          4  ports      Sources/PawnAdapters/PawnPorts       Glibc Synchronization Dispatch
PawnKafka          5  adapter    Sources/PawnAdapters/PawnKafka       Glibc Synchronization Dispatch Foundation
PawnMongo          5  adapter    Sources/PawnAdapters/PawnMongo       Glibc Synchronization Dispatch Foundation
PawnRedis          5  adapter    Sources/PawnAdapters/PawnRedis       Glibc Synchronization Dispatch Foundation
PawnS3             5  adapter    Sources/PawnAdapters/PawnS3          Glibc Synchronization Dispatch Foundation FoundationNetworking
PawnHTTP1          6  transport  Sources/PawnServices/PawnHTTP1       Glibc Synchronization Dispatch Foundation
PawnGRPC           6  transport  Sources/PawnServices/PawnGRPC        Glibc Synchronization Dispatch Foundation
PawnWire           7  wire       Sources/PawnServices/PawnWire        Glibc Synchronization Dispatch Foundation FoundationNetworking
PawnDispatcher     8  service    Sources/PawnServices/PawnDispatcher  Glibc Synchronization Dispatch Foundation FoundationNetworking
PawnWorker         8  service    Sources/PawnServices/PawnWorker      Glibc Synchronization Dispatch Foundation FoundationNetworking
PawnFeeder         8  service    Sources/PawnServices/PawnFeeder      Glibc Synchronization Dispatch Foundation FoundationNetworking
PawnPlatform       9  platform   Sources/PawnServices/PawnPlatform    Glibc Synchronization Dispatch Foundation FoundationNetworking
pawnshop          10  executable Sources/pawnshop                     Glibc Synchronization Dispatch Foundation FoundationNetworking
pawn-bench        10  executable Sources/pawn-bench                   Glibc Synchronization Dispatch Foundation FoundationNetworking
'

# Exceptions to "a lower rank is fine": a kind never imports these kinds, whatever their rank.
#  kind:       kinds it never imports:   why (printed with the violation)
BANS='
transport:  ports adapter service:  a transport never imports PawnPorts, an adapter or a service
wire:       adapter:                the shared wire mapping never imports an adapter
service:    adapter:                a service never imports an adapter
platform:   adapter:                the platform never imports an adapter
'

# The C modules (system library targets) and the only modules that may import each of them.
# pawn-bench's raw libmongoc writer is the pipeline benchmark's limit anchor (MongoBench.swift).
#  C module:    its owners
C_MODULES='
CRdKafka:     PawnKafka
CMongoc:      PawnMongo pawn-bench
CHiredis:     PawnRedis
CPawnSystem:  PawnIO
CPawnSHA:     PawnSigV4
'

# Modules of the Swift standard library itself: every module, pure or not, may import them.
STDLIB='Swift _Concurrency _StringProcessing'

ROOT_DEFAULT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MODULES BANS C_MODULES STDLIB ROOT_DEFAULT
exec python3 - "$@" <<'PY'
import argparse, os, re, shutil, sys, tempfile

E = os.environ
MODULES = {}  # name -> (rank, kind, folder, set of extra imports)
for line in E["MODULES"].strip().splitlines():
    name, rank, kind, folder, *extra = line.split()
    MODULES[name] = (int(rank), kind, folder, set(extra) - {"-"})
BANS = {}  # kind -> (banned kinds, reason)
for line in E["BANS"].strip().splitlines():
    kind, banned, reason = (part.strip() for part in line.split(":", 2))
    BANS[kind] = (set(banned.split()), reason)
C_OWNERS = {c.strip(): owners.split()
            for c, owners in (l.split(":") for l in E["C_MODULES"].strip().splitlines())}
STDLIB = set(E["STDLIB"].split())

# The start of whatever hides code from the compiler: a comment or a string literal.
# Strings matter because "/*" inside one must not open a comment that swallows imports.
HIDDEN = re.compile(r'//|/\*|(#*)("""|")')
IMPORT = re.compile(r"""\s*
    (?:(?:@\w+(?:\([^)]*\))?|public|package|internal|fileprivate|private)\s+)*  # @testable, @_exported, access level
    import\s+
    (?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?  # import struct X.Y
    ([A-Za-z_]\w*)""", re.X)


def code_only(text):
    """The text with comments and string literals blanked out (newlines kept, so line
    numbers stay right). Lines inside #if/#else are kept: a conditional import is an import."""
    out, i = [], 0
    while m := HIDDEN.search(text, i):
        out.append(text[i:m.start()])
        end = m.end()
        if m.group(0) == "//":
            end = text.find("\n", end)
            end = len(text) if end < 0 else end
        elif m.group(0) == "/*":
            depth = 1  # Swift block comments nest
            while depth and end < len(text):
                step = text[end:end + 2]
                depth += (step == "/*") - (step == "*/")
                end += 2 if step in ("/*", "*/") else 1
        else:
            close, raw = m.group(2) + m.group(1), bool(m.group(1))
            while end < len(text) and not text.startswith(close, end):
                if close == '"' and text[end] == "\n":
                    break  # a one-line string cannot cross a line: limit the damage of a misread
                end += 2 if text[end] == "\\" and not raw else 1
            end = min(end + len(close), len(text))
        out.append(re.sub(r"[^\n]", " ", text[m.start():end]))
        i = end
    return "".join(out) + text[i:]


def imports(path):
    """(line number, module) for every import statement in one Swift file."""
    with open(path, encoding="utf-8") as f:
        lines = code_only(f.read()).splitlines()
    for number, line in enumerate(lines, 1):
        for statement in line.split(";"):
            if m := IMPORT.match(statement):
                yield number, m.group(1)


def why_not(module, target):
    """None if `module` may import `target`, else the reason it may not."""
    rank, kind, _, extra = MODULES[module]
    if target in STDLIB:
        return None
    if kind == "pure":
        if target in extra:
            return None
        layers = " and " + ", ".join(sorted(extra)) if extra else ""
        return f"a pure module imports only the Swift standard library{layers}"
    if target in C_OWNERS:
        owners = C_OWNERS[target]
        return None if module in owners else f"{target} is imported only by {', '.join(owners)}"
    if target not in MODULES:
        return None if target in extra else (
            f"{module} may import only these system modules: {', '.join(sorted(extra))}")
    target_rank, target_kind = MODULES[target][:2]
    if target_rank >= rank:
        return f"rank {target_rank} is not below rank {rank}"
    banned, reason = BANS.get(kind, (set(), ""))
    return reason if target_kind in banned else None


def check(root):
    """(violations, number of files scanned) for the Swift files of root/Sources."""
    violations, scanned = [], 0
    folders = {folder: name for name, (_, _, folder, _) in MODULES.items()}
    for folder in sorted(folders):
        if not os.path.isdir(os.path.join(root, folder)):
            violations.append(f"{folder}: folder of {folders[folder]} is missing (fix the table)")
    for directory, subdirs, files in os.walk(os.path.join(root, "Sources")):
        subdirs[:] = sorted(d for d in subdirs if not d.endswith(".docc"))  # documentation only
        for file in sorted(f for f in files if f.endswith(".swift")):
            path = os.path.relpath(os.path.join(directory, file), root)
            owner = max((f for f in folders if path.startswith(f + os.sep)), key=len, default=None)
            if owner is None:
                violations.append(f"{path}: belongs to no module of the table at the top of "
                                  "scripts/check-layers.sh (a new target? add its line)")
                continue
            scanned += 1
            module = folders[owner]
            for number, target in imports(os.path.join(root, path)):
                if reason := why_not(module, target):
                    violations.append(f"{path}:{number}: {module} imports {target} ({reason})")
    return violations, scanned


def self_test(root):
    """Inject one wrong import at a time into a copy of Sources; each alone must fail, with
    its own message, and the untouched copy (plus commented-out imports) must pass."""
    cases = [  # (module, injected import, expected message)
        ("PawnDomain", "import Foundation",
         "PawnDomain imports Foundation (a pure module imports only the Swift standard library)"),
        ("PawnHTTP1", "import PawnDispatcher",
         "PawnHTTP1 imports PawnDispatcher (rank 8 is not below rank 6)"),
        ("PawnDispatcher", "import PawnKafka",
         "PawnDispatcher imports PawnKafka (a service never imports an adapter)"),
        ("PawnMongo", "import CRdKafka",
         "PawnMongo imports CRdKafka (CRdKafka is imported only by PawnKafka)"),
    ]
    failures = []
    with tempfile.TemporaryDirectory(prefix="check-layers.") as copy:
        shutil.copytree(os.path.join(root, "Sources"), os.path.join(copy, "Sources"))

        def run_with(module, injected):
            folder = os.path.join(copy, MODULES[module][2])
            victim = sorted(f for f in os.listdir(folder) if f.endswith(".swift"))[0]
            path = os.path.join(folder, victim)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(injected + "\n" + original)
            try:
                return check(copy)[0]
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)

        if found := check(copy)[0]:
            failures.append(f"the untouched copy fails: {found[0]}")
        if found := run_with("PawnDomain", '// import Foundation\n/* import Foundation\n'
                             '   /* nested */ import Foundation */ let s = "/*"'):
            failures.append(f"commented-out imports count: {found[0]}")
        for module, injected, expected in cases:
            found = run_with(module, injected)
            if len(found) != 1 or not found[0].endswith(":1: " + expected):
                failures.append(f"`{injected}` in {module}: expected only '{expected}', got {found}")
    for failure in failures:
        print(f"check-layers: self-test FAILED: {failure}")
    if failures:
        return 1
    print(f"check-layers: self-test passed ({len(cases)} wrong imports caught)")
    return 0


parser = argparse.ArgumentParser(prog="check-layers.sh", description="Check the module layering.")
parser.add_argument("--root", default=E["ROOT_DEFAULT"], help="package root holding Sources/")
parser.add_argument("--self-test", action="store_true", help="check the checker on a temporary copy")
args = parser.parse_args()
if not os.path.isdir(os.path.join(args.root, "Sources")):
    parser.error(f"no Sources/ folder under {args.root}")
if args.self_test:
    sys.exit(self_test(args.root))
violations, scanned = check(args.root)
for violation in violations:
    print(f"check-layers: {violation}")
if violations:
    sys.exit(1)
print(f"check-layers: {len(MODULES)} modules, {scanned} files, every import points down")
PY
