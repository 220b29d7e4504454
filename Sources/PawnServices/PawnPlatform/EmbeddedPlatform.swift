import PawnDispatcher
import PawnDomain
import PawnGRPC
import PawnHTTP1
import PawnIO
import PawnPorts
import PawnWire
import PawnWorker

/// The whole platform in one process on in-memory adapters: a dispatcher serving HTTP and
/// workers that consume the in-memory event log and share one in-memory item store, talking
/// to each other over real gRPC on loopback, as separate processes would. It is what
/// `swift run pawnshop` starts, and what end-to-end tests start on ephemeral ports.
public final class EmbeddedPlatform: Sendable {
    /// The in-memory event log.
    public let log: InMemoryEventLog
    /// The in-memory item store the workers share.
    public let store: InMemoryItemStore
    /// The fraud list the dispatcher checks.
    public let fraudList: any FraudList
    /// The dispatcher node.
    public let node: DispatcherNode
    let group: EventLoopGroup
    private let token = "embedded-\(UInt64.random(in: 0 ... .max))"
    private let workerCount: Int

    /// The dispatcher.
    public var dispatcher: Dispatcher { node.dispatcher }
    /// The dispatcher's worker registry.
    public var registry: WorkerRegistry { node.registry }
    /// The HTTP server.
    public var server: HTTPServer { node.http }
    /// The workers, once started.
    public var workers: [Worker] { runningWorkers.map(\.worker) }

    /// A platform that will listen on `host:port` (port 0: any free port) with
    /// `workerCount` workers and `fraudsters` on an in-memory fraud list, or `fraudList`
    /// (any implementation of the port) when given; with `console`, the dispatcher serves the
    /// operator console at `/`.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, workerCount: Int = 2, fraudsters: [String] = [],
        fraudList: (any FraudList)? = nil, loops: Int? = nil, http: HTTPServer.Configuration? = nil,
        console: Bool = true
    ) throws {
        let log = InMemoryEventLog(partitions: 8)
        let store = InMemoryItemStore()
        self.log = log
        self.store = store
        self.fraudList = fraudList ?? InMemoryFraudList(fraudsters)
        let group = try loops.map { try EventLoopGroup(loopCount: $0) } ?? EventLoopGroup()
        self.group = group
        var configuration = http ?? HTTPServer.Configuration()
        configuration.host = host
        configuration.port = port
        self.workerCount = max(1, workerCount)
        node = DispatcherNode(
            log: log, fraudList: self.fraudList, group: group, http: configuration,
            grpc: GRPCServer.Configuration(host: "127.0.0.1", port: 0), token: token, console: console)
    }

    private let startedWorkers = Locked<[WorkerNode]>([])

    /// Starts the dispatcher, then the workers, which join it over gRPC; returns the HTTP
    /// port once every worker is ready. `listening` hears the HTTP port as soon as the
    /// dispatcher listens, before the workers start.
    @discardableResult
    public func start(listening: (@Sendable (Int) -> Void)? = nil) async throws -> Int {
        let (httpPort, grpcPort) = try node.start()
        listening?(httpPort)
        var nodes: [WorkerNode] = []
        for index in 0..<workerCount {
            let worker = try WorkerNode(
                id: "worker-\(index + 1)", log: log, store: store, group: group,
                dispatchers: [("127.0.0.1", grpcPort)], token: token, metrics: dispatcher.metrics)
            try await worker.start()
            nodes.append(worker)
        }
        startedWorkers.withLock { $0 = nodes }
        for _ in 0..<500 where registry.readyCount < workerCount {
            try await Task.sleep(for: .milliseconds(10))
        }
        return httpPort
    }

    /// The running worker nodes.
    public var runningWorkers: [WorkerNode] { startedWorkers.withLock { $0 } }

    /// Stops serving (finishing in-flight requests), then stops the workers.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        await node.stop(gracePeriod: gracePeriod)
        for worker in runningWorkers { await worker.stop() }
        group.shutdown()
    }

    /// Publishes a small sample catalogue through the event log, as clients would.
    public func seedDemo() async throws { try await DemoCatalogue.publish(to: log) }
}

/// A small sample catalogue, for `--seed-demo` and the examples.
public enum DemoCatalogue {
    /// Publishes the catalogue's events to `log`, as a dispatcher would.
    public static func publish(to log: any EventLog) async throws {
        let day = CalendarDate(iso8601: "2024-05-01")!
        let catalogue: [(String, String, Category, Int64, Condition)] = [
            ("ring-1", "Gold ring", .jewelry, 45_000, .good),
            ("watch-1", "Omega Seamaster", .jewelry, 240_000, .good),
            ("guitar-1", "Fender Stratocaster", .collection, 80_000, .good),
            ("book-1", "First edition Dune", .reading, 30_000, .bad),
            ("bike-1", "Vespa 125", .motor, 150_000, .bad),
            ("phone-1", "Pixel 7", .electronics, 20_000, .new),
            ("coat-1", "Wool coat", .clothing, 9_000, .good),
            ("vase-1", "Ming-style vase", .decoration, 12_000, .fatal),
        ]
        var events: [Event] = catalogue.map { id, name, category, price, condition in
            Event(
                eventId: "demo-add-\(id)", itemId: id,
                action: .add(
                    AddItem(
                        name: name, category: category, price: Money(minorUnits: price), condition: condition,
                        date: day)))
        }
        events.append(
            Event(
                eventId: "demo-sell-guitar", itemId: "guitar-1",
                action: .sell(Sell(clientId: "ana", price: 120_000, date: day))))
        events.append(
            Event(
                eventId: "demo-pawn-guitar", itemId: "guitar-1",
                action: .pawn(
                    Pawn(
                        clientId: "ana", principal: 50_000, interestPercent: 8, limitDays: 30,
                        date: day.adding(days: 3)!))))
        events.append(
            Event(
                eventId: "demo-sell-phone", itemId: "phone-1",
                action: .sell(Sell(clientId: "ben", price: 25_000, date: day))))
        for event in events {
            let (topic, value) = WireMapping.record(for: event)
            _ = try await log.publish(
                topic: topic, key: event.itemId, value: value,
                headers: [Topics.eventIdHeader: event.eventId])
        }
    }
}
