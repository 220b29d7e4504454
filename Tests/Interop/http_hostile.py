#!/usr/bin/env python3
"""Hostile HTTP/1.1 clients against a real `pawnshop` process (the embedded platform, in
memory), each case asserting a clear refusal and that the server is alive and serving
normal requests afterwards (#14). scripts/test.sh runs it; by hand:

    Tests/Interop/http_hostile.py --binary .build/debug/pawnshop

Cases:
  idempotency-flood  1,000 adds with distinct Idempotency-Keys and ~256 KiB bodies (JSON
                     padded with spaces), all 202: the process's RSS grows by less than
                     --rss-budget MiB (the cache keeps a hash of each request, not its body)
  random-methods     2,000 requests with random method tokens (after two, whose series
                     `other` may be new, and a first /metrics): each gets a 4xx/5xx JSON body, and the HTTP
                     families of /metrics grow by fewer than 5 lines
  hostile-json       100,000-deep nesting, 1e400, invalid UTF-8, a duplicate key: 400 with
                     a JSON error body naming the problem
  oversized          a Content-Length of 100 MB (413 before any body is read), 10,000
                     header fields (431), a 64 KiB request line (414 or 431)
  slowloris          a head sent a byte a second: 408 within the header timeout (10 s),
                     while other clients are served
  slow-body          a body sent a byte a second: 408 within the body timeout (30 s)
  connection-cap     a second process with --max-connections 32: 48 idle connections held,
                     the ones over the cap get 503 with Retry-After and a JSON body; once
                     they close, requests are served again
Exit status 0 when every case holds; each failure is printed.
"""
import argparse
import http.client
import json
import os
import random
import socket
import string
import subprocess
import sys
import threading
import time

FAILURES = []


def log(*parts):
    print("http_hostile:", *parts, flush=True)


def check(condition, case, detail):
    if condition:
        return True
    FAILURES.append(f"{case}: {detail}")
    log("FAILED", case, detail)
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    """`pawnshop --port P --workers 1` in memory, its output in a file."""

    def __init__(self, binary, extra=()):
        self.port = free_port()
        self.output = open(f"/tmp/http_hostile-{self.port}.log", "w+")
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--workers", "1", "--loops", "1",
                                         *extra], stdout=self.output, stderr=subprocess.STDOUT)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if request(self.port, "GET", "/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"http_hostile: the platform never became ready (see {self.output.name})")

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.output.close()


def request(port, method, path, body=None, headers=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def item(identifier):
    return {"id": identifier, "name": "Ring", "category": "Jewelry", "price": 100, "state": "Good",
            "ageInMonths": 1}


def serves(platform, case):
    """The process lives, and a normal add and a fetch of it work."""
    if not check(platform.alive(), case, "the process died"):
        return False
    identifier = "alive-" + "".join(random.choices(string.ascii_lowercase, k=10))
    status, body, _ = request(platform.port, "POST", "/item/add", item(identifier))
    if not check(status == 202, case, f"a normal add afterwards got {status} {body[:200]!r}"):
        return False
    for _ in range(100):
        status, _, _ = request(platform.port, "GET", f"/item/fetch/{identifier}")
        if status == 200:
            return True
        time.sleep(0.05)
    return check(False, case, f"a normal fetch afterwards got {status}")


def json_error(body):
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes, returns what comes back until the server closes or `timeout`."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass
        received = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received:
                head, _, rest = received.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if len(rest) >= length:
                    break
        return received


def status_of(response):
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def body_of(response):
    return response.partition(b"\r\n\r\n")[2]


def idempotency_flood(platform, budget):
    case = "idempotency-flood"
    padding = b" " * (256 * 1024)
    before = platform.rss_mib()
    statuses = {}
    connection = http.client.HTTPConnection("127.0.0.1", platform.port, timeout=30)
    for n in range(1000):
        body = json.dumps(item(f"flood-{n}")).encode() + padding
        connection.request("POST", "/item/add", body=body,
                           headers={"Content-Type": "application/json", "Idempotency-Key": f"flood-key-{n}"})
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    after = platform.rss_mib()
    log(f"{case}: 1000 adds of 256 KiB with distinct keys: {statuses}; RSS {before:.0f} -> {after:.0f} MiB")
    check(statuses == {202: 1000}, case, f"answers {statuses}, expected 1000 x 202")
    check(after - before < budget, case, f"RSS grew by {after - before:.0f} MiB (budget {budget} MiB)")
    # The same key again answers the first answer (the cache works).
    status, body, headers = request(platform.port, "POST", "/item/add", json.dumps(item("flood-0")).encode() + padding,
                                    {"Idempotency-Key": "flood-key-0"})
    check(status == 202, case, f"a replay of the first key got {status} {body[:200]!r}")
    serves(platform, case)


def metrics_lines(platform):
    """Lines of the HTTP families: what a request can add. The rest of /metrics grows on
    its own schedule (the first heartbeat's gRPC series, a worker's gauges) and made this
    check fail when a heartbeat fell between the two scrapes."""
    status, body, _ = request(platform.port, "GET", "/metrics")
    if status != 200:
        return -1
    return sum(1 for line in body.decode().splitlines() if line.startswith("pawnshop_http_"))


def random_methods(platform):
    """The first unknown method may add its series (`other`); 2,000 more add nothing."""
    case = "random-methods"
    for method in ("BREW", "PROPFIND"):
        raw_exchange(platform.port, f"{method} /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    metrics_lines(platform)  # /metrics's own series exist from its first answer on
    before = metrics_lines(platform)
    statuses = {}
    for _ in range(2000):
        method = "".join(random.choices(string.ascii_uppercase, k=random.randint(3, 12)))
        path = "/" + "".join(random.choices(string.ascii_lowercase, k=8))
        response = raw_exchange(platform.port, f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .encode())
        status = status_of(response)
        statuses[status] = statuses.get(status, 0) + 1
        if status is None or status < 400 or json_error(body_of(response)) is None:
            check(False, case, f"{method} {path} got {response[:200]!r}")
            break
    after = metrics_lines(platform)
    log(f"{case}: 2000 random methods answered {statuses}; /metrics {before} -> {after} lines")
    check(0 <= after - before < 5, case, f"/metrics's HTTP families grew from {before} to {after} lines")
    serves(platform, case)


def hostile_json(platform):
    case = "hostile-json"
    bodies = {
        "100,000-deep nesting": b"[" * 100_000 + b"]" * 100_000,
        "a number out of range": b'{"id":"j-1","name":"Ring","category":"Jewelry","price":1e400,"state":"Good",'
                                 b'"ageInMonths":1}',
        "invalid UTF-8": b'{"id":"j-2","name":"\xff\xfe","category":"Jewelry","price":1,"state":"Good",'
                         b'"ageInMonths":1}',
        "a duplicate key": b'{"id":"j-3","name":"Ring","category":"Jewelry","price":1,"price":2,"state":"Good",'
                           b'"ageInMonths":1}',
    }
    for name, body in bodies.items():
        status, answer, _ = request(platform.port, "POST", "/item/add", body)
        error = json_error(answer)
        log(f"{case}: {name}: {status} {answer[:160]!r}")
        check(status == 400 and error is not None, case, f"{name} got {status} {answer[:200]!r}")
    status, answer, _ = request(platform.port, "POST", "/item/add", bodies["a number out of range"])
    check(b"price" in answer, case, f"the out-of-range number's error does not name the field: {answer[:200]!r}")
    serves(platform, case)


def oversized(platform):
    case = "oversized"
    response = raw_exchange(platform.port, b"POST /item/add HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           b"Content-Length: 100000000\r\n\r\n{")
    log(f"{case}: Content-Length 100 MB: {response[:60]!r}")
    check(status_of(response) == 413 and json_error(body_of(response)) is not None, case,
          f"Content-Length 100 MB got {response[:200]!r}")
    many = b"".join(b"X-H%d: v\r\n" % n for n in range(10_000))
    response = raw_exchange(platform.port, b"GET /health/live HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    log(f"{case}: 10,000 header fields: {response[:60]!r}")
    check(status_of(response) == 431, case, f"10,000 header fields got {response[:200]!r}")
    response = raw_exchange(platform.port, b"GET /" + b"a" * 65536 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    log(f"{case}: a 64 KiB request line: {response[:60]!r}")
    check(status_of(response) in (414, 431), case, f"a 64 KiB request line got {response[:200]!r}")
    serves(platform, case)


def dribble(port, head, trickle, limit):
    """Sends `head`, then `trickle` a byte a second; returns (status, seconds) of the answer."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(head)
        received = b""
        for byte in trickle:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            try:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
                if b"\r\n\r\n" in received:
                    break
            except socket.timeout:
                pass
            if time.monotonic() - started > limit:
                break
        sock.settimeout(5)
        try:
            while b"\r\n\r\n" not in received:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
    return status_of(received), time.monotonic() - started


def slow_clients(platform):
    """Slowloris (head) and a slow body at once, while the main thread keeps serving."""
    results = {}

    def run(name, head, trickle, limit):
        results[name] = dribble(platform.port, head, trickle, limit)

    threads = [
        threading.Thread(target=run, args=("slowloris", b"GET /health/live HTTP/1.1\r\n",
                                           b"X-Slow: " + b"a" * 100, 20)),
        threading.Thread(target=run, args=("slow-body", b"POST /item/add HTTP/1.1\r\nHost: x\r\n"
                                                        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
                                           b"{" + b" " * 999, 40)),
    ]
    for thread in threads:
        thread.start()
    served = 0
    latencies = []
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        status, _, _ = request(platform.port, "GET", "/health/live")
        latencies.append(time.monotonic() - started)
        served += status == 200
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan")
    log(f"slow clients: {results}; meanwhile {served} of {len(latencies)} other requests served, "
        f"p99 {p99 * 1000:.1f} ms")
    status, seconds = results["slowloris"]
    check(status == 408 and seconds < 14, "slowloris", f"got {status} after {seconds:.1f} s (expected 408 by 14 s)")
    status, seconds = results["slow-body"]
    check(status == 408 and seconds < 34, "slow-body", f"got {status} after {seconds:.1f} s (expected 408 by 34 s)")
    check(served == len(latencies) and served > 0, "slow clients", f"only {served} of {len(latencies)} served")
    serves(platform, "slow clients")


def connection_cap(binary):
    case = "connection-cap"
    platform = Platform(binary, ["--max-connections", "32"])
    try:
        held = []
        for _ in range(48):
            held.append(socket.create_connection(("127.0.0.1", platform.port), timeout=5))
        time.sleep(0.5)
        refused = 0
        for sock in held:
            sock.setblocking(False)
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                refused += 1
                continue
            if data:
                sock.setblocking(True)
                sock.settimeout(2)
                try:
                    while b"\r\n\r\n" not in data or len(body_of(data)) < 2:
                        more = sock.recv(65536)
                        if not more:
                            break
                        data += more
                except OSError:
                    pass
                head = data.partition(b"\r\n\r\n")[0].lower()
                if status_of(data) == 503 and b"retry-after: 1" in head and json_error(body_of(data)) is not None:
                    refused += 1
                else:
                    check(False, case, f"a connection over the cap got {data[:200]!r}")
                    break
        log(f"{case}: 48 connections against a cap of 32: {refused} refused with 503")
        check(refused == 16, case, f"{refused} connections refused, expected 16")
        for sock in held:
            sock.close()
        time.sleep(0.5)
        serves(platform, case)
    finally:
        platform.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rss-budget", type=int, default=96, help="idempotency-flood: MiB the RSS may grow by")
    args = parser.parse_args()
    platform = Platform(args.binary)
    try:
        idempotency_flood(platform, args.rss_budget)
        random_methods(platform)
        hostile_json(platform)
        oversized(platform)
        slow_clients(platform)
    finally:
        platform.stop()
    connection_cap(args.binary)
    if FAILURES:
        for failure in FAILURES:
            log("FAILED:", failure)
        sys.exit(1)
    log("passed: every hostile client was refused clearly and the server kept serving")


if __name__ == "__main__":
    main()
