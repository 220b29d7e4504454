"""The dispatcher's control plane (Join, Heartbeat, Leave) against real processes, called by
a stock gRPC client (Python grpcio) as an intruder on the network would (#14).

Usage: control_plane.py --binary .build/debug/pawnshop
Starts one dispatcher and one worker (in-memory event logs, loopback, free ports), then:
  - Leave and Heartbeat for the joined worker's id without the token, and with a wrong one,
    are refused UNAUTHENTICATED, and the worker stays joined and ready;
  - Join with a wrong token is rejected and adds nobody;
  - reads through the dispatcher still work;
  - a Leave with the token does evict the worker (the refusals above are not a broken Leave).
Stubs are generated from Protos/ with grpc_tools.protoc into a temporary folder.
Exit status 0 when every check holds; the reasons otherwise.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "control-plane-token"
WORKER_ID = "control-plane-w1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stubs():
    folder = tempfile.mkdtemp(prefix="pawnshop-stubs-")
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.join(ROOT, "Protos"),
                    f"--python_out={folder}", f"--grpc_python_out={folder}",
                    os.path.join(ROOT, "Protos", "pawnshop.proto")], check=True)
    sys.path.insert(0, folder)


def ready(port):
    """(status, body) of GET /health/ready."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ready_workers(port):
    status, body = ready(port)
    return status, (body or {}).get("workers")


def wait_until(what, check, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"control plane: {what} did not happen in {timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "pawnshop"))
    args = parser.parse_args()
    stubs()
    import grpc
    import pawnshop_pb2 as pb
    import pawnshop_pb2_grpc as pb_grpc

    http_port, grpc_port = free_port(), free_port()
    logs = tempfile.mkdtemp(prefix="pawnshop-control-plane-")
    processes = []

    def start(name, argv):
        out = open(os.path.join(logs, f"{name}.log"), "wb")
        processes.append((name, subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)))

    problems = []
    try:
        start("dispatcher", [args.binary, "dispatcher", "--port", str(http_port), "--grpc-port", str(grpc_port),
                             "--token", TOKEN, "--loops", "1"])
        start("worker", [args.binary, "worker", "--id", WORKER_ID, "--port", "0", "--dispatcher",
                         f"127.0.0.1:{grpc_port}", "--token", TOKEN, "--seed-demo", "--loops", "1"])
        wait_until("the worker joining", lambda: ready_workers(http_port) == (200, 1))
        channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
        dispatcher = pb_grpc.DispatcherStub(channel)

        def refused(name, call):
            try:
                reply = call()
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.UNAUTHENTICATED:
                    problems.append(f"{name}: {error.code()} {error.details()}, expected UNAUTHENTICATED")
                else:
                    print(f"control plane: {name}: UNAUTHENTICATED ({error.details()})", flush=True)
                return
            problems.append(f"{name}: answered {reply!r}, expected UNAUTHENTICATED")

        for token in ["", "wrong-token"]:
            label = "no token" if not token else "a wrong token"
            refused(f"Leave with {label}", lambda: dispatcher.Leave(
                pb.LeaveRequest(workerId=WORKER_ID, token=token), timeout=5))
            refused(f"Heartbeat with {label}", lambda: dispatcher.Heartbeat(
                pb.HeartbeatRequest(workerId=WORKER_ID, token=token), timeout=5))
        intruder = pb.WorkerInfo(workerId="intruder", host="127.0.0.1", port=free_port())
        reply = dispatcher.Join(pb.JoinRequest(workerInfo=intruder, token="wrong-token"), timeout=5)
        if reply.response != pb.REJECTED:
            problems.append(f"Join with a wrong token: {reply!r}, expected REJECTED")
        else:
            print(f"control plane: Join with a wrong token: REJECTED ({reply.reason})", flush=True)
        # The refused calls changed nothing: the worker is still the one joined and ready
        # (checked a little later too: an eviction could lag behind the answer).
        for _ in range(2):
            state = ready_workers(http_port)
            if state != (200, 1):
                problems.append(f"after the refused calls, /health/ready says {state}, expected (200, 1)")
                break
            time.sleep(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/item/fetch?category=Jewelry&limit=5",
                                    timeout=10) as answer:
            if answer.status != 200:
                problems.append(f"a read after the refused calls answered {answer.status}")
        # The positive control: with the token, Leave does evict the worker.
        dispatcher.Leave(pb.LeaveRequest(workerId=WORKER_ID, token=TOKEN), timeout=5)
        state = ready_workers(http_port)
        if state[1] != 0:
            problems.append(f"Leave with the token left {state[1]} workers joined, expected 0")
        else:
            print("control plane: Leave with the token evicted the worker", flush=True)
    finally:
        for _, process in processes:
            process.terminate()
        for _, process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
    if problems:
        for name, _ in processes:
            with open(os.path.join(logs, f"{name}.log"), errors="replace") as log:
                print(f"--- {name}\n" + "".join(log.readlines()[-20:]), flush=True)
        for problem in problems:
            print("control plane: FAILED:", problem, flush=True)
        sys.exit(1)
    print("control plane: passed: the token is required for Leave, Heartbeat and Join", flush=True)


if __name__ == "__main__":
    main()
