import PawnGRPC
import PawnIO
// Calls a worker over gRPC: its health, one item with its history, a page of items, and an
// item that does not exist. Usage: GRPCClient [HOST:PORT]   (default 127.0.0.1:50061; start
// `pawnshop dispatcher --token t` and `pawnshop worker --token t --seed-demo` first)
import PawnProtocol

let target = CommandLine.arguments.dropFirst().first ?? "127.0.0.1:50061"
let parts = target.split(separator: ":")
guard parts.count == 2, let port = Int(parts[1]) else { fatalError("usage: GRPCClient HOST:PORT") }

let group = try EventLoopGroup(loopCount: 1)
let client = try GRPCClient(host: String(parts[0]), port: port, group: group)

let health = try await client.unary(
    "/grpc.health.v1.Health/Check", Wire.HealthCheckRequest(service: "pawnshop.v1.Worker"),
    as: Wire.HealthCheckResponse.self, timeout: .seconds(2))
print("health: \(health.status)")

let found = try await client.unary(
    "/pawnshop.v1.Worker/FetchItemById", Wire.FetchByIdRequest(id: "guitar-1"),
    as: Wire.FetchItemResponse.self,
    timeout: .seconds(2))
if let history = found.item, let item = history.item {
    print(
        "guitar-1: \(item.name), \(item.status), version \(item.version); \(history.sells.count) sale(s), \(history.pawns.count) pawn(s)"
    )
}

let page = try await client.unary(
    "/pawnshop.v1.Worker/FetchItemsByCategory", Wire.FetchByCategoryRequest(category: .jewelry, limit: 10),
    as: Wire.FetchItemsResponse.self, timeout: .seconds(2))
print("jewelry: \(page.items.map(\.id).joined(separator: ", "))")

do {
    _ = try await client.unary(
        "/pawnshop.v1.Worker/FetchItemById", Wire.FetchByIdRequest(id: "no-such-item"),
        as: Wire.FetchItemResponse.self,
        timeout: .seconds(2))
} catch {
    print("no-such-item: \(error)")  // NOT_FOUND, as a typed GRPCStatus
}
client.close()
group.shutdown()
