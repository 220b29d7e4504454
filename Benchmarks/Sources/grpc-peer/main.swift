// The gRPC peer: grpc-swift-2 on its NIO HTTP/2 transport, serving the same
// FetchItemById from memory as grpc-ours. Usage: grpc-peer PORT
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf

/// The same item as grpc-ours answers with.
func benchItem() -> Pawnshop_V1_ItemWithHistory {
    var item = Pawnshop_V1_Item()
    item.id = "ring-1"
    item.name = "Gold ring"
    item.category = .jewelry
    item.price = 45_000
    item.state = .good
    item.ageInMonths = 12
    item.status = .pawned
    item.loan = .with {
        $0.clientID = "ana"
        $0.principal = 9_000
        $0.interestPercent = 5
        $0.startDate = "2024-05-01"
        $0.dueDate = "2024-05-31"
    }
    item.version = 3
    item.costBasis = 45_000
    var history = Pawnshop_V1_ItemWithHistory()
    history.item = item
    history.sells = [
        .with {
            $0.clientID = "ana"
            $0.itemID = "ring-1"
            $0.price = 50_000
            $0.date = "2024-05-01"
            $0.profit = 5_000
            $0.eventID = "e2"
        }
    ]
    history.pawns = [
        .with {
            $0.clientID = "ana"
            $0.itemID = "ring-1"
            $0.price = 9_000
            $0.tax = 5
            $0.date = "2024-05-01"
            $0.limitDays = 30
            $0.eventID = "e3"
        }
    ]
    return history
}

struct BenchWorker: Pawnshop_V1_Worker.SimpleServiceProtocol {
    let items = ["ring-1": benchItem()]

    func fetchItemById(request: Pawnshop_V1_FetchByIdRequest, context: ServerContext) async throws
        -> Pawnshop_V1_FetchItemResponse
    {
        guard let item = items[request.id] else {
            throw RPCError(code: .notFound, message: "no item \(request.id)")
        }
        return .with { $0.item = item }
    }

    func fetchItemsByName(request: Pawnshop_V1_FetchByNameRequest, context: ServerContext) async throws
        -> Pawnshop_V1_FetchItemsResponse
    {
        throw RPCError(code: .unimplemented, message: "not in the benchmark")
    }

    func fetchItemsByCategory(request: Pawnshop_V1_FetchByCategoryRequest, context: ServerContext)
        async throws -> Pawnshop_V1_FetchItemsResponse
    {
        throw RPCError(code: .unimplemented, message: "not in the benchmark")
    }

    func fetchItemsByState(request: Pawnshop_V1_FetchByStateRequest, context: ServerContext) async throws
        -> Pawnshop_V1_FetchItemsResponse
    {
        throw RPCError(code: .unimplemented, message: "not in the benchmark")
    }

    func fetchItemsByStatus(request: Pawnshop_V1_FetchByStatusRequest, context: ServerContext) async throws
        -> Pawnshop_V1_FetchItemsResponse
    {
        throw RPCError(code: .unimplemented, message: "not in the benchmark")
    }

    func getEvent(request: Pawnshop_V1_GetEventRequest, context: ServerContext) async throws
        -> Pawnshop_V1_GetEventResponse
    {
        throw RPCError(code: .unimplemented, message: "not in the benchmark")
    }
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18800
let server = GRPCServer(
    transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
    services: [BenchWorker()])
print("grpc-peer listening on \(port)")
try await server.serve()
