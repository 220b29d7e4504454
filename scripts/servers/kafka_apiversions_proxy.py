"""A loopback TCP proxy in front of Tansu (a Kafka-compatible broker) for Debian's librdkafka.

Why: librdkafka before 2.2.0 skips the top-level tagged fields of an ApiVersions v3+
response wrongly (upstream PR #4278), and Tansu always writes the four top-level tagged
fields of ApiVersionsResponse v3 where Apache Kafka omits them, so Debian 12's librdkafka
2.0.2 cannot talk to Tansu. This proxy forwards every byte unchanged except those
responses, which it rewrites to carry zero top-level tagged fields. Tansu advertises the
proxy's port, so every client connection goes through it.

It can also play a slow broker: with a DELAY_FILE, the answer to every Produce request
is held for the number of milliseconds the file holds (read at most every 100 ms; a
missing or empty file means no delay), later answers on the connection waiting behind it
as TCP would make them; `scripts/servers.sh slow kafka-proxy MS` writes the file.

It also corrects Tansu's answer to ListOffsets(latest): Tansu's memory engine answers the
last batch's first offset + 1, so a partition whose last batch holds 10 records reports an
end 9 too low, where Apache Kafka reports the true end (the offset the next record gets).
PawnShop's per-item order rests on that end (each event carries its siblings' ends), so the
proxy counts the records of every Produce it forwards (a record batch's lastOffsetDelta + 1),
learns each partition's end from the answer's base offset, and raises a ListOffsets(latest)
answer that is below it. The ends are kept in ENDS_FILE across restarts of the proxy (a
Kafka outage in the tests is the proxy stopped and started again; Tansu keeps its data).

Usage: kafka_apiversions_proxy.py LISTEN_PORT UPSTREAM_PORT [DELAY_FILE [ENDS_FILE]]
       (both ports on 127.0.0.1)
"""
import asyncio
import json
import os
import signal
import struct
import sys
import time

API_VERSIONS = 18
PRODUCE = 0
LIST_OFFSETS = 2
LATEST = -1


class Delay:
    """The Produce delay in seconds, from the delay file, re-read at most every 100 ms."""

    def __init__(self, path):
        self.path = path
        self.checked = 0.0
        self.seconds = 0.0

    def current(self):
        now = time.monotonic()
        if self.path and now - self.checked > 0.1:
            self.checked = now
            try:
                with open(self.path) as file:
                    text = file.read().strip()
                self.seconds = max(0.0, float(text) / 1000) if text else 0.0
            except (OSError, ValueError):
                self.seconds = 0.0
        return self.seconds


DELAY = Delay(sys.argv[3] if len(sys.argv) > 3 else None)


class Ends:
    """The end of every partition a Produce through this proxy reached, (topic, partition)
    -> offset of the next record; saved to a file at most every 100 ms and at exit."""

    def __init__(self, path):
        self.path = path
        self.ends = {}
        self.dirty = False
        self.saved = 0.0
        if path and os.path.exists(path):
            with open(path) as file:
                for topic, partition, end in json.load(file):
                    self.ends[(topic, partition)] = end

    def reached(self, topic, partition, end):
        if end > self.ends.get((topic, partition), -1):
            self.ends[(topic, partition)] = end
            self.dirty = True
            if time.monotonic() - self.saved > 0.1:
                self.save()

    def get(self, topic, partition):
        return self.ends.get((topic, partition))

    def save(self):
        self.saved = time.monotonic()
        if not (self.path and self.dirty):
            return
        self.dirty = False
        temporary = self.path + ".tmp"
        with open(temporary, "w") as file:
            json.dump([[t, p, e] for (t, p), e in self.ends.items()], file)
        os.replace(temporary, self.path)


ENDS = Ends(sys.argv[4] if len(sys.argv) > 4 else None)


class Reader:
    """Kafka's primitive types at a position in a frame; `flexible` selects the compact
    forms (KIP-482)."""

    def __init__(self, data, offset, flexible):
        self.data, self.offset, self.flexible = data, offset, flexible

    def fixed(self, format):
        (value,) = struct.unpack_from(format, self.data, self.offset)
        self.offset += struct.calcsize(format)
        return value

    def uvarint(self):
        value, self.offset = read_uvarint(self.data, self.offset)
        return value

    def length(self):
        """A string's, bytes' or array's length (-1: null)."""
        return self.uvarint() - 1 if self.flexible else self.fixed(">h")

    def string(self):
        size = self.length()
        if size < 0:
            return None
        value = self.data[self.offset:self.offset + size].decode()
        self.offset += size
        return value

    def bytes_span(self):
        size = (self.uvarint() - 1) if self.flexible else self.fixed(">i")
        start = self.offset
        self.offset += max(0, size)
        return start, max(0, size)

    def array(self):
        return (self.uvarint() - 1) if self.flexible else self.fixed(">i")

    def tags(self):
        if self.flexible:
            self.offset = skip_tagged_fields(self.data, self.offset)


def request_body(frame, flexible):
    """A Reader at the body of a request frame (after its header, v1 or v2)."""
    reader = Reader(frame, 8, False)
    reader.string()  # client_id: a nullable string even in header v2
    reader.flexible = flexible
    reader.tags()
    return reader


def produced_counts(frame, version):
    """(topic, partition) -> records in a Produce request (v3+)."""
    reader = request_body(frame, version >= 9)
    reader.string()  # transactional_id
    reader.fixed(">h")  # acks
    reader.fixed(">i")  # timeout_ms
    counts = {}
    for _ in range(reader.array()):
        topic = reader.string()
        for _ in range(reader.array()):
            partition = reader.fixed(">i")
            start, size = reader.bytes_span()
            count, position = 0, start
            while position + 27 <= start + size:  # baseOffset, batchLength, ... lastOffsetDelta
                (batch_length,) = struct.unpack_from(">i", frame, position + 8)
                (last_delta,) = struct.unpack_from(">i", frame, position + 23)
                count += last_delta + 1
                position += 12 + batch_length
            counts[(topic, partition)] = count
            reader.tags()
        reader.tags()
    return counts


def note_produce_answer(frame, version, counts):
    """Records each partition's end from a Produce answer (base offset + records sent)."""
    reader = Reader(frame, 4, version >= 9)
    reader.tags()  # response header v1
    for _ in range(reader.array()):
        topic = reader.string()
        for _ in range(reader.array()):
            partition = reader.fixed(">i")
            error = reader.fixed(">h")
            base = reader.fixed(">q")
            if version >= 2:
                reader.fixed(">q")  # log_append_time_ms
            if version >= 5:
                reader.fixed(">q")  # log_start_offset
            if version >= 8:
                for _ in range(reader.array()):
                    reader.fixed(">i")
                    reader.string()
                    reader.tags()
                reader.string()  # error_message
            reader.tags()
            count = counts.get((topic, partition), 0)
            if error == 0 and base >= 0 and count > 0:
                ENDS.reached(topic, partition, base + count)
        reader.tags()


def latest_requests(frame, version):
    """The (topic, partition)s a ListOffsets request (v1+) asks the latest offset of."""
    reader = request_body(frame, version >= 6)
    reader.fixed(">i")  # replica_id
    if version >= 2:
        reader.fixed(">b")  # isolation_level
    latest = set()
    for _ in range(reader.array()):
        topic = reader.string()
        for _ in range(reader.array()):
            partition = reader.fixed(">i")
            if version >= 4:
                reader.fixed(">i")  # current_leader_epoch
            if reader.fixed(">q") == LATEST:
                latest.add((topic, partition))
            reader.tags()
        reader.tags()
    return latest


def raise_list_offsets(frame, version, latest):
    """The ListOffsets answer with every latest offset raised to the end a Produce showed."""
    frame = bytearray(frame)
    reader = Reader(frame, 4, version >= 6)
    reader.tags()
    if version >= 2:
        reader.fixed(">i")  # throttle_time_ms
    for _ in range(reader.array()):
        topic = reader.string()
        for _ in range(reader.array()):
            partition = reader.fixed(">i")
            error = reader.fixed(">h")
            reader.fixed(">q")  # timestamp
            at = reader.offset
            offset = reader.fixed(">q")
            if version >= 4:
                reader.fixed(">i")  # leader_epoch
            reader.tags()
            end = ENDS.get(topic, partition)
            if error == 0 and (topic, partition) in latest and end is not None and end > offset:
                struct.pack_into(">q", frame, at, end)
        reader.tags()
    return bytes(frame)


def read_uvarint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7


def skip_tagged_fields(data, offset):
    count, offset = read_uvarint(data, offset)
    for _ in range(count):
        _, offset = read_uvarint(data, offset)  # tag
        size, offset = read_uvarint(data, offset)
        offset += size
    return offset


def rewrite_api_versions(payload):
    """payload = correlation id (4) + body of ApiVersionsResponse v3+; drops the body's
    top-level tagged fields (and keeps everything before them)."""
    offset = 4 + 2  # correlation id, error_code
    count, offset = read_uvarint(payload, offset)  # compact array: N + 1
    for _ in range(max(0, count - 1)):
        offset += 6  # api_key, min_version, max_version
        offset = skip_tagged_fields(payload, offset)
    offset += 4  # throttle_time_ms
    return payload[:offset] + b"\x00"


def parsed(function, frame, *arguments):
    """function(frame, ...), or None (and a line on stderr) when the frame is not what it
    expects: the frame then goes through unchanged."""
    try:
        return function(frame, *arguments)
    except (struct.error, IndexError, UnicodeDecodeError) as error:
        print(f"kafka-proxy: {function.__name__}: {error!r}", file=sys.stderr, flush=True)
        return None


async def read_frame(reader):
    header = await reader.readexactly(4)
    (size,) = struct.unpack(">i", header)
    return await reader.readexactly(size)


async def client_to_upstream(reader, writer, pending, produces, listings):
    try:
        while True:
            frame = await read_frame(reader)
            api_key, api_version, correlation = struct.unpack(">hhi", frame[:8])
            if api_key == API_VERSIONS and api_version >= 3:
                pending.add(correlation)
            if api_key == PRODUCE:
                counts = parsed(produced_counts, frame, api_version) if api_version >= 3 else None
                produces[correlation] = (api_version, counts or {})
            if api_key == LIST_OFFSETS and api_version >= 1:
                listings[correlation] = (api_version, parsed(latest_requests, frame, api_version) or set())
            writer.write(struct.pack(">i", len(frame)) + frame)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def upstream_to_client(reader, writer, pending, produces, listings):
    # Without a delay, each answer is written at once and the next one read after it was
    # drained (as a plain proxy does). While answers are held, later ones queue behind them
    # in order and a task writes each at its due time (a Produce answer's is now + delay).
    queue = asyncio.Queue()
    held = [0]  # answers queued and not yet written

    async def send():
        while True:
            due, frame = await queue.get()
            if frame is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(frame)
            await writer.drain()
            held[0] -= 1

    sender = asyncio.create_task(send())
    try:
        while True:
            frame = await read_frame(reader)
            (correlation,) = struct.unpack(">i", frame[:4])
            if correlation in pending:
                pending.discard(correlation)
                frame = rewrite_api_versions(frame)
            delay = 0.0
            if correlation in produces:
                version, counts = produces.pop(correlation)
                if counts:
                    parsed(note_produce_answer, frame, version, counts)
                delay = DELAY.current()
            if correlation in listings:
                version, latest = listings.pop(correlation)
                if latest:
                    frame = parsed(raise_list_offsets, frame, version, latest) or frame
            framed = struct.pack(">i", len(frame)) + frame
            if delay == 0 and held[0] == 0:
                writer.write(framed)
                await writer.drain()
                continue
            if sender.done():
                break
            held[0] += 1
            queue.put_nowait((time.monotonic() + delay, framed))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        queue.put_nowait((0, None))
        try:
            await sender
        except ConnectionError:
            pass
        writer.close()


async def handle(client_reader, client_writer, upstream_port):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    pending, produces, listings = set(), {}, {}
    await asyncio.gather(
        client_to_upstream(client_reader, upstream_writer, pending, produces, listings),
        upstream_to_client(upstream_reader, client_writer, pending, produces, listings))


async def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream_port), "127.0.0.1", listen_port)
    print(f"kafka-proxy: 127.0.0.1:{listen_port} -> 127.0.0.1:{upstream_port}", flush=True)
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    async with server:
        serving = asyncio.create_task(server.serve_forever())
        await stopping.wait()
        serving.cancel()
    ENDS.save()


try:
    asyncio.run(main())
finally:
    ENDS.save()
