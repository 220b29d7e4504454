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

Usage: kafka_apiversions_proxy.py LISTEN_PORT UPSTREAM_PORT [DELAY_FILE]   (both on 127.0.0.1)
"""
import asyncio
import struct
import sys
import time

API_VERSIONS = 18
PRODUCE = 0


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


async def read_frame(reader):
    header = await reader.readexactly(4)
    (size,) = struct.unpack(">i", header)
    return await reader.readexactly(size)


async def client_to_upstream(reader, writer, pending, produces):
    try:
        while True:
            frame = await read_frame(reader)
            api_key, api_version, correlation = struct.unpack(">hhi", frame[:8])
            if api_key == API_VERSIONS and api_version >= 3:
                pending.add(correlation)
            if api_key == PRODUCE:
                produces.add(correlation)
            writer.write(struct.pack(">i", len(frame)) + frame)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def upstream_to_client(reader, writer, pending, produces):
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
                produces.discard(correlation)
                delay = DELAY.current()
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
    pending, produces = set(), set()
    await asyncio.gather(
        client_to_upstream(client_reader, upstream_writer, pending, produces),
        upstream_to_client(upstream_reader, client_writer, pending, produces))


async def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream_port), "127.0.0.1", listen_port)
    print(f"kafka-proxy: 127.0.0.1:{listen_port} -> 127.0.0.1:{upstream_port}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
