"""Hostile and unusual HTTP/2 peers against PawnShop's gRPC server, frame by frame
(Python's hyperframe and hpack, from the h2 project). Usage: h2_hostile.py PORT
Prints one JSON object per scenario: {"scenario", "ok", "detail"}; after each scenario a
well-behaved call on a fresh connection checks that the server still serves.
"""
import json
import socket
import struct
import sys
import time

from hpack import Encoder, Decoder
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame,
                              RstStreamFrame, SettingsFrame, WindowUpdateFrame)

PORT = int(sys.argv[1])
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
REQUEST = b"\x0a\x06ring-1"  # pawnshop.v1.FetchByIdRequest{id: "ring-1"}
GRPC_BODY = b"\x00" + struct.pack(">I", len(REQUEST)) + REQUEST


class Peer:
    def __init__(self, settings=None, preface=PREFACE):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=5)
        self.encoder, self.decoder = Encoder(), Decoder()
        self.buffer = b""
        self.sock.sendall(preface)
        if preface == PREFACE:
            self.send(SettingsFrame(0, settings=settings or {}))

    def send(self, frame):
        try:
            self.sock.sendall(frame.serialize())
        except OSError:
            pass  # the server may already have closed a connection it gave up on

    def headers(self, stream, path="/pawnshop.v1.Worker/FetchItemById", extra=()):
        return self.encoder.encode([(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "x"),
                                    ("content-type", "application/grpc"), ("te", "trailers")] + list(extra))

    def read_frame(self, timeout=5):
        deadline = time.time() + timeout
        while True:
            if len(self.buffer) >= 9:
                frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
                if len(self.buffer) >= 9 + length:
                    frame.parse_body(memoryview(self.buffer[9:9 + length]))
                    self.buffer = self.buffer[9 + length:]
                    if isinstance(frame, (HeadersFrame, ContinuationFrame)):
                        frame.decoded = self.decoder.decode(frame.data) if "END_HEADERS" in frame.flags else None
                    return frame
            self.sock.settimeout(max(0.01, deadline - time.time()))
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk

    def frames_until(self, predicate, timeout=5, on_frame=None):
        seen = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                frame = self.read_frame(deadline - time.time())
            except socket.timeout:
                break
            if frame is None:
                break
            seen.append(frame)
            if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                self.send(SettingsFrame(0, flags=["ACK"]))
            if on_frame:
                on_frame(frame)
            if predicate(frame):
                break
        return seen


def grpc_status(frames, stream):
    for frame in frames:
        if isinstance(frame, HeadersFrame) and frame.stream_id == stream and frame.decoded:
            for name, value in frame.decoded:
                if name in (b"grpc-status", "grpc-status"):
                    return int(value)
    return None


def ends(stream):
    return lambda f: f.stream_id == stream and "END_STREAM" in f.flags


def normal_call():
    peer = Peer()
    peer.send(HeadersFrame(1, peer.headers(1), flags=["END_HEADERS"]))
    peer.send(DataFrame(1, GRPC_BODY, flags=["END_STREAM"]))
    frames = peer.frames_until(ends(1))
    peer.sock.close()
    return grpc_status(frames, 1) == 0


def report(name, ok, detail=""):
    print(json.dumps({"scenario": name, "ok": bool(ok), "detail": str(detail), "serving": normal_call()}), flush=True)


# A 1-byte flow-control window: the server must send its answer a byte at a time.
peer = Peer(settings={SettingsFrame.INITIAL_WINDOW_SIZE: 1})
peer.send(HeadersFrame(1, peer.headers(1), flags=["END_HEADERS"]))
peer.send(DataFrame(1, GRPC_BODY, flags=["END_STREAM"]))
data = []
def credit(frame):
    if isinstance(frame, DataFrame) and frame.stream_id == 1 and frame.data:
        data.append(len(frame.data))
        peer.send(WindowUpdateFrame(1, window_increment=len(frame.data)))
        peer.send(WindowUpdateFrame(0, window_increment=len(frame.data)))
frames = peer.frames_until(ends(1), timeout=15, on_frame=credit)
report("1-byte window", grpc_status(frames, 1) == 0 and data and max(data) == 1 and sum(data) > 20,
       f"{len(data)} DATA frames of at most {max(data) if data else 0} byte")
peer.sock.close()

# Headers split over HEADERS and two CONTINUATION frames.
peer = Peer()
block = peer.headers(1, extra=[("x-padding", "p" * 300)])
thirds = [block[:len(block) // 3], block[len(block) // 3:2 * len(block) // 3], block[2 * len(block) // 3:]]
peer.send(HeadersFrame(1, thirds[0]))
peer.send(ContinuationFrame(1, thirds[1]))
peer.send(ContinuationFrame(1, thirds[2], flags=["END_HEADERS"]))
peer.send(DataFrame(1, GRPC_BODY, flags=["END_STREAM"]))
frames = peer.frames_until(ends(1))
report("CONTINUATION", grpc_status(frames, 1) == 0)
peer.sock.close()

# PING is answered with the same payload.
peer = Peer()
peer.send(PingFrame(0, opaque_data=b"12345678"))
frames = peer.frames_until(lambda f: isinstance(f, PingFrame) and "ACK" in f.flags)
report("PING", any(isinstance(f, PingFrame) and "ACK" in f.flags and f.opaque_data == b"12345678" for f in frames))
peer.sock.close()

# RST_STREAM in the middle of a slow call; the connection goes on serving.
peer = Peer()
peer.send(HeadersFrame(1, peer.headers(1, "/pawnshop.test.Slow/Sleep"), flags=["END_HEADERS"]))
peer.send(DataFrame(1, b"\x00\x00\x00\x00\x00", flags=["END_STREAM"]))
time.sleep(0.2)
peer.send(RstStreamFrame(1, error_code=8))
peer.send(HeadersFrame(3, peer.headers(3), flags=["END_HEADERS"]))
peer.send(DataFrame(3, GRPC_BODY, flags=["END_STREAM"]))
frames = peer.frames_until(ends(3))
report("RST_STREAM mid-call", grpc_status(frames, 3) == 0 and grpc_status(frames, 1) is None)
peer.sock.close()

# GOAWAY from the client: the server finishes and closes.
peer = Peer()
peer.send(HeadersFrame(1, peer.headers(1), flags=["END_HEADERS"]))
peer.send(DataFrame(1, GRPC_BODY, flags=["END_STREAM"]))
frames = peer.frames_until(ends(1))
peer.send(GoAwayFrame(0, last_stream_id=0, error_code=0))
report("GOAWAY", grpc_status(frames, 1) == 0)
peer.sock.close()

# A reset flood: streams opened and cancelled at once, thousands of times.
peer = Peer()
stream = 1
try:
    for _ in range(3000):
        peer.send(HeadersFrame(stream, peer.headers(stream), flags=["END_HEADERS"]))
        peer.send(RstStreamFrame(stream, error_code=8))
        stream += 2
except OSError:
    pass
frames = peer.frames_until(lambda f: isinstance(f, GoAwayFrame), timeout=5)
goaways = [f for f in frames if isinstance(f, GoAwayFrame)]
report("reset flood", goaways and goaways[-1].error_code == 0xB, f"GOAWAY {goaways[-1].error_code if goaways else None}")
peer.sock.close()

# A bad preface: GOAWAY(PROTOCOL_ERROR) and close.
peer = Peer(preface=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
frames = peer.frames_until(lambda f: isinstance(f, GoAwayFrame))
goaways = [f for f in frames if isinstance(f, GoAwayFrame)]
report("bad preface", goaways and goaways[-1].error_code == 0x1, f"GOAWAY {goaways[-1].error_code if goaways else None}")
peer.sock.close()

# DATA on a stream that was never opened: GOAWAY(PROTOCOL_ERROR).
peer = Peer()
peer.send(DataFrame(7, b"hello"))
frames = peer.frames_until(lambda f: isinstance(f, GoAwayFrame))
goaways = [f for f in frames if isinstance(f, GoAwayFrame)]
report("DATA on an idle stream", goaways and goaways[-1].error_code == 0x1, f"GOAWAY {goaways[-1].error_code if goaways else None}")
peer.sock.close()

# A unary call that never ends: 1 KiB messages, END_STREAM never sent. The server must answer
# (INTERNAL, a second message) and reset the stream instead of buffering what comes.
peer = Peer()
peer.send(HeadersFrame(1, peer.headers(1), flags=["END_HEADERS"]))
message = b"\x00" + struct.pack(">I", 1024) + b"\x07" * 1024
for _ in range(40):
    peer.send(DataFrame(1, message))
frames = peer.frames_until(lambda f: isinstance(f, RstStreamFrame) and f.stream_id == 1, timeout=5)
resets = [f for f in frames if isinstance(f, RstStreamFrame) and f.stream_id == 1]
report("endless unary stream", grpc_status(frames, 1) == 13 and resets,
       f"status {grpc_status(frames, 1)}, {len(resets)} RST_STREAM")
peer.sock.close()

# A client that connects and says nothing: closed after the preface timeout (2 s in the test).
sock = socket.create_connection(("127.0.0.1", PORT), timeout=8)
started = time.time()
try:
    while sock.recv(65536):
        pass  # the server's SETTINGS
    closed = True
except socket.timeout:
    closed = False
report("silent connection", closed and time.time() - started < 7, f"closed after {time.time() - started:.1f} s")
sock.close()

# A call whose request stalls half-way: CANCELLED and reset after the request timeout (2 s).
peer = Peer()
peer.send(HeadersFrame(1, peer.headers(1), flags=["END_HEADERS"]))
peer.send(DataFrame(1, GRPC_BODY[:4]))
frames = peer.frames_until(lambda f: isinstance(f, RstStreamFrame) and f.stream_id == 1, timeout=8)
report("stalled request", grpc_status(frames, 1) == 1 and any(isinstance(f, RstStreamFrame) for f in frames),
       f"status {grpc_status(frames, 1)}")
peer.sock.close()
