"""A loopback TCP proxy in front of Tansu (a Kafka-compatible broker) for Debian's librdkafka.

Why: librdkafka before 2.2.0 skips the top-level tagged fields of an ApiVersions v3+
response wrongly (upstream PR #4278), and Tansu always writes the four top-level tagged
fields of ApiVersionsResponse v3 where Apache Kafka omits them, so Debian 12's librdkafka
2.0.2 cannot talk to Tansu. This proxy forwards every byte unchanged except those
responses, which it rewrites to carry zero top-level tagged fields. Tansu advertises the
proxy's port, so every client connection goes through it.

Usage: kafka_apiversions_proxy.py LISTEN_PORT UPSTREAM_PORT   (both on 127.0.0.1)
"""
import asyncio
import struct
import sys

API_VERSIONS = 18


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


async def client_to_upstream(reader, writer, pending):
    try:
        while True:
            frame = await read_frame(reader)
            api_key, api_version, correlation = struct.unpack(">hhi", frame[:8])
            if api_key == API_VERSIONS and api_version >= 3:
                pending.add(correlation)
            writer.write(struct.pack(">i", len(frame)) + frame)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def upstream_to_client(reader, writer, pending):
    try:
        while True:
            frame = await read_frame(reader)
            (correlation,) = struct.unpack(">i", frame[:4])
            if correlation in pending:
                pending.discard(correlation)
                frame = rewrite_api_versions(frame)
            writer.write(struct.pack(">i", len(frame)) + frame)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer, upstream_port):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    pending = set()
    await asyncio.gather(
        client_to_upstream(client_reader, upstream_writer, pending),
        upstream_to_client(upstream_reader, client_writer, pending))


async def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream_port), "127.0.0.1", listen_port)
    print(f"kafka-proxy: 127.0.0.1:{listen_port} -> 127.0.0.1:{upstream_port}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
