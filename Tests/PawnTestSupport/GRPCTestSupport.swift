import PawnDomain
import PawnGRPC
import PawnPorts
import PawnWire
import PawnWorker

/// A service only the tests have: a call that outlives short deadlines, and an echo that
/// shows the metadata it received.
public struct TestService: GRPCService {
    public let name = "pawnshop.test.Slow"
    public let methods: Set<String> = ["Sleep", "Echo"]

    /// A service.
    public init() {}

    public func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
        if method == "Sleep" {
            // Long enough that a deadline or a cancellation not enforced shows, whatever the
            // machine's load.
            try? await Task.sleep(for: .seconds(10))
            return GRPCResult(messages: [[]])
        }
        let text =
            String(decoding: request, as: UTF8.self) + " from " + (context.value("x-client") ?? "?")
            + " bin " + (context.value("x-trace-bin") ?? "?")
        return GRPCResult(messages: [Array(text.utf8)])
    }
}

/// A worker with a few items, applied through the event log as in production.
public func seededWorker() async throws -> (Worker, InMemoryItemStore) {
    let log = InMemoryEventLog(partitions: 2)
    let store = InMemoryItemStore()
    let worker = Worker(id: "w1", log: log, store: store)
    let day = CalendarDate(iso8601: "2024-05-01")!
    let events = [
        Event(
            eventId: "e1", itemId: "ring-1",
            action: .add(AddItem(name: "Gold ring", category: .jewelry, price: 45_000, condition: .good))),
        Event(
            eventId: "e2", itemId: "ring-1", action: .sell(Sell(clientId: "ana", price: 50_000, date: day))),
        Event(
            eventId: "e3", itemId: "ring-1",
            action: .pawn(
                Pawn(clientId: "ana", principal: 9_000, interestPercent: 5, limitDays: 30, date: day))),
        Event(eventId: "e-rejected", itemId: "ring-1", action: .redeem(Redeem(clientId: "bob", date: day))),
        Event(
            eventId: "e4", itemId: "watch-1",
            action: .add(AddItem(name: "Omega", category: .jewelry, price: 1, condition: .good))),
        Event(
            eventId: "e5", itemId: "watch-2",
            action: .add(AddItem(name: "Rolex", category: .jewelry, price: 1, condition: .bad))),
        Event(
            eventId: "e6", itemId: "book-1",
            action: .add(
                AddItem(name: "Dune", category: .reading, price: 1, condition: .good, status: .withClient))),
    ]
    for event in events {
        let (topic, value) = WireMapping.record(for: event)
        _ = try await log.publish(
            topic: topic, key: event.itemId, value: value, headers: [Topics.eventIdHeader: event.eventId])
    }
    try await worker.start()
    for _ in 0..<500 where store.counts.events < events.count { try await Task.sleep(for: .milliseconds(10)) }
    await worker.stop()
    return (worker, store)
}

/// Whether Python's grpcio and grpcio-tools are installed (scripts/test.sh installs them).
public let grpcPeersAvailable = Python.available(["grpc", "grpc_tools"])

/// Whether curl is installed (scripts/test.sh installs it).
public let curlAvailable = Command.find("curl") != nil
