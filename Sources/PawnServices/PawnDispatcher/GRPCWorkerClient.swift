import PawnDomain
import PawnGRPC
import PawnHPACK
import PawnMetrics
import PawnPorts
import PawnProtocol
import PawnTelemetry
import PawnTrace
import PawnWire

/// `WorkerClient` (PawnPorts) over gRPC: the dispatcher's side of `pawnshop.v1.Worker`.
public struct GRPCWorkerClient: WorkerClient {
    /// The connection to the worker.
    public let client: GRPCClient
    /// How long a read may take before the dispatcher gives up on it.
    public let timeout: Duration
    /// Where each call's method, status and duration go (`pawnshop_grpc_client_duration_seconds`).
    let metrics: Metrics?

    /// Reads through `client`, each given `timeout` (sent as its deadline), each call
    /// recorded in `metrics`.
    public init(client: GRPCClient, timeout: Duration = .seconds(5), metrics: Metrics? = nil) {
        self.client = client
        self.timeout = timeout
        self.metrics = metrics
    }

    /// `context` (by default the current request's) as gRPC metadata (`traceparent`, and
    /// `tracestate` when there is one), so that the worker continues the dispatcher's trace.
    static func traceMetadata(_ context: TraceContext? = TraceContext.current) -> [HeaderField] {
        guard let context else { return [] }
        var fields = [HeaderField(TraceContext.traceparentName, context.traceparent)]
        if !context.traceState.isEmpty {
            fields.append(HeaderField(TraceContext.tracestateName, context.traceState))
        }
        return fields
    }

    /// `client.unary` of `method` in a client span of the current request's trace, whose
    /// context goes to the worker in the call's metadata.
    private func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as type: Response.Type, timeout: Duration
    ) async throws(GRPCStatus) -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await tracedUnary(method, request, as: type, timeout: timeout)
            metrics?.observe(
                .grpcClient, ["method": method, "code": "OK"], seconds: started.duration(to: .now).seconds)
            return response
        } catch {
            metrics?.observe(
                .grpcClient, ["method": method, "code": error.code.name],
                seconds: started.duration(to: .now).seconds)
            throw error
        }
    }

    private func tracedUnary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as type: Response.Type, timeout: Duration
    ) async throws(GRPCStatus) -> Response {
        guard TraceContext.current != nil else {
            return try await client.unary(
                "/pawnshop.v1.Worker/\(method)", request, as: type, metadata: [], timeout: timeout)
        }
        let span = Tracer.start(
            "pawnshop.v1.Worker/\(method)", kind: .client,
            attributes: [
                ("rpc.system", "grpc"), ("rpc.service", "pawnshop.v1.Worker"),
                ("rpc.method", .string(method)),
            ])
        do {
            let response = try await client.unary(
                "/pawnshop.v1.Worker/\(method)", request, as: type,
                metadata: Self.traceMetadata(span.context),
                timeout: timeout)
            span.end(status: .unset, [("rpc.grpc.status_code", 0)])
            return response
        } catch {
            span.end(
                status: error.code == .notFound ? .unset : .error(error.description),
                [("rpc.grpc.status_code", .int(Int64(error.code.rawValue)))])
            throw error
        }
    }

    public func fetchItem(id: String) async throws(WorkerError) -> ItemHistory? {
        let response: Wire.FetchItemResponse
        do {
            response = try await unary(
                "FetchItemById", Wire.FetchByIdRequest(id: id), as: Wire.FetchItemResponse.self,
                timeout: timeout)
        } catch  where error.code == .notFound {
            return nil
        } catch {
            throw Self.workerError(error)
        }
        guard let wire = response.item, let history = WireMapping.domain(wire) else {
            throw WorkerError(.failed, "the worker sent an item that is not valid")
        }
        return history
    }

    public func fetchItems(matching filter: ItemFilter, limit: Int, after: String?) async throws(WorkerError)
        -> ItemPage
    {
        let limit32 = Int32(clamping: limit)
        let after = after ?? ""
        let response: Wire.FetchItemsResponse
        do {
            switch filter {
            case .name(let name):
                response = try await page(
                    "FetchItemsByName", Wire.FetchByNameRequest(name: name, limit: limit32, after: after))
            case .category(let category):
                response = try await page(
                    "FetchItemsByCategory",
                    Wire.FetchByCategoryRequest(
                        category: WireMapping.wire(category), limit: limit32, after: after))
            case .condition(let condition):
                response = try await page(
                    "FetchItemsByState",
                    Wire.FetchByStateRequest(state: WireMapping.wire(condition), limit: limit32, after: after)
                )
            case .status(let status):
                response = try await page(
                    "FetchItemsByStatus",
                    Wire.FetchByStatusRequest(status: WireMapping.wire(status), limit: limit32, after: after))
            }
        } catch {
            throw Self.workerError(error)
        }
        let items = response.items.compactMap(WireMapping.domain)
        guard items.count == response.items.count else {
            throw WorkerError(.failed, "the worker sent an item that is not valid")
        }
        return ItemPage(items: items, next: response.next)
    }

    /// One of the page-returning rpcs of `pawnshop.v1.Worker`.
    private func page<Request: ProtoMessage>(_ method: String, _ request: Request) async throws(GRPCStatus)
        -> Wire.FetchItemsResponse
    {
        try await unary(method, request, as: Wire.FetchItemsResponse.self, timeout: timeout)
    }

    public func eventStatus(eventId: String) async throws(WorkerError) -> EventStatusReport {
        let response: Wire.GetEventResponse
        do {
            response = try await unary(
                "GetEvent", Wire.GetEventRequest(eventId: eventId), as: Wire.GetEventResponse.self,
                timeout: timeout)
        } catch {
            throw Self.workerError(error)
        }
        let rejection =
            response.code.isEmpty
            ? nil
            : Rejection(
                code: Rejection.Code(rawValue: response.code), message: response.reason)
        let traceId = response.traceId.isEmpty ? nil : response.traceId
        switch response.status {
        case .applied:
            return EventStatusReport(
                state: .applied, itemId: response.itemId, rejection: nil, traceId: traceId)
        case .rejected:
            return EventStatusReport(
                state: .rejected, itemId: response.itemId, rejection: rejection, traceId: traceId)
        default: return EventStatusReport(state: .pending)
        }
    }

    /// `grpc.health.v1.Health/Check` of `pawnshop.v1.Worker` answers SERVING within 2 s.
    public func isServing() async -> Bool {
        let answer = try? await client.unary(
            "/grpc.health.v1.Health/Check", Wire.HealthCheckRequest(service: "pawnshop.v1.Worker"),
            as: Wire.HealthCheckResponse.self, timeout: .seconds(2))
        return answer?.status == .serving
    }

    /// Closes the gRPC connection.
    public func close() { client.close() }

    static func workerError(_ status: GRPCStatus) -> WorkerError {
        switch status.code {
        case .unavailable, .cancelled: WorkerError(.unavailable, status.description)
        case .deadlineExceeded: WorkerError(.deadlineExceeded, status.description)
        default: WorkerError(.failed, status.description)
        }
    }
}
