import Foundation
import PawnConsole
import PawnDomain
import PawnHTTP1
import PawnIO
import PawnLog
import PawnMetrics
import PawnPorts
import PawnProtocol
import PawnSigV4
import PawnTelemetry
import PawnTrace
import PawnWire

/// The HTTP dispatcher: validates requests, checks clients against the fraud list,
/// publishes write events to the event log (answering 202 once the log holds them), and
/// answers reads by asking a worker.
public final class Dispatcher: Sendable {
    static let logger = Logger(["component": "dispatcher"])
    /// Where write events are published.
    public let log: any EventLog
    /// The clients refused with 403.
    public let fraudList: any FraudList
    /// The workers that answer reads.
    public let workers: WorkerRegistry
    /// Request counts and latencies, for `/metrics`.
    public let metrics = Metrics()
    /// The first answers to `Idempotency-Key`s and the ids of accepted events: shared by
    /// every dispatcher on the same Redis, or this process's memory.
    public let idempotency: any IdempotencyStore
    /// Whether the router serves the operator console (PawnConsole) at `/`.
    public let console: Bool

    /// A dispatcher over its ports; with `console`, it serves the operator console at `/`.
    public init(
        log: any EventLog, fraudList: any FraudList, workers: WorkerRegistry,
        idempotency: any IdempotencyStore = InMemoryIdempotencyStore(), console: Bool = true
    ) {
        self.console = console
        self.log = log
        self.fraudList = fraudList
        self.workers = workers
        self.idempotency = idempotency
    }

    /// The routes of SPEC §3.
    public var router: Router {
        var router = Router(errorResponse: ErrorBody.responder) { [metrics] route, method, status, seconds in
            metrics.observe(route: route, method: method.rawValue, status: status, seconds: seconds)
        }
        // The API's routes run in their request's trace (Self.traced); probes and scrapes start none.
        func route(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Router.Handler) {
            router.add(method, pattern) { request, parameters in
                await Self.traced(request, route: pattern) { await handler(request, parameters) }
            }
        }
        route(.post, "/item/add") { [self] request, _ in await add(request) }
        route(.post, "/item/action/buy") { [self] request, _ in await write(request, buy) }
        route(.post, "/item/action/sell") { [self] request, _ in await write(request, sell) }
        route(.post, "/item/action/pawn") { [self] request, _ in await write(request, pawn) }
        route(.post, "/item/action/redeem") { [self] request, _ in await write(request, redeem) }
        route(.post, "/item/action/forfeit") { [self] request, _ in await write(request, forfeit) }
        route(.get, "/item/fetch/{id}") { [self] request, parameters in
            await fetchOne(parameters["id"] ?? "")
        }
        route(.get, "/item/fetch") { [self] request, _ in await fetch(request) }
        route(.get, "/event/{eventId}") { [self] _, parameters in
            await event(parameters["eventId"] ?? "")
        }
        // The operator console: static files compiled in; the page calls the routes above.
        if console {
            router.add(.get, "/") { _, _ in Self.serve(Console.index) }
            router.add(.get, "/console/{file}") { request, _ in
                guard let asset = Console.asset(at: request.path) else {
                    return ErrorBody.response(
                        .notFound, code: "notFound", message: "the console has no file \(request.path)")
                }
                return Self.serve(asset)
            }
        }
        router.add(.get, "/health/live") { _, _ in ResponseBodies.json(.ok, ["status": "live"]) }
        router.add(.get, "/health/ready") { [self] _, _ in await ready() }
        router.add(.get, "/metrics") { [self] _, _ in
            var gauges: [(String, String, Double)] =
                [
                    ("pawnshop_workers", "Workers joined and ready.", Double(workers.readyCount)),
                    (
                        "pawnshop_workers_stalled",
                        "Workers whose last heartbeat said records wait and none was applied for their stall threshold.",
                        Double(workers.stalledCount)
                    ),
                ] + TelemetryMetrics.gauges
            // From memory: a scrape must not wait on a broker round trip.
            if let counts = log.parkingCounts {
                gauges += [
                    (
                        "pawnshop_parked_events", "Write events waiting in the parking lot.",
                        Double(counts.waiting)
                    ),
                    (
                        "pawnshop_parked_events_total", "Write events parked since start.",
                        Double(counts.parked)
                    ),
                    (
                        "pawnshop_republished_events_total", "Parked events re-published since start.",
                        Double(counts.republished)
                    ),
                    (
                        "pawnshop_dead_letters_total",
                        "Parked events Kafka refused for good, moved to the dead letters since start.",
                        Double(counts.deadLetters)
                    ),
                    (
                        "pawnshop_republish_failing",
                        "1 while re-publishing parked events fails (and is retried).",
                        counts.republishError == nil ? 0 : 1
                    ),
                    (
                        "pawnshop_publishes_overdue",
                        "Publishes past their deadline (their events parked) Kafka has not answered yet; while any is, writes park at once.",
                        Double(counts.overdue)
                    ),
                ]
            }
            if let status = fraudList.status {
                gauges += [
                    (
                        "pawnshop_fraud_list_names", "Names on the fraud list held in memory.",
                        Double(status.names)
                    ),
                    (
                        "pawnshop_fraud_list_stale", "1 when the last read of the fraud list failed.",
                        status.stale ? 1 : 0
                    ),
                ]
            }
            var lag: [(labels: String, value: Double)] = []
            var oldest: [(labels: String, value: Double)] = []
            for member in workers.all.sorted(by: { $0.id < $1.id }) {
                guard let report = member.lastReport else { continue }
                let worker = Metrics.escape(member.id)
                for (partition, records) in report.lag.sorted(by: {
                    ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition)
                }) {
                    lag.append(
                        (
                            "worker=\"\(worker)\",topic=\"\(Metrics.escape(partition.topic))\",partition=\"\(partition.partition)\"",
                            Double(records)
                        ))
                }
                oldest.append(("worker=\"\(worker)\"", Double(report.oldestUnapplied.milliseconds) / 1_000))
            }
            let text = metrics.render(
                gauges: gauges,
                series: [
                    (
                        "pawnshop_worker_consumer_lag",
                        "Records on the event log a worker has not applied yet, per partition (from its last heartbeat).",
                        lag
                    ),
                    (
                        "pawnshop_worker_oldest_unapplied_seconds",
                        "How long the oldest record a worker fetched and has not applied has waited (from its last heartbeat).",
                        oldest
                    ),
                ])
            return HTTPResponse(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: Array(text.utf8))
        }
        return router
    }

    private static func serve(_ asset: Console.Asset) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders(Console.headers(for: asset)), body: asset.body)
    }

    // MARK: - Writes

    private func add(_ request: HTTPRequest) async -> HTTPResponse {
        await write(request) { (body) throws(RequestError) in
            let parsed = try RequestBodies.decode(RequestBodies.Add.self, from: body)
            return try RequestBodies.event(parsed, eventId: try self.eventId(parsed.eventId))
        }
    }

    private func buy(_ body: [UInt8]) throws(RequestError) -> Event {
        let b = try RequestBodies.decode(RequestBodies.Buy.self, from: body)
        let buy = Buy(
            clientId: b.clientId, price: Money(minorUnits: b.price), date: try RequestBodies.date(b.date))
        return Event(eventId: try eventId(b.eventId), itemId: b.itemId, action: .buy(buy))
    }

    private func sell(_ body: [UInt8]) throws(RequestError) -> Event {
        let s = try RequestBodies.decode(RequestBodies.Sell.self, from: body)
        let sell = Sell(
            clientId: s.clientId, price: Money(minorUnits: s.price), date: try RequestBodies.date(s.date),
            profit: s.profit.map { Money(minorUnits: $0) })
        return Event(eventId: try eventId(s.eventId), itemId: s.itemId, action: .sell(sell))
    }

    private func pawn(_ body: [UInt8]) throws(RequestError) -> Event {
        let p = try RequestBodies.decode(RequestBodies.Pawn.self, from: body)
        let pawn = Pawn(
            clientId: p.clientId, principal: Money(minorUnits: p.price), interestPercent: p.tax,
            limitDays: p.limitDays, date: try RequestBodies.date(p.date))
        return Event(eventId: try eventId(p.eventId), itemId: p.itemId, action: .pawn(pawn))
    }

    private func redeem(_ body: [UInt8]) throws(RequestError) -> Event {
        let r = try RequestBodies.decode(RequestBodies.Redeem.self, from: body)
        let redeem = Redeem(clientId: r.clientId, date: try RequestBodies.date(r.date))
        return Event(eventId: try eventId(r.eventId), itemId: r.itemId, action: .redeem(redeem))
    }

    private func forfeit(_ body: [UInt8]) throws(RequestError) -> Event {
        let f = try RequestBodies.decode(RequestBodies.Forfeit.self, from: body)
        let forfeit = Forfeit(date: try RequestBodies.date(f.date))
        return Event(eventId: try eventId(f.eventId), itemId: f.itemId, action: .forfeit(forfeit))
    }

    /// The shared path of every write: media type, idempotency, parsing, validation, fraud
    /// check, publish.
    private func write(_ request: HTTPRequest, _ parse: ([UInt8]) throws(RequestError) -> Event) async
        -> HTTPResponse
    {
        let requestId = Self.requestId(request.headers["X-Request-Id"])
        var response = await answer(request, requestId: requestId, parse)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestId)
        return response
    }

    private func answer(
        _ request: HTTPRequest, requestId: String, _ parse: ([UInt8]) throws(RequestError) -> Event
    ) async -> HTTPResponse {
        guard Self.isJSON(request.headers["Content-Type"]) else {
            return ErrorBody.response(
                .unsupportedMediaType, code: "unsupportedMediaType",
                message: "send the body as application/json")
        }
        guard let key = request.headers["Idempotency-Key"] else {
            return await accept(request, requestId: requestId, parse)
        }
        guard Self.isToken(key, maxLength: 255) else {
            return ErrorBody.response(
                .badRequest, code: "invalidHeader",
                message: "Idempotency-Key must be 1–255 visible ASCII characters",
                field: "Idempotency-Key")
        }
        // A hash of method, path and body: the store never holds the body itself.
        let fingerprint = SHA256.hex(
            Array(request.method.rawValue.utf8) + [0] + Array(request.path.utf8) + [0] + request.body)
        let claim: IdempotencyClaim
        do { claim = try await idempotency.claim(key, fingerprint: fingerprint) } catch {
            return ErrorBody.response(
                .serviceUnavailable, code: "idempotencyUnavailable",
                message: "the Idempotency-Key cannot be checked now: \(error.message)")
        }
        switch claim {
        case .replay(let answer):
            return HTTPResponse(
                status: HTTPStatus(
                    code: answer.status, reason: answer.status == 202 ? "Accepted" : "Replayed"),
                headers: ["Content-Type": answer.contentType], body: answer.body)
        case .inProgress:
            return ErrorBody.response(
                .conflict, code: "idempotencyKeyInUse",
                message: "a request with this Idempotency-Key is still being answered")
        case .mismatch:
            return ErrorBody.response(
                .unprocessableContent, code: "idempotencyKeyReused",
                message: "this Idempotency-Key was used for a different request")
        case .proceed:
            let response = await accept(request, requestId: requestId, parse)
            do {
                if response.status.code >= 500 {
                    try await idempotency.abandon(key, fingerprint: fingerprint)
                } else {
                    let answer = StoredAnswer(
                        status: response.status.code, contentType: response.headers["Content-Type"] ?? "",
                        body: response.body)
                    try await idempotency.finish(key, fingerprint: fingerprint, answer: answer)
                }
            } catch {
                // The event is taken; only a retry's replay is lost (it gets 409 until the
                // claim expires, then is taken again, with the same eventId when it names one).
                Self.logger.warning(
                    "cannot store the answer to an Idempotency-Key: \(error)",
                    ["idempotency_key": .string(key)])
            }
            return response
        }
    }

    /// Runs `answer` in `request`'s trace, as a server span of `route` (the template): the
    /// client's `traceparent` (and `tracestate`) when well-formed, continued with this
    /// request's span, else a new trace; the answer carries `traceparent` with this span's id.
    static func traced(_ request: HTTPRequest, route: String, _ answer: () async -> HTTPResponse) async
        -> HTTPResponse
    {
        let parent = TraceContext(
            traceparent: request.headers[TraceContext.traceparentName],
            tracestate: request.headers[TraceContext.tracestateName])
        let span = Tracer.start(
            "\(request.method.rawValue) \(route)", kind: .server, parent: parent,
            attributes: [
                ("http.request.method", .string(request.method.rawValue)), ("http.route", .string(route)),
                ("url.path", .string(request.path)),
            ])
        var response = await TraceContext.$current.withValue(span.context) { await answer() }
        response.headers.replaceOrAdd(name: TraceContext.traceparentName, value: span.context.traceparent)
        let status = response.status.code
        span.end(
            status: status >= 500 ? .error("HTTP \(status)") : .unset,
            [("http.response.status_code", .int(Int64(status)))])
        return response
    }

    /// A write event's record headers: its id, and `context` (by default the current
    /// request's), which the worker continues and records with the event.
    static func recordHeaders(eventId: String, context: TraceContext? = TraceContext.current) -> [String:
        String]
    {
        var headers = [Topics.eventIdHeader: eventId]
        if let context {
            headers[TraceContext.traceparentName] = context.traceparent
            if !context.traceState.isEmpty { headers[TraceContext.tracestateName] = context.traceState }
        }
        return headers
    }

    private func accept(
        _ request: HTTPRequest, requestId: String, _ parse: ([UInt8]) throws(RequestError) -> Event
    ) async -> HTTPResponse {
        let receivedAt = WallClock.microseconds()
        return await decide(request, parse) { event, topic, outcome, status in
            self.audit(
                requestId: requestId, route: request.path, event: event, topic: topic, outcome: outcome,
                status: status, receivedAt: receivedAt)
        }
    }

    /// The answer to a write; `audit` is called for the requests that reach the fraud check.
    private func decide(
        _ request: HTTPRequest, _ parse: ([UInt8]) throws(RequestError) -> Event,
        audit: (Event, String, Wire.AuditOutcome, Int) -> Void
    ) async -> HTTPResponse {
        let event: Event
        do {
            event = try parse(request.body).validated()
        } catch let error as RequestError {
            return error.response
        } catch let error as ValidationError {
            return RequestError(error).response
        } catch {
            return ErrorBody.response(.badRequest, code: "badRequest", message: "\(error)")
        }
        if let client = event.action.clientId {
            do {
                if try await fraudList.contains(client) {
                    audit(event, "", .refused, 403)
                    return ErrorBody.response(
                        .forbidden, code: "fraudulentClient", message: "client \(client) is not served here",
                        field: event.action.kind == .add ? "owner" : "clientId")
                }
            } catch {
                return ErrorBody.response(
                    .serviceUnavailable, code: "fraudListUnavailable",
                    message: "the fraud list cannot be checked now")
            }
        }
        let (topic, value) = WireMapping.record(for: event)
        // The publish, a producer span whose context the record carries to the worker.
        let publish = Tracer.start(
            "\(topic) publish", kind: .producer,
            attributes: [
                ("messaging.system", "kafka"), ("messaging.destination.name", .string(topic)),
                ("messaging.operation.type", "send"), ("messaging.message.id", .string(event.eventId)),
            ])
        let headers = Self.recordHeaders(eventId: event.eventId, context: publish.context)
        let started = ContinuousClock.now
        do {
            let outcome = try await log.take(topic: topic, key: event.itemId, value: value, headers: headers)
            metrics.observe(
                .publish, ["topic": topic, "outcome": outcome == .parked ? "parked" : "accepted"],
                seconds: started.duration(to: .now).seconds)
            publish.end(status: .unset, [("pawnshop.parked", .bool(outcome == .parked))])
            audit(event, topic, outcome == .parked ? .parked : .accepted, 202)
        } catch {
            metrics.observe(
                .publish, ["topic": topic, "outcome": "failed"], seconds: started.duration(to: .now).seconds)
            publish.end(status: .error(error.message))
            return ErrorBody.response(
                .serviceUnavailable, code: "eventLogUnavailable",
                message: "the event could not be stored: \(error.message)")
        }
        do { try await idempotency.noteAccepted(eventId: event.eventId) } catch {
            Self.logger.warning(
                "cannot note the event as accepted: \(error)",
                ["event_id": .string(event.eventId), "item_id": .string(event.itemId)])
        }
        return ResponseBodies.json(
            .accepted, ResponseBodies.AcceptedJSON(eventId: event.eventId, itemId: event.itemId))
    }

    /// Records the request on `long_term_storage`, in the background: the answer does not
    /// wait for it, and a failure to record is logged, not returned.
    private func audit(
        requestId: String, route: String, event: Event, topic: String, outcome: Wire.AuditOutcome,
        status: Int, receivedAt: Int64
    ) {
        var record = Wire.AuditRecord()
        record.requestId = requestId
        record.route = route
        record.clientId = event.action.clientId ?? ""
        record.eventId = event.eventId
        record.itemId = event.itemId
        record.outcome = outcome
        record.status = Int32(status)
        record.receivedAtMicros = receivedAt
        record.answeredAtMicros = WallClock.microseconds()
        record.topic = topic
        let bytes = record.serializedBytes()
        let log = self.log
        let headers = Self.recordHeaders(eventId: event.eventId)
        Task {
            do {
                _ = try await log.publish(
                    topic: Topics.longTermStorage, key: event.itemId, value: bytes, headers: headers)
            } catch {
                Dispatcher.logger.warning(
                    "cannot record the request on \(Topics.longTermStorage): \(error)",
                    ["request_id": .string(requestId), "event_id": .string(event.eventId)])
            }
        }
    }

    /// The client's `X-Request-Id` when it is 1–128 visible ASCII characters, else a new one.
    static func requestId(_ given: String?) -> String {
        if let given, isToken(given, maxLength: 128) { return given }
        return UUID().uuidString.lowercased()
    }

    /// Whether `text` is 1…`maxLength` visible ASCII characters (a header-borne id).
    static func isToken(_ text: String, maxLength: Int) -> Bool {
        !text.isEmpty && text.utf8.count <= maxLength && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    private func eventId(_ given: String?) throws(RequestError) -> String {
        guard let given else { return UUID().uuidString.lowercased() }
        do {
            return try Validation.identifier(given, field: "eventId")
        } catch {
            throw RequestError(error)
        }
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media =
            contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingASCIIWhitespace() }
            ?? ""
        return HTTPHeaders.equalsIgnoringCase(media, "application/json")
    }

    // MARK: - Reads

    private func fetchOne(_ id: String) async -> HTTPResponse {
        do {
            _ = try Validation.identifier(id, field: "id")
        } catch {
            return RequestError(error).response
        }
        do {
            guard
                let history = try await workers.read({ (worker) throws(WorkerError) in
                    try await worker.fetchItem(id: id)
                })
            else {
                return ErrorBody.response(
                    .notFound, code: "itemNotFound", message: "there is no item with id \(id)")
            }
            return ResponseBodies.json(.ok, ResponseBodies.HistoryJSON(history))
        } catch {
            return workerFailure(error)
        }
    }

    private func fetch(_ request: HTTPRequest) async -> HTTPResponse {
        let filters = ["id", "name", "category", "state", "status"].filter { request.queryValue($0) != nil }
        guard filters.count == 1, let name = filters.first, let value = request.queryValue(name) else {
            return ErrorBody.response(
                .badRequest, code: "invalidQuery",
                message: "give exactly one of id, name, category, state or status",
                field: filters.count > 1 ? filters[1] : "id")
        }
        if name == "id" { return await fetchOne(value) }
        let filter: ItemFilter
        var limit = 10
        var after: String? = nil
        do {
            switch name {
            case "name": filter = .name(try Validation.name(value))
            case "category":
                filter = .category(
                    try RequestBodies.parse(
                        value, field: "category", Category.init(name:), allowed: Category.allCases.map(\.name)
                    ))
            case "state":
                filter = .condition(
                    try RequestBodies.parse(
                        value, field: "state", Condition.init(name:), allowed: Condition.allCases.map(\.name))
                )
            default:
                filter = .status(
                    try RequestBodies.parse(
                        value, field: "status", ItemStatus.init(name:),
                        allowed: ItemStatus.allCases.map(\.name)))
            }
            if let text = request.queryValue("limit") {
                guard let parsed = Int(text), (1...1000).contains(parsed) else {
                    throw RequestError(
                        .badRequest, "invalidQuery", "limit must be an integer from 1 to 1000", field: "limit"
                    )
                }
                limit = parsed
            }
            if let text = request.queryValue("after") {
                after = try Validation.identifier(text, field: "after")
            }
        } catch let error as RequestError {
            return error.response
        } catch let error as ValidationError {
            return RequestError(error).response
        } catch {
            return ErrorBody.response(.badRequest, code: "invalidQuery", message: "\(error)")
        }
        do {
            let page = try await workers.read { (worker) throws(WorkerError) in
                try await worker.fetchItems(matching: filter, limit: limit, after: after)
            }
            return ResponseBodies.json(
                .ok,
                ResponseBodies.PageJSON(items: page.items.map(ResponseBodies.ItemJSON.init), next: page.next))
        } catch {
            return workerFailure(error)
        }
    }

    private func event(_ eventId: String) async -> HTTPResponse {
        do {
            _ = try Validation.identifier(eventId, field: "eventId")
        } catch {
            return RequestError(error).response
        }
        do {
            let report = try await workers.read { (worker) throws(WorkerError) in
                try await worker.eventStatus(eventId: eventId)
            }
            if report.state == .pending {
                let known: Bool
                do { known = try await idempotency.wasAccepted(eventId: eventId) } catch {
                    return ErrorBody.response(
                        .serviceUnavailable, code: "eventStatusUnavailable",
                        message: "whether the event was accepted cannot be read now: \(error.message)")
                }
                if !known {
                    return ErrorBody.response(
                        .notFound, code: "eventNotFound", message: "no event with id \(eventId) was accepted")
                }
            }
            return ResponseBodies.json(
                .ok,
                ResponseBodies.EventJSON(
                    eventId: eventId, status: report.state.rawValue, itemId: report.itemId,
                    code: report.rejection?.code.rawValue,
                    reason: report.rejection?.message, traceId: report.traceId))
        } catch {
            return workerFailure(error)
        }
    }

    private func workerFailure(_ error: WorkerError) -> HTTPResponse {
        switch error.code {
        case .deadlineExceeded:
            ErrorBody.response(.gatewayTimeout, code: "workerTimeout", message: error.message)
        default:
            ErrorBody.response(.serviceUnavailable, code: "noWorkerAvailable", message: error.message)
        }
    }

    private func ready() async -> HTTPResponse {
        let status = await log.status()
        let count = workers.readyCount
        struct Readiness: Encodable {
            var status: String
            var eventLog: Bool
            var workers: Int
            /// Joined workers whose pipeline is stalled (reads still work; writes wait).
            var workersStalled: Int
            var parked: Int?
            /// Why re-publishing parked events fails now, while it does.
            var republishError: String?
            var deadLetters: Int?
            var fraudList: String?
        }
        // With a parking lot, writes are taken (and kept) while Kafka is away.
        let ok = status.takesWrites && count > 0
        return ResponseBodies.json(
            ok ? .ok : .serviceUnavailable,
            Readiness(
                status: ok ? "ready" : "notReady", eventLog: status.reachable, workers: count,
                workersStalled: workers.stalledCount,
                parked: status.parking?.waiting, republishError: status.parking?.republishError,
                deadLetters: status.parking?.deadLetters, fraudList: fraudList.status?.summary))
    }
}
