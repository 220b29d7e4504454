import PawnDomain
import PawnGRPC
import PawnIO
import PawnMetrics
import PawnPorts
import PawnProtocol
import PawnTelemetry
import PawnTrace
import PawnWire

/// `pawnshop.v1.Worker` over gRPC: the reads a dispatcher asks of a worker.
public struct WorkerGRPCService: GRPCService {
    public let name = "pawnshop.v1.Worker"
    public let methods: Set<String> = [
        "FetchItemById", "FetchItemsByName", "FetchItemsByCategory", "FetchItemsByState",
        "FetchItemsByStatus", "GetEvent",
    ]
    let worker: any WorkerClient
    let metrics: Metrics?

    /// The service answering with `worker`'s reads; each call's time by method and status code
    /// goes to `metrics` (`Metrics.Family.grpcServer` of PawnMetrics).
    public init(worker: any WorkerClient, metrics: Metrics? = nil) {
        self.worker = worker
        self.metrics = metrics
    }

    public func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
        let started = ContinuousClock.now
        // The dispatcher's trace, continued: a server span, current while the call runs.
        let value = { (name: String) in context.metadata.first { $0.name == name }?.value }
        let parent = TraceContext(
            traceparent: value(TraceContext.traceparentName), tracestate: value(TraceContext.tracestateName))
        let span = Tracer.start(
            "\(name)/\(method)", kind: .server, parent: parent,
            attributes: [
                ("rpc.system", "grpc"), ("rpc.service", .string(name)), ("rpc.method", .string(method)),
            ])
        let result = await TraceContext.$current.withValue(span.context) { await answer(method, request) }
        span.end(
            status: result.status.code == .ok || result.status.code == .notFound
                ? .unset : .error(result.status.description),
            [("rpc.grpc.status_code", .int(Int64(result.status.code.rawValue)))])
        metrics?.observe(
            .grpcServer, ["method": method, "code": result.status.code.name],
            seconds: started.duration(to: .now).seconds)
        return result
    }

    private func answer(_ method: String, _ request: [UInt8]) async -> GRPCResult {
        switch method {
        case "FetchItemById":
            return await GRPCUnary.handle(request) { (r: Wire.FetchByIdRequest) throws(GRPCStatus) in
                try Self.identifier(r.id, "id")
                let found = try await read { (w) throws(WorkerError) in try await w.fetchItem(id: r.id) }
                guard let history = found else {
                    throw GRPCStatus(.notFound, "there is no item with id \(r.id)")
                }
                return Wire.FetchItemResponse(item: WireMapping.wire(history))
            }
        case "FetchItemsByName":
            return await GRPCUnary.handle(request) { (r: Wire.FetchByNameRequest) throws(GRPCStatus) in
                try await page(.name(r.name), r.limit, r.after)
            }
        case "FetchItemsByCategory":
            return await GRPCUnary.handle(request) { (r: Wire.FetchByCategoryRequest) throws(GRPCStatus) in
                guard let category = WireMapping.domain(r.category) else {
                    throw GRPCStatus(.invalidArgument, "unknown category \(r.category.protoValue)")
                }
                return try await page(.category(category), r.limit, r.after)
            }
        case "FetchItemsByState":
            return await GRPCUnary.handle(request) { (r: Wire.FetchByStateRequest) throws(GRPCStatus) in
                guard let condition = WireMapping.domain(r.state) else {
                    throw GRPCStatus(.invalidArgument, "unknown state \(r.state.protoValue)")
                }
                return try await page(.condition(condition), r.limit, r.after)
            }
        case "FetchItemsByStatus":
            return await GRPCUnary.handle(request) { (r: Wire.FetchByStatusRequest) throws(GRPCStatus) in
                guard let status = WireMapping.domain(r.status) else {
                    throw GRPCStatus(.invalidArgument, "unknown status \(r.status.protoValue)")
                }
                return try await page(.status(status), r.limit, r.after)
            }
        case "GetEvent":
            return await GRPCUnary.handle(request) { (r: Wire.GetEventRequest) throws(GRPCStatus) in
                try Self.identifier(r.eventId, "eventId")
                let report = try await read { (w) throws(WorkerError) in
                    try await w.eventStatus(eventId: r.eventId)
                }
                let status: Wire.EventStatus =
                    switch report.state {
                    case .pending: .pending
                    case .applied: .applied
                    case .rejected: .rejected
                    }
                return Wire.GetEventResponse(
                    status: status, reason: report.rejection?.message ?? "",
                    code: report.rejection?.code.rawValue ?? "",
                    itemId: report.itemId ?? "", traceId: report.traceId ?? "")
            }
        default:
            return .failure(GRPCStatus(.unimplemented, "unknown method \(method)"))
        }
    }

    private func page(_ filter: ItemFilter, _ limit: Int32, _ after: String) async throws(GRPCStatus)
        -> Wire.FetchItemsResponse
    {
        guard (0...1000).contains(limit) else {
            throw GRPCStatus(.invalidArgument, "limit must be from 1 to 1000")
        }
        if !after.isEmpty { try Self.identifier(after, "after") }
        let found = try await read { (w) throws(WorkerError) in
            try await w.fetchItems(
                matching: filter, limit: limit == 0 ? 10 : Int(limit), after: after.isEmpty ? nil : after)
        }
        return Wire.FetchItemsResponse(items: found.items.map(WireMapping.wire), next: found.next)
    }

    private func read<T: Sendable>(_ body: (any WorkerClient) async throws(WorkerError) -> T)
        async throws(GRPCStatus) -> T
    {
        // The store's read (MongoDB, or memory) as a client span of the call.
        let system = worker.databaseSystem
        let span = Tracer.start(
            "\(system ?? "store") read", kind: .client,
            attributes: (system.map { [("db.system", AttributeValue.string($0))] } ?? []) + [
                ("db.operation.name", "find")
            ])
        do {
            let value = try await body(worker)
            span.end()
            return value
        } catch {
            span.end(status: .error(error.message))
            throw GRPCStatus(
                error.code == .deadlineExceeded ? .deadlineExceeded : .unavailable, error.message)
        }
    }

    private static func identifier(_ value: String, _ field: String) throws(GRPCStatus) {
        do {
            _ = try Validation.identifier(value, field: field)
        } catch {
            throw GRPCStatus(.invalidArgument, error.description)
        }
    }
}
