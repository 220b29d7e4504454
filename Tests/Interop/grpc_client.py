"""A stock gRPC client (Python grpcio) calling PawnShop's gRPC server.

Usage: grpc_client.py PORT STUB_DIR
Stubs are generated from Protos/ by the test (grpc_tools.protoc) into STUB_DIR. Prints
one JSON object per call: {"call", "code", "details", "value"}.
"""
import json
import sys

import grpc

port, stub_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, stub_dir)
import pawnshop_pb2 as pb  # noqa: E402
import pawnshop_pb2_grpc as pb_grpc  # noqa: E402
import health_pb2  # noqa: E402  (generated from Protos/grpc/health/v1/health.proto)
import health_pb2_grpc  # noqa: E402

channel = grpc.insecure_channel(
    f"127.0.0.1:{port}",
    options=[("grpc.max_send_message_length", 8 * 1024 * 1024), ("grpc.max_receive_message_length", 8 * 1024 * 1024)],
)
worker = pb_grpc.WorkerStub(channel)
health = health_pb2_grpc.HealthStub(channel)


def report(name, call):
    try:
        value = call()
        out = {"call": name, "code": "OK", "value": value}
    except grpc.RpcError as error:
        out = {"call": name, "code": error.code().name, "details": error.details()}
    print(json.dumps(out), flush=True)


def item_summary(item):
    return {"id": item.id, "name": item.name, "category": pb.Category.Name(item.category), "price": item.price,
            "state": pb.State.Name(item.state), "status": pb.ItemStatus.Name(item.status), "version": item.version}


report("FetchItemById", lambda: (lambda r: {"item": item_summary(r.item.item), "sells": len(r.item.sells),
                                             "pawns": [p.limitDays for p in r.item.pawns],
                                             "rejected": [x.code for x in r.item.rejected]})(
    worker.FetchItemById(pb.FetchByIdRequest(id="ring-1"))))
report("FetchItemById missing", lambda: worker.FetchItemById(pb.FetchByIdRequest(id="nope")).item.item.id)
report("FetchItemById invalid", lambda: worker.FetchItemById(pb.FetchByIdRequest(id="bad id")).item.item.id)
report("FetchItemsByCategory", lambda: (lambda r: {"ids": [i.id for i in r.items], "next": r.next if r.HasField("next") else None})(
    worker.FetchItemsByCategory(pb.FetchByCategoryRequest(category=pb.Jewelry, limit=2))))
report("FetchItemsByName", lambda: [i.id for i in worker.FetchItemsByName(pb.FetchByNameRequest(name="Gold ring")).items])
report("FetchItemsByState", lambda: len(worker.FetchItemsByState(pb.FetchByStateRequest(state=pb.Good, limit=100)).items))
report("FetchItemsByStatus", lambda: [i.id for i in worker.FetchItemsByStatus(pb.FetchByStatusRequest(status=pb.ITEM_STATUS_WITH_CLIENT)).items])
report("FetchItemsByCategory unknown enum", lambda: len(worker.FetchItemsByCategory(pb.FetchByCategoryRequest(category=42)).items))
report("GetEvent", lambda: (lambda r: {"status": pb.EventStatus.Name(r.status), "code": r.code})(
    worker.GetEvent(pb.GetEventRequest(eventId="e-rejected"))))
report("Health", lambda: health_pb2.HealthCheckResponse.ServingStatus.Name(health.Check(health_pb2.HealthCheckRequest(service="")).status))
report("Health worker", lambda: health_pb2.HealthCheckResponse.ServingStatus.Name(
    health.Check(health_pb2.HealthCheckRequest(service="pawnshop.v1.Worker")).status))
report("Health unknown", lambda: health.Check(health_pb2.HealthCheckRequest(service="nope")).status)

identity = dict(request_serializer=lambda b: b, response_deserializer=lambda b: b)
report("unknown method", lambda: channel.unary_unary("/pawnshop.v1.Worker/Nope", **identity)(b"").hex())
report("unknown service", lambda: channel.unary_unary("/pawnshop.v9.Nothing/Call", **identity)(b"").hex())
report("malformed message", lambda: channel.unary_unary("/pawnshop.v1.Worker/FetchItemById", **identity)(b"\x0a\xff\xff").hex())
report("deadline", lambda: channel.unary_unary("/pawnshop.test.Slow/Sleep", **identity)(b"", timeout=0.3).hex())
report("3 MiB request", lambda: len(worker.FetchItemsByName(pb.FetchByNameRequest(name="x" * (3 * 1024 * 1024))).items))
report("5 MiB request", lambda: len(worker.FetchItemsByName(pb.FetchByNameRequest(name="x" * (5 * 1024 * 1024))).items))
report("metadata", lambda: channel.unary_unary("/pawnshop.test.Slow/Echo", **identity)(
    b"hi", metadata=(("x-client", "python"), ("x-trace-bin", b"\x00\x01\x02"))).decode())
report("after all that, still serving", lambda: worker.FetchItemById(pb.FetchByIdRequest(id="ring-1")).item.item.id)
