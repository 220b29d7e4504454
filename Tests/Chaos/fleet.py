#!/usr/bin/env python3
"""Real processes under trouble: dispatchers (some with skewed wall clocks), workers,
the servers of scripts/servers.sh, and a client that behaves as the API asks.

The client walks every item through add, sell, pawn, redeem and buy, sending each action
only after the previous one was answered 202, each to another dispatcher than the last;
every POST carries an Idempotency-Key and is retried with it on a connection error or a 5xx.
Meanwhile the scenario does its harm. At the end MongoDB is read with pymongo (an
independent client): every accepted event is stored exactly once, none is rejected, and
every item is what replaying its accepted events in client order gives.

    Tests/Chaos/fleet.py --binary .build/debug/pawnshop --scenario skew
    Tests/Chaos/fleet.py --binary .build/debug/pawnshop --scenario rolling

Scenarios (#19); every worker joins every dispatcher:
  skew     three dispatchers, wall clocks at 0, +5 s and -5 s (scripts/skew/run),
           three workers; no other fault.
  chaos    three dispatchers (clocks 0, +5 s, -5 s) sharing one parking lot, three workers;
           a Kafka outage, the lot's drainer SIGKILLed for good while the lot holds
           events, a worker SIGKILLed and restarted; the lot must be drained by another.
  rolling  one dispatcher, three workers; a Kafka outage (the broker's listener is taken
           away, events park in Redis), then every worker restarted one after another.
  drain    (a benchmark, scripts/bench-fleet.sh) --dispatchers sharing one lot, load at
           --rate; Kafka away for --outage s (or, with --slow MS, every produce answered
           MS ms late); how long the lot takes to empty after.
  throughput  (a benchmark, scripts/bench-fleet.sh) --dispatchers, one wrk per replica
           adding items; writes/s, write->applied latency, time until MongoDB has them all.
  soak     one dispatcher, three workers, constant load for --minutes with a worker
           restarted every --restart-every seconds; lag and the oldest unapplied record's
           age sampled from /metrics (scripts/soak.sh runs it; not in CI).
Exit status 0 when every check holds; the reasons otherwise.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pymongo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def log(*parts):
    print(f"fleet {time.strftime('%H:%M:%S')}:", *parts, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process whose output goes to a file (shown when a check fails)."""

    def __init__(self, name, argv, logdir):
        self.name, self.argv = name, argv
        self.path = os.path.join(logdir, f"{name}.log")
        self.proc = None

    def start(self):
        out = open(self.path, "ab")
        out.write(f"--- start {' '.join(self.argv)}\n".encode())
        out.flush()
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                                     start_new_session=True)
        # Each line stamped with the wall time it arrived (the fleet's own log uses the same
        # clock), so a failed run's logs can be read as one timeline.
        threading.Thread(target=self.copy, args=(self.proc.stdout, out), daemon=True).start()

    @staticmethod
    def copy(source, out):
        with source, out:
            for line in source:
                stamp = time.strftime("%H:%M:%S", time.localtime()) + f".{int(time.time() * 1000) % 1000:03d} "
                out.write(stamp.encode() + line)
                out.flush()

    def stop(self, sig=signal.SIGTERM, wait=15):
        if not self.proc or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def tail(self, lines=30):
        try:
            with open(self.path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def request(port, method, path, body=None, headers=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body)
        all_headers = {"Content-Type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read()
        return response.status, (json.loads(text) if text else None)
    finally:
        connection.close()


def wait_until(what, check, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit(f"fleet: gave up waiting for {what} after {timeout} s")


class Fleet:
    def __init__(self, args):
        self.args = args
        self.run = "fleet" + uuid.uuid4().hex[:8]
        self.logdir = os.path.join(ROOT, ".build", "fleet", self.run)
        os.makedirs(self.logdir, exist_ok=True)
        self.kafka = os.environ["PAWN_TEST_KAFKA"]
        self.mongo = os.environ["PAWN_TEST_MONGO"]
        self.redis = os.environ["PAWN_TEST_REDIS"]
        self.servers = os.environ.get("PAWN_TEST_SERVERS_SCRIPT", os.path.join(ROOT, "scripts", "servers.sh"))
        self.token = "fleet-token"
        # librdkafka settings for every process (FLEET_KAFKA_OPTIONS=key=value,...), none by default.
        self.kafka_options = os.environ.get("FLEET_KAFKA_OPTIONS") or None
        self.dispatchers = []  # (process, http port, grpc port)
        self.parking_key = f"pawnshop:{self.run}:parked"  # one lot for every replica
        self.workers = []
        self.lock = threading.Lock()
        self.accepted = {}  # item id -> [event ids in 202 order]
        self.retries = 0
        self.errors = []

    # --- processes

    def dispatcher(self, index, skew):
        if not self.dispatchers:
            self.redis_command("SADD", f"{self.run}:fraudsters", "mallory")
        http_port, grpc_port = free_port(), free_port()
        argv = [self.args.binary, "dispatcher", "--port", str(http_port), "--grpc-port", str(grpc_port),
                "--token", self.token, "--kafka", self.kafka, "--redis", self.redis,
                "--publish-timeout-ms", "1000", "--fraud-key", f"{self.run}:fraudsters",
                "--parking-key", self.parking_key, "--loops", "2"] + self.options()
        if skew:
            argv = [os.path.join(ROOT, "scripts", "skew", "run"), skew] + argv
        process = Process(f"dispatcher-{index}", argv, self.logdir)
        process.start()
        self.dispatchers.append((process, http_port, grpc_port))
        return http_port

    def worker(self, index):
        """A worker joined to every dispatcher started so far."""
        joined = ",".join(f"127.0.0.1:{grpc}" for _, _, grpc in self.dispatchers)
        argv = [self.args.binary, "worker", "--id", f"{self.run}-w{index}", "--port", "0",
                "--dispatcher", joined, "--token", self.token, "--kafka", self.kafka,
                "--kafka-session-timeout-ms", "6000",
                "--group", self.args.group or f"{self.run}-workers", "--mongo", self.mongo, "--mongo-database", self.run,
                "--loops", "1"] + self.options()
        process = Process(f"worker-{index}", argv, self.logdir)
        process.start()
        return process

    def redis_command(self, *words):
        """One Redis command over RESP (no client library needed): the raw reply."""
        host, port = self.redis.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            payload = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
            connection.sendall(payload.encode())
            return connection.recv(65536)

    def redis_integer(self, *words):
        reply = self.redis_command(*words)
        return int(reply[1:].split(b"\r\n")[0]) if reply.startswith(b":") else None

    def redis_string(self, *words):
        reply = self.redis_command(*words)
        if not reply.startswith(b"$") or reply.startswith(b"$-1"):
            return None
        return reply.split(b"\r\n")[1].decode()

    def wait_ready(self, ports):
        for port in ports:
            wait_until(f"dispatcher :{port} ready", lambda: request(port, "GET", "/health/ready")[0] == 200, 60)

    def alive_ports(self):
        return [port for process, port, _ in self.dispatchers if process.proc.poll() is None]

    def options(self):
        return ["--kafka-options", self.kafka_options] if self.kafka_options else []

    def stop_all(self):
        for process in self.workers:
            process.stop()
        for process, _, _ in self.dispatchers:
            process.stop()

    # --- the client

    def post(self, ports, path, body, key):
        """POSTs until a 202 (retrying connection errors and 5xx with the same key, moving on
        to the next replica); returns the status of the final answer."""
        deadline = time.monotonic() + 120
        attempt = 0
        while time.monotonic() < deadline:
            port = ports[attempt % len(ports)]
            attempt += 1
            try:
                status, answer = request(port, "POST", path, body, {"Idempotency-Key": key})
            except (OSError, http.client.HTTPException):
                status, answer = None, None
            if status == 202:
                return 202
            if status is not None and status < 500 and status != 409:
                return status
            with self.lock:
                self.retries += 1
            time.sleep(0.2)
        return None

    def walk(self, item_index, pause=0):
        """One item's life, each action to another replica than the previous one."""
        item = f"{self.run}-item-{item_index}"
        client = f"client-{item_index}"
        steps = [
            ("/item/add", {"id": item, "name": "Watch", "category": "Jewelry", "price": 1000, "state": "Good",
                           "ageInMonths": 3}),
            ("/item/action/sell", {"itemId": item, "clientId": client, "price": 1500, "date": "2026-01-01"}),
            ("/item/action/pawn", {"itemId": item, "clientId": client, "price": 500, "tax": 5, "limitDays": 30,
                                   "date": "2026-01-02"}),
            ("/item/action/redeem", {"itemId": item, "clientId": client, "date": "2026-01-10"}),
            ("/item/action/buy", {"itemId": item, "clientId": client, "price": 900, "date": "2026-01-11"}),
        ]
        ports = [port for _, port, _ in self.dispatchers]
        for step, (path, body) in enumerate(steps):
            event_id = f"{item}-e{step}"
            body = dict(body, eventId=event_id)
            rotation = ports[(item_index + step) % len(ports):] + ports[:(item_index + step) % len(ports)]
            status = self.post(rotation, path, body, key=event_id)
            if status != 202:
                with self.lock:
                    self.errors.append(f"{event_id}: {path} answered {status}")
                return
            with self.lock:
                self.accepted.setdefault(item, []).append(event_id)
            if pause:
                time.sleep(pause)

    def load(self, items, threads, pause=0):
        queue = list(range(items))
        random.shuffle(queue)
        lock = threading.Lock()

        def run():
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                self.walk(index, pause)

        pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
        for thread in pool:
            thread.start()
        return pool

    # --- the checks

    def pipeline(self):
        """The live dispatchers' lot and the workers' lag, from /metrics, as a log suffix."""
        try:
            ports = self.alive_ports()
            waiting = sum(sum(metric_values(port, "pawnshop_parked_events")) for port in ports)
            failing = sum(sum(metric_values(port, "pawnshop_republish_failing")) for port in ports)
            lag = max([sum(metric_values(port, "pawnshop_worker_consumer_lag")) for port in ports] or [0])
        except (OSError, ValueError, http.client.HTTPException):
            return ""
        return f": lot holds {waiting:.0f}, re-publish failing {failing:.0f}, consumer lag {lag:.0f}"

    def save_metrics(self, name):
        """Every live dispatcher's /metrics, in the run's log folder (for a failed check)."""
        for port in self.alive_ports():
            try:
                text = metrics_text(port)
            except (OSError, http.client.HTTPException):
                continue
            path = os.path.join(self.logdir, f"{name}-{port}.txt")
            with open(path, "w") as out:
                out.write(text)
            log(f"saved /metrics of :{port} in {path}")

    def check(self, deadline):
        db = pymongo.MongoClient(self.mongo)[self.run]
        collections = ["addActions", "sellActions", "pawnActions", "redeemActions", "buyActions"]
        expected = {event for events in self.accepted.values() for event in events}
        found = {}
        end = time.monotonic() + deadline
        report = time.monotonic() + 5
        while True:
            found = {}
            for name in collections:
                # The topics hold earlier runs' events too (a new group reads from the start).
                mine = {"itemId": {"$regex": f"^{self.run}-"}}
                for document in db[name].find(mine, {"eventId": 1, "outcome": 1, "itemId": 1}):
                    found.setdefault(document["eventId"], []).append((name, document.get("outcome")))
            missing = expected - found.keys()
            if not missing or time.monotonic() > end:
                break
            if time.monotonic() >= report:
                # What a failed run needs to tell a stuck lot from stuck workers.
                log(f"{len(missing)} events not in MongoDB yet{self.pipeline()}")
                report = time.monotonic() + 5
            time.sleep(1)
        problems = []
        if missing:
            self.save_metrics("metrics-at-deadline")
            problems.append(f"{len(missing)} of {len(expected)} accepted events not in MongoDB "
                            f"{deadline} s after the load stopped, e.g. {sorted(missing)[:5]}")
        extra = found.keys() - expected
        if extra:
            problems.append(f"{len(extra)} events stored that no 202 accepted, e.g. {sorted(extra)[:5]}")
        twice = [event for event, places in found.items() if len(places) > 1]
        if twice:
            problems.append(f"{len(twice)} events stored twice, e.g. {twice[:5]}")
        rejected = [event for event, places in found.items() if any(outcome != "applied" for _, outcome in places)]
        if rejected:
            problems.append(f"{len(rejected)} events rejected (applied out of client order), e.g. {rejected[:5]}")
        # Replaying each item's accepted events in client order gives its final state.
        final = {1: ("inStock", None), 2: ("withClient", True), 3: ("pawned", True), 4: ("withClient", True),
                 5: ("inStock", None)}
        wrong = []
        for item, events in self.accepted.items():
            document = db["items"].find_one({"id": item})
            status, owned = final[len(events)]
            if document is None:
                wrong.append(f"{item}: missing")
            elif document.get("version") != len(events) or document.get("status") != status or \
                    (owned and document.get("owner") != f"client-{item.rsplit('-', 1)[1]}"):
                wrong.append(f"{item}: version {document.get('version')} status {document.get('status')} "
                             f"owner {document.get('owner')}, expected version {len(events)} status {status}")
        if wrong:
            problems.append(f"{len(wrong)} items differ from the replay of their accepted events, e.g. {wrong[:3]}")
        return problems, len(expected)

    def event_statuses(self, sample):
        """GET /event on every dispatcher (the workers joined them all), for a sample of
        accepted events, whichever dispatcher accepted them."""
        wrong = []
        for port in self.alive_ports():
            for event in sample:
                status, body = request(port, "GET", f"/event/{event}")
                if status != 200 or body.get("status") != "applied":
                    wrong.append(f":{port} {event}: {status} {body}")
        return wrong


def skew(fleet, args):
    ports = [fleet.dispatcher(0, None), fleet.dispatcher(1, "+5s"), fleet.dispatcher(2, "-5s")]
    check = subprocess.run([os.path.join(ROOT, "scripts", "skew", "run"), "+5s", "--check"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"fleet: scripts/skew/run +5s --check failed ({check.returncode}): {check.stderr.strip()}")
    measured = dict(part.split("=") for part in check.stdout.split())
    log(f"skew +5s: wall clock {measured['skew']} ms ahead; 100 ms timed waits took "
        f"{measured['cnd']} ms (C11) and {measured['pthread']} ms (pthread)")
    if not (4000 <= int(measured["skew"]) <= 6000 and all(50 <= int(measured[k]) <= 1000 for k in ("cnd", "pthread"))):
        raise SystemExit(f"fleet: the clock skew shim does not hold ({check.stdout.strip()})")
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    started = time.monotonic()
    for thread in fleet.load(args.items, args.threads):
        thread.join()
    return started


def chaos(fleet, args):
    """Replica chaos (#18): three dispatchers with clocks at 0, +5 s and -5 s sharing one
    parking lot, three workers joined to all; during the load Kafka goes away for
    --outage s, the dispatcher that holds the lot's drain lease is SIGKILLed for good while
    the lot holds events (requests in flight on it are retried on another replica), and a
    worker is SIGKILLed and restarted. Afterwards the lot must be empty: another replica
    adopted it."""
    ports = [fleet.dispatcher(0, None), fleet.dispatcher(1, "+5s"), fleet.dispatcher(2, "-5s")]
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    started = time.monotonic()
    threads = fleet.load(args.items, args.threads, pause=args.pause)
    time.sleep(args.outage_after)
    log("Kafka away for", args.outage, "s")
    subprocess.run([fleet.servers, "down", "kafka-proxy"], check=True, cwd=ROOT)
    try:
        time.sleep(args.outage / 2)
        holder = fleet.redis_string("GET", fleet.parking_key + ":lease") or ""
        parked = fleet.redis_integer("LLEN", fleet.parking_key) or 0
        victim = next((d for d in fleet.dispatchers if f":{d[1]}-" in holder), fleet.dispatchers[0])
        with fleet.lock:
            so_far = sum(len(e) for e in fleet.accepted.values())
        log(f"SIGKILL {victim[0].name} (:{victim[1]}) for good after {so_far} writes; it holds the drain "
            f"lease '{holder}', the lot holds {parked} events")
        victim[0].stop(signal.SIGKILL)
        if not holder or parked == 0:
            fleet.errors.append(f"the scenario missed its point: lease '{holder}', {parked} parked at the kill")
        time.sleep(args.outage / 2)
    finally:
        subprocess.run([fleet.servers, "up", "kafka-proxy"], check=True, cwd=ROOT)
    log("Kafka back; SIGKILL worker-1 and restart it")
    fleet.workers[1].stop(signal.SIGKILL)
    fleet.workers[1].start()
    for thread in threads:
        thread.join()
    if fleet.retries == 0:
        fleet.errors.append("the scenario missed its point: no request was retried after the kill")
    wait_until("the parking lot drained by a surviving replica",
               lambda: fleet.redis_integer("LLEN", fleet.parking_key) == 0, 120)
    log(f"parking lot empty; drain lease now '{fleet.redis_string('GET', fleet.parking_key + ':lease')}'")
    return started


def steady_load(fleet, rate, threads, until):
    """Items walked at `rate` writes per second in all, until `until()` says stop."""
    next_item = [0]
    lock = threading.Lock()
    interval = threads / rate

    def run():
        while not until():
            with lock:
                index = next_item[0]
                next_item[0] += 1
            before = time.monotonic()
            fleet.walk(index, pause=interval)
            time.sleep(max(0, interval - (time.monotonic() - before)))

    pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    return pool


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def latency_sample(fleet, ports, count, stop):
    """write -> applied as a client sees it: POST an add, then GET /event/{id} every 5 ms
    until the worker applied it; seconds per write."""
    samples = []
    for n in range(count):
        if stop():
            break
        event = f"{fleet.run}-latency-{uuid.uuid4().hex[:12]}"
        port = ports[n % len(ports)]
        body = {"id": event, "name": "Ring", "category": "Jewelry", "price": 10, "state": "Good",
                "ageInMonths": 1, "eventId": event}
        started = time.monotonic()
        try:
            status, _ = request(port, "POST", "/item/add", body, {"Idempotency-Key": event})
        except (OSError, http.client.HTTPException):
            continue
        if status != 202:
            continue
        with fleet.lock:
            fleet.accepted[event] = [event]
        while time.monotonic() - started < 30:
            try:
                status, answer = request(port, "GET", f"/event/{event}")
                if status == 200 and answer.get("status") == "applied":
                    samples.append(time.monotonic() - started)
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.005)
        time.sleep(0.02)
    return samples


def warm_up(fleet, ports):
    """Until a write on every replica is applied within a second (the workers' group is
    assigned): what a benchmark measures starts after that."""
    end = time.monotonic() + 120
    while time.monotonic() < end:
        samples = latency_sample(fleet, ports, len(ports), lambda: False)
        if len(samples) == len(ports) and max(samples) < 1:
            return
    raise SystemExit("fleet: the workers never applied a write within a second")


def parking_totals(ports):
    """The dispatchers' parked and re-published totals from /metrics, as a suffix for a log line."""
    try:
        parked = sum(sum(metric_values(port, "pawnshop_parked_events_total")) for port in ports)
        republished = sum(sum(metric_values(port, "pawnshop_republished_events_total")) for port in ports)
    except (OSError, ValueError, http.client.HTTPException):
        return ""
    return f" (parked {parked:.0f}, re-published {republished:.0f} since start)"


def drain(fleet, args):
    """The #18 drain benchmark: --dispatchers replicas sharing one lot, load at --rate
    writes/s; after --outage-after s Kafka goes away for --outage s; the load goes on, and
    the time from Kafka's return until the lot is empty is measured, with write->applied
    latency sampled before the outage."""
    ports = [fleet.dispatcher(index, None) for index in range(args.dispatchers)]
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    warm_up(fleet, ports)
    started = time.monotonic()
    done = [False]
    pool = steady_load(fleet, args.rate, args.threads, lambda: done[0])
    latencies = latency_sample(fleet, ports, 200, lambda: time.monotonic() - started > args.outage_after)
    time.sleep(max(0, args.outage_after - (time.monotonic() - started)))
    before = sum(len(e) for e in fleet.accepted.values())
    log(f"{before} writes in {time.monotonic() - started:.1f} s before the outage; write->applied "
        f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms p99 {percentile(latencies, 0.99) * 1000:.0f} ms "
        f"({len(latencies)} samples)")
    harm, cure = (["slow", "kafka-proxy", str(args.slow)], ["slow", "kafka-proxy", "0"]) if args.slow else \
        (["down", "kafka-proxy"], ["up", "kafka-proxy"])
    subprocess.run([fleet.servers] + harm, check=True, cwd=ROOT)
    down = time.monotonic()
    try:
        while time.monotonic() - down < args.outage:
            time.sleep(min(5, max(0, args.outage - (time.monotonic() - down))))
            log(f"  {time.monotonic() - down:.0f} s into the trouble: the lot holds "
                f"{fleet.redis_integer('LLEN', fleet.parking_key) or 0}{parking_totals(ports)}")
    finally:
        subprocess.run([fleet.servers] + cure, check=True, cwd=ROOT)
    back = time.monotonic()
    parked = fleet.redis_integer("LLEN", fleet.parking_key) or 0
    peak = parked
    reported = back
    while True:
        waiting = fleet.redis_integer("LLEN", fleet.parking_key) or 0
        peak = max(peak, waiting)
        if waiting == 0 or time.monotonic() - back > 300:
            break
        if time.monotonic() - reported >= 5:
            reported = time.monotonic()
            log(f"  {reported - back:.0f} s after: the lot holds {waiting}{parking_totals(ports)}")
        time.sleep(0.1)
    emptied = time.monotonic() - back
    during = sum(len(e) for e in fleet.accepted.values()) - before
    trouble = f"Kafka answering produces {args.slow} ms late for" if args.slow else "Kafka away"
    log(f"{trouble} {back - down:.1f} s: {parked} events parked when it came back (peak {peak}); the lot "
        f"emptied {emptied:.1f} s after, while the load went on ({during} writes since the outage began)")
    fleet.drain_seconds = emptied
    time.sleep(5)
    done[0] = True
    for thread in pool:
        thread.join()
    if waiting:
        fleet.errors.append(f"the lot still held {waiting} events 300 s after Kafka came back")
    return started


def throughput(fleet, args):
    """The #18 throughput benchmark: --dispatchers replicas, three workers; one wrk per
    replica (one thread, 16 connections, --seconds) adding new items as fast as they are
    answered, with write->applied latency sampled meanwhile; then how long until MongoDB
    holds every add that got 202."""
    ports = [fleet.dispatcher(index, None) for index in range(args.dispatchers)]
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    script = os.path.join(ROOT, "scripts", "bench", "add-items.lua")
    warm_up(fleet, ports)
    started = time.monotonic()
    runs = [subprocess.Popen(["wrk", "-t1", "-c16", f"-d{args.seconds}s", "-s", script, f"http://127.0.0.1:{port}"],
                             stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, BENCH_PREFIX=f"wrk-{fleet.run}-{index}"))
            for index, port in enumerate(ports)]
    latencies = latency_sample(fleet, ports, 100000, lambda: time.monotonic() - started > args.seconds - 1)
    answered = 0
    refused = 0
    for run in runs:
        out, _ = run.communicate()
        for line in out.splitlines():
            line = line.strip()
            if " requests in " in line:
                answered += int(line.split()[0])
            if line.startswith("Non-2xx or 3xx responses:"):
                refused += int(line.split(":")[1])
    elapsed = time.monotonic() - started
    accepted = answered - refused
    log(f"{args.dispatchers} dispatcher(s): {accepted} adds got 202 in {args.seconds} s = "
        f"{accepted / args.seconds:.0f} writes/s ({refused} refused); write->applied p50 "
        f"{percentile(latencies, 0.5) * 1000:.1f} ms p99 {percentile(latencies, 0.99) * 1000:.1f} ms "
        f"({len(latencies)} samples, under load)")
    db = pymongo.MongoClient(fleet.mongo)[fleet.run]
    mine = {"itemId": {"$regex": f"^wrk-{fleet.run}-"}}  # not checked item by item
    wait_until("every accepted add in MongoDB", lambda: db["addActions"].count_documents(mine) >= accepted, 300)
    log(f"all {accepted} in MongoDB {time.monotonic() - started - elapsed:.1f} s after the load stopped")
    if refused:
        fleet.errors.append(f"{refused} writes refused under load")
    return started


def latency(fleet, args):
    """The #17 write->readable benchmark: --dispatchers replicas, three workers, and
    `pawn-bench write-latency` (open-loop adds at each of --rates writes/s for --seconds,
    each write timed from when it was due until the item's GET shows it)."""
    ports = [fleet.dispatcher(index, None) for index in range(args.dispatchers)]
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    warm_up(fleet, ports)
    started = time.monotonic()
    targets = ",".join(f"127.0.0.1:{port}" for port in ports)
    for rate in args.rates.split(","):
        out = subprocess.run([args.bench, "write-latency", "--targets", targets, "--rate", rate,
                              "--seconds", str(args.seconds), "--connections", str(args.threads)],
                             capture_output=True, text=True, check=False)
        for line in (out.stdout + out.stderr).strip().splitlines():
            log(f"{args.dispatchers} dispatcher(s): {line}")
        if out.returncode != 0:
            fleet.errors.append(f"write-latency at {rate}/s exited {out.returncode}")
    return started


def rolling(fleet, args):
    ports = [fleet.dispatcher(index, None) for index in range(args.dispatchers)]
    fleet.workers = [fleet.worker(index) for index in range(3)]
    fleet.wait_ready(ports)
    started = time.monotonic()
    threads = fleet.load(args.items, args.threads)
    time.sleep(args.outage_after)
    log("Kafka away for", args.outage, "s")
    subprocess.run([fleet.servers, "down", "kafka-proxy"], check=True, cwd=ROOT)
    try:
        time.sleep(args.outage)
    finally:
        subprocess.run([fleet.servers, "up", "kafka-proxy"], check=True, cwd=ROOT)
    log("Kafka back; restarting every worker, one after another")
    for index, process in enumerate(fleet.workers):
        process.stop(signal.SIGKILL if index == 1 else signal.SIGTERM)
        process.start()
        time.sleep(args.restart_gap)
    for thread in threads:
        thread.join()
    return started


def metrics_text(port):
    """A dispatcher's /metrics exposition."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/metrics")
        return connection.getresponse().read().decode()
    finally:
        connection.close()


def metric_values(port, name):
    """Values of the samples of `name` in a dispatcher's /metrics."""
    return [float(line.rsplit(" ", 1)[1]) for line in metrics_text(port).splitlines()
            if line.startswith(name + "{") or line.startswith(name + " ")]


def soak(fleet, args):
    """Constant load for --minutes, a worker restarted every --restart-every seconds (in
    turn), lag and oldest-unapplied age sampled from /metrics every 5 s."""
    port = fleet.dispatcher(0, None)
    fleet.workers = [fleet.worker(index) for index in range(3)]
    wait_until("dispatcher live", lambda: request(port, "GET", "/health/live")[0] == 200, 60)
    wait_until("a worker joined", lambda: request(port, "GET", "/health/ready")[0] == 200, 60)
    started = time.monotonic()
    end = started + args.minutes * 60
    threads = steady_load(fleet, args.rate, args.threads, lambda: time.monotonic() >= end)
    samples = []
    restart_at = started + args.restart_every
    turn = 0
    while time.monotonic() < end:
        time.sleep(5)
        try:
            lag = sum(metric_values(port, "pawnshop_worker_consumer_lag"))
            age = max(metric_values(port, "pawnshop_worker_oldest_unapplied_seconds") or [0])
            stalled = sum(metric_values(port, "pawnshop_workers_stalled"))
            parked = sum(metric_values(port, "pawnshop_parked_events"))
            samples.append((time.monotonic() - started, lag, age, stalled, parked))
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if time.monotonic() >= restart_at:
            process = fleet.workers[turn % len(fleet.workers)]
            log(f"restarting {process.name}")
            process.stop()
            process.start()
            turn += 1
            restart_at += args.restart_every
    for thread in threads:
        thread.join()
    fleet.samples = samples
    with open(os.path.join(fleet.logdir, "samples.tsv"), "w") as out:
        out.write("seconds\tlag\toldest_unapplied_s\tstalled\tparked\n")
        for sample in samples:
            out.write("\t".join(f"{value:.1f}" for value in sample) + "\n")
    if samples:
        log(f"{len(samples)} samples: lag max {max(s[1] for s in samples):.0f}, "
            f"mean {sum(s[1] for s in samples) / len(samples):.1f}; oldest unapplied max {max(s[2] for s in samples):.1f} s; "
            f"stalled reported in {sum(1 for s in samples if s[3] > 0)} samples; "
            f"parked max {max(s[4] for s in samples):.0f}, at the end {samples[-1][4]:.0f}; {turn} restarts "
            f"(samples in {fleet.logdir}/samples.tsv)")
    return started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "pawnshop"))
    parser.add_argument("--scenario", choices=["skew", "chaos", "rolling", "soak", "drain", "throughput", "latency"],
                        required=True)
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "pawn-bench"),
                        help="latency: the pawn-bench binary")
    parser.add_argument("--rates", default="200,1000,5000", help="latency: writes/s, one run each")
    parser.add_argument("--minutes", type=float, default=30, help="soak: how long")
    parser.add_argument("--rate", type=float, default=100, help="soak, drain: writes per second")
    parser.add_argument("--restart-every", type=float, default=120, help="soak: seconds between worker restarts")
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--seconds", type=int, default=15, help="throughput: how long wrk runs")
    parser.add_argument("--group", help="the workers' consumer group (default: one per run)")
    parser.add_argument("--dispatchers", type=int, default=1, help="rolling, drain: how many (clocks equal)")
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--pause", type=float, default=0, help="chaos: seconds between an item's actions")
    parser.add_argument("--outage", type=float, default=8)
    parser.add_argument("--slow", type=int, default=0,
                        help="drain: instead of taking Kafka away, answer its produces this many ms late")
    parser.add_argument("--outage-after", type=float, default=4)
    parser.add_argument("--restart-gap", type=float, default=4)
    parser.add_argument("--deadline", type=float, default=30, help="seconds after the load for MongoDB to hold it all")
    args = parser.parse_args()
    fleet = Fleet(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    size = f"{args.minutes} min at {args.rate:.0f} writes/s" if args.scenario == "soak" else f"{args.items} items x 5 actions"
    log(f"run {fleet.run}: scenario {args.scenario}, {size}; logs in {fleet.logdir}")
    try:
        scenarios = {"skew": skew, "chaos": chaos, "rolling": rolling, "soak": soak, "drain": drain,
                     "throughput": throughput, "latency": latency}
        started = scenarios[args.scenario](fleet, args)
        writes = sum(len(events) for events in fleet.accepted.values())
        log(f"load done: {writes} writes got 202 in {time.monotonic() - started:.1f} s "
            f"({fleet.retries} retries); checking MongoDB")
        problems, expected = fleet.check(args.deadline)
        problems = fleet.errors[:5] + problems
        sample = random.sample(sorted({e for events in fleet.accepted.values() for e in events}), min(50, expected))
        if not problems:
            wrong = fleet.event_statuses(sample)
            if wrong:
                problems.append(f"GET /event wrong for {len(wrong)} of {len(sample)}: {wrong[:3]}")
    finally:
        fleet.stop_all()
    if problems:
        for process in [p for p, _, _ in fleet.dispatchers] + fleet.workers:
            print(f"--- {process.name} (last lines of {process.path})\n{process.tail()}", flush=True)
        for problem in problems:
            log("FAILED:", problem)
        sys.exit(1)
    log(f"passed: all {expected} accepted events stored once, in client order, none rejected")


if __name__ == "__main__":
    main()
