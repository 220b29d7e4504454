// Our side of the gRPC comparison.
//   grpc-ours server PORT                  pawnshop.v1.Worker/FetchItemById from memory
//   grpc-ours client PORT CALLS PARALLEL   our GRPCClient calling FetchItemById; prints calls/s
import Glibc
import PawnGRPC
import PawnIO
import PawnProtocol

/// The item every FetchItemById answers with (the same in grpc-peer).
func benchItem() -> Wire.ItemWithHistory {
    Wire.ItemWithHistory(
        item: Wire.Item(
            id: "ring-1", name: "Gold ring", category: .jewelry, price: 45_000, state: .good, ageInMonths: 12,
            status: .pawned,
            loan: Wire.Loan(
                clientId: "ana", principal: 9_000, interestPercent: 5, startDate: "2024-05-01",
                dueDate: "2024-05-31"),
            version: 3, costBasis: 45_000),
        sells: [
            Wire.Sell(
                clientId: "ana", itemId: "ring-1", price: 50_000, date: "2024-05-01", profit: 5_000,
                eventId: "e2")
        ],
        pawns: [
            Wire.Pawn(
                clientId: "ana", itemId: "ring-1", price: 9_000, tax: 5, date: "2024-05-01", limitDays: 30,
                eventId: "e3")
        ])
}

struct BenchWorker: GRPCService {
    let name = "pawnshop.v1.Worker"
    let methods: Set<String> = ["FetchItemById"]
    let items = ["ring-1": benchItem()]

    func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
        await GRPCUnary.handle(request) { (r: Wire.FetchByIdRequest) throws(GRPCStatus) in
            guard let item = items[r.id] else { throw GRPCStatus(.notFound, "no item \(r.id)") }
            return Wire.FetchItemResponse(item: item)
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, let port = Int(arguments[1]) else {
    print("usage: grpc-ours server PORT | grpc-ours client PORT CALLS PARALLEL")
    exit(2)
}
let group = try EventLoopGroup()
if arguments[0] == "server" {
    let server = GRPCServer(configuration: .init(port: port), group: group, services: [BenchWorker()])
    try server.start()
    print("grpc-ours listening on \(port)")
    while true { try await Task.sleep(for: .seconds(3600)) }
}

let calls = Int(arguments.count > 2 ? arguments[2] : "") ?? 100_000
let parallel = Int(arguments.count > 3 ? arguments[3] : "") ?? 100
let client = try GRPCClient(host: "127.0.0.1", port: port, group: group)
let request = Wire.FetchByIdRequest(id: "ring-1")
_ = try await client.unary("/pawnshop.v1.Worker/FetchItemById", request, as: Wire.FetchItemResponse.self)
let started = ContinuousClock.now
let failures = try await withThrowingTaskGroup(of: Int.self) { tasks in
    for _ in 0..<parallel {
        tasks.addTask {
            var failed = 0
            for _ in 0..<(calls / parallel) {
                do {
                    _ = try await client.unary(
                        "/pawnshop.v1.Worker/FetchItemById", request, as: Wire.FetchItemResponse.self)
                } catch {
                    failed += 1
                }
            }
            return failed
        }
    }
    var total = 0
    for try await failed in tasks { total += failed }
    return total
}
let elapsed = started.duration(to: .now)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let total = calls / parallel * parallel
print(
    "calls \(total) failures \(failures) seconds \(Int(seconds * 1000))ms rate \(Int(Double(total) / seconds))"
)
client.close()
