#!/usr/bin/env python3
"""Benchmarks/RESULTS.md from the raw figures Benchmarks/run.sh collects.

Each input line is `SECTION CASE SIDE REPETITION VALUE...` (whitespace separated). Every
figure is written as its median with the spread over the repetitions, `median (min–max)`;
a ratio is taken within each repetition, between the two sides measured back to back in
it (the script alternates their order), and then summarised the same way. Ratios above 1.0
mean PawnShop is faster: ours ÷ other for throughput, other ÷ ours for time.

Usage: summarize.py RAW HEADER > RESULTS.md   (HEADER: the lines to put under the title)
"""
import statistics
import sys
from collections import defaultdict

raw_path, header_path = sys.argv[1], sys.argv[2]
figures = defaultdict(dict)  # (section, case, side) -> {repetition: [values]}
for line in open(raw_path):
    fields = line.split()
    if len(fields) < 5:
        continue
    section, case, side, repetition = fields[:4]
    figures[(section, case, side)][int(repetition)] = fields[4:]


def values(section, case, side, index=0, convert=float):
    """{repetition: value} of one figure."""
    found = {}
    for repetition, fields in figures.get((section, case, side), {}).items():
        try:
            found[repetition] = convert(fields[index])
        except (IndexError, ValueError):
            pass
    return found


def spread(numbers, digits=1):
    numbers = sorted(numbers)
    if not numbers:
        return "—"
    fmt = f"{{:,.{digits}f}}"
    median = fmt.format(statistics.median(numbers))
    if len(numbers) == 1:
        return median
    return f"{median} ({fmt.format(numbers[0])}–{fmt.format(numbers[-1])})"


def ratios(ours, other, higher_is_better=True):
    """Per repetition: ours ÷ other (throughput) or other ÷ ours (time)."""
    result = []
    for repetition in sorted(set(ours) & set(other)):
        a, b = ours[repetition], other[repetition]
        if a > 0 and b > 0:
            result.append(a / b if higher_is_better else b / a)
    return result


def median(numbers):
    return statistics.median(numbers) if numbers else None


def verdict(found, goal):
    if not found:
        return "not measured in this run"
    return "met" if median(found) >= goal else "not met"


out = []
out.append("# Benchmark results")
out.append("")
out.extend(line.rstrip("\n") for line in open(header_path))
repetitions = sorted({r for figure in figures.values() for r in figure})
out.append("")
out.append(
    f"Every figure is the median of {len(repetitions)} repetitions with the spread (min–max); each ratio is "
    "taken between the two sides measured back to back in one repetition (their order alternates), then "
    "summarised the same way. Ratios above 1.0 mean PawnShop is faster.")
out.append("")

# The goals of the performance issue, one row each.
goal_rows = []


def goal(name, ours_text, other_text, limit_text, found, target):
    goal_rows.append(f"| {name} | {ours_text} | {other_text} | {limit_text} | {spread(found, 2)} | ≥ {target} | "
                     f"{verdict(found, target)} |")


http_cases = [("get-64", "GET /item/fetch/{id}", 64), ("get-256", "GET /item/fetch/{id}", 256),
              ("post-64", "POST /echo (1 KiB)", 64), ("post-256", "POST /echo (1 KiB)", 256)]
for case, label, connections in http_cases[:2]:
    ours, nginx = values("http", case, "ours"), values("http", case, "nginx")
    goal(f"HTTP/1.1 {label}, {connections} connections, vs nginx (req/s)", spread(ours.values(), 0),
         "", f"nginx {spread(nginx.values(), 0)}", ratios(ours, nginx), 0.8)
for case in ["encode-ItemWithHistory-100", "decode-ItemWithHistory-100", "encode-FetchItemsResponse-100",
             "decode-FetchItemsResponse-100"]:
    ours, cpp = values("codec", case, "ours"), values("codec", case, "cpp")
    goal(f"codec {case} vs C++ protobuf (ns/op)", spread(ours.values()), "", f"C++ {spread(cpp.values())}",
         ratios(ours, cpp, higher_is_better=False), 0.7)
for case in ["sha256-64B", "sha256-1024B", "sha256-1048576B"]:
    ours, peer = values("crypto", case, "ours"), values("crypto", case, "swift-crypto")
    goal(f"{case} vs swift-crypto (ns/op)", spread(ours.values()), f"swift-crypto {spread(peer.values())}", "",
         ratios(ours, peer, higher_is_better=False), 0.8)
for case in ["produce", "consume"]:
    ours, kcat = values("kafka", case, "ours"), values("kafka", case, "kcat")
    goal(f"Kafka {case} vs kcat (wall s)", spread(ours.values(), 2), "", f"kcat {spread(kcat.values(), 2)}",
         ratios(ours, kcat, higher_is_better=False), 1.0)
read_ours, read_bare = values("read", "platform", "ours"), values("http", "get-64", "ours")
read_peer = values("http", "get-64", "hummingbird")
goal("read path GET /item/fetch/{id} (dispatcher → gRPC → worker) vs our bare HTTP server (req/s)",
     spread(read_ours.values(), 0), "", f"bare {spread(read_bare.values(), 0)}", ratios(read_ours, read_bare), 0.6)
goal("read path vs Hummingbird serving the fixed JSON (req/s)", spread(read_ours.values(), 0),
     f"Hummingbird {spread(read_peer.values(), 0)}", "", ratios(read_ours, read_peer), 1.5)
for workload in ["adds", "actions", "mix"]:
    ours, raw = values("pipeline", workload, "ours"), values("pipeline", workload, "raw")
    goal(f"pipeline {workload} vs a raw libmongoc writer (events/s)", spread(ours.values(), 0), "",
         f"raw {spread(raw.values(), 0)}", ratios(ours, raw), 0.8)

out.append("## Goals")
out.append("")
out.append("| goal | ours | peer | limit | ratio | target | |")
out.append("|---|---:|---:|---:|---:|---:|---|")
out.extend(goal_rows)
out.append("")
out.append("Write→readable latency on the real stack (p50/p99/p99.9 at 200, 1,000 and 5,000 writes/s, 1 and 3 "
           "dispatchers) is in `RESULTS-latency.md` (`scripts/bench-latency.sh`); several dispatchers' "
           "throughput, the drain after an outage and the ordering rule's cost in `RESULTS-fleet.md` "
           "(`scripts/bench-fleet.sh`).")
out.append("")

out.append("## Codec: PawnProtocol vs swift-protobuf and C++ protobuf (ns/op, lower is better)")
out.append("")
out.append("| case | bytes | ours | swift-protobuf | C++ protobuf | ÷ swift-protobuf | ÷ C++ | allocations/op ours / swift-protobuf |")
out.append("|---|---:|---:|---:|---:|---:|---:|---|")
for case in sorted({c for (s, c, _) in figures if s == "codec"}):
    ours, peer, cpp = (values("codec", case, side) for side in ("ours", "swift-protobuf", "cpp"))
    size = next(iter(values("codec", case, "ours", 1, int).values()), "")
    allocations = (spread(values("codec", case, "ours", 2).values()),
                   spread(values("codec", case, "swift-protobuf", 2).values()))
    out.append(f"| {case} | {size} | {spread(ours.values())} | {spread(peer.values())} | {spread(cpp.values())} | "
               f"{spread(ratios(ours, peer, False), 2)} | {spread(ratios(ours, cpp, False), 2)} | "
               f"{allocations[0]} / {allocations[1]} |")
out.append("")

out.append("## HTTP/1.1: PawnShop vs Hummingbird 2 and nginx (wrk, requests/s)")
out.append("")
out.append("| route | connections | ours | Hummingbird | nginx | ÷ Hummingbird | ÷ nginx | p99 ms ours / Hummingbird / nginx |")
out.append("|---|---:|---:|---:|---:|---:|---:|---|")
for case, label, connections in http_cases:
    ours, peer, nginx = (values("http", case, side) for side in ("ours", "hummingbird", "nginx"))
    p99 = " / ".join(spread(values("http", case, side, 2).values(), 2) for side in ("ours", "hummingbird", "nginx"))
    out.append(f"| {label} | {connections} | {spread(ours.values(), 0)} | {spread(peer.values(), 0)} | "
               f"{spread(nginx.values(), 0)} | {spread(ratios(ours, peer), 2)} | {spread(ratios(ours, nginx), 2)} | {p99} |")
errors = sorted({" ".join(fields[3:]) for (s, _, _), reps in figures.items() if s == "http"
                 for fields in reps.values() if len(fields) > 3 and fields[3] != "none"})
out.append("")
out.append("Errors reported by wrk: " + ("; ".join(errors) if errors else "none") + ".")
rss = {side: spread(values("rss", "http", side).values(), 0) for side in ("ours", "hummingbird", "nginx")}
out.append(f"Server RSS after the HTTP cases (KiB): ours {rss['ours']}, Hummingbird {rss['hummingbird']}, "
           f"nginx {rss['nginx']}.")
out.append("")

out.append("## gRPC: PawnShop vs grpc-swift-2 (NIO transport), FetchItemById from memory")
out.append("")
out.append("| measure | ours | grpc-swift-2 | ratio |")
out.append("|---|---:|---:|---:|")
ours, peer = values("grpc", "h2load", "ours"), values("grpc", "h2load", "grpc-swift")
out.append(f"| h2load calls/s | {spread(ours.values(), 0)} | {spread(peer.values(), 0)} | {spread(ratios(ours, peer), 2)} |")
ours99, peer99 = values("grpc", "h2load", "ours", 2), values("grpc", "h2load", "grpc-swift", 2)
out.append(f"| h2load p99 ms | {spread(ours99.values(), 2)} | {spread(peer99.values(), 2)} | "
           f"{spread(ratios(ours99, peer99, False), 2)} |")
failed = (spread(values("grpc", "h2load", "ours", 3).values(), 0),
          spread(values("grpc", "h2load", "grpc-swift", 3).values(), 0))
out.append(f"| failed calls | {failed[0]} | {failed[1]} | |")
ours, peer = values("grpc", "client", "ours"), values("grpc", "client", "grpc-swift")
out.append(f"| our client (100 in parallel) against that server, calls/s | {spread(ours.values(), 0)} | "
           f"{spread(peer.values(), 0)} | {spread(ratios(ours, peer), 2)} |")
rss = (spread(values("rss", "grpc", "ours").values(), 0), spread(values("rss", "grpc", "grpc-swift").values(), 0))
out.append(f"| server RSS KiB | {rss[0]} | {rss[1]} | |")
out.append("")

out.append("## SHA-256 and HMAC (S3 signatures): PawnSigV4 vs swift-crypto (ns/op, lower is better)")
out.append("")
out.append("swift-crypto hashes with BoringSSL's assembly and the CPU's SHA extensions where present; ours")
out.append("runs its rounds on the same instructions where the CPU has them (CPawnSHA: SHA-NI intrinsics in a")
out.append("header of ours, chosen by CPUID) and in portable Swift elsewhere.")
out.append("")
out.append("| case | bytes | ours | swift-crypto | speed ratio |")
out.append("|---|---:|---:|---:|---:|")
for case in sorted({c for (s, c, _) in figures if s == "crypto"}, key=lambda c: (c.split("-")[0], len(c), c)):
    ours, peer = values("crypto", case, "ours"), values("crypto", case, "swift-crypto")
    size = next(iter(values("crypto", case, "ours", 1, int).values()), "")
    if peer:
        out.append(f"| {case} | {size} | {spread(ours.values())} | {spread(peer.values())} | "
                   f"{spread(ratios(ours, peer, False), 2)} |")
    else:
        out.append(f"| {case} | | {spread(ours.values())} | (none) | |")
out.append("")

out.append("## Kafka: our librdkafka wrapper vs kcat, same broker (Tansu), same settings (wall s)")
out.append("")
out.append("Wall time of each whole process (start, connect, group join, work, exit); from `scripts/bench-kafka.sh`.")
out.append("")
out.append("| case | ours | kcat | ours ÷ kcat (throughput) |")
out.append("|---|---:|---:|---:|")
for case in ["produce", "consume"]:
    ours, kcat = values("kafka", case, "ours"), values("kafka", case, "kcat")
    records = next(iter(values("kafka", case, "ours", 1, int).values()), "")
    out.append(f"| {case} {records:,} × 100 B | {spread(ours.values(), 2)} | {spread(kcat.values(), 2)} | "
               f"{spread(ratios(ours, kcat, False), 2)} |" if records != "" else
               f"| {case} | — | — | — |")
out.append("")
pipeline = {(c, s) for (sec, c, s) in figures if sec == "pipeline"}
if pipeline:
    out.append("## The worker pipeline into MongoDB (events/s)")
    out.append("")
    out.append("| workload | worker | raw libmongoc writer | worker ÷ raw |")
    out.append("|---|---:|---:|---:|")
    for workload in ["adds", "actions", "mix"]:
        ours, raw = values("pipeline", workload, "ours"), values("pipeline", workload, "raw")
        if ours or raw:
            out.append(f"| {workload} | {spread(ours.values(), 0)} | {spread(raw.values(), 0)} | "
                       f"{spread(ratios(ours, raw), 2)} |")
    out.append("")
print("\n".join(out))
