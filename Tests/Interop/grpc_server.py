"""A stock gRPC server (Python grpcio) implementing pawnshop.v1.Worker, for PawnShop's
client to call. Usage: grpc_server.py STUB_DIR — prints the port it listens on, then
serves until its standard input closes.
"""
import sys
import time
from concurrent import futures

import grpc

sys.path.insert(0, sys.argv[1])
import pawnshop_pb2 as pb  # noqa: E402
import pawnshop_pb2_grpc as pb_grpc  # noqa: E402


class Worker(pb_grpc.WorkerServicer):
    def FetchItemById(self, request, context):
        if request.id == "missing":
            context.abort(grpc.StatusCode.NOT_FOUND, f"no item {request.id} — sorry")
        item = pb.Item(id=request.id, name="Python ring", category=pb.Jewelry, price=-5, state=pb.Fatal,
                       ageInMonths=7, status=pb.ITEM_STATUS_WITH_CLIENT, owner="", version=2, costBasis=99)
        history = pb.ItemWithHistory(item=item, sells=[pb.Sell(clientId="ana", itemId=request.id, price=10, date="2024-01-01", eventId="s1")])
        return pb.FetchItemResponse(item=history)

    def FetchItemsByName(self, request, context):
        if request.name == "slow":
            time.sleep(2)
        metadata = dict(context.invocation_metadata())
        return pb.FetchItemsResponse(items=[pb.Item(id=metadata.get("x-caller", "?"))], next="n1")

    def GetEvent(self, request, context):
        return pb.GetEventResponse(status=pb.EVENT_STATUS_REJECTED, reason="nope", code="notOwner", itemId="i")


server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
pb_grpc.add_WorkerServicer_to_server(Worker(), server)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(port, flush=True)
sys.stdin.read()
server.stop(0)
