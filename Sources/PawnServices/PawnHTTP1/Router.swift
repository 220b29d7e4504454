import PawnIO
import PawnLog
import PawnTrace

/// Path parameters captured by a route (`/item/fetch/{id}` → `["id": "ring-1"]`).
public struct PathParameters: Sendable {
    var values: [(String, String)] = []

    /// The value captured for `{name}`.
    public subscript(name: String) -> String? { values.first { $0.0 == name }?.1 }
}

/// A small router: literal and `{parameter}` segments, 404 for an unknown path and 405 (with
/// `Allow`) for a known path asked with the wrong method.
public struct Router: HTTPHandler {
    /// A route's handler: the request and its path parameters in, a response out.
    public typealias Handler = @Sendable (HTTPRequest, PathParameters) async -> HTTPResponse

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: HTTPMethod
        let pattern: String
        let segments: [Segment]
        let handler: Handler
    }

    private var routes: [Route] = []
    /// Called with each request's route pattern (or `nil` when none matched), status and
    /// duration in seconds, for metrics.
    private let observer: (@Sendable (String?, HTTPMethod, Int, Double) -> Void)?
    private let errorResponse: HTTPErrorResponder

    /// An empty router; `observer` sees each request's route, method, status and duration,
    /// and `errorResponse` words its 404 and 405 answers.
    public init(
        errorResponse: @escaping HTTPErrorResponder = HTTPErrorResponses.plainText,
        observer: (@Sendable (String?, HTTPMethod, Int, Double) -> Void)? = nil
    ) {
        self.errorResponse = errorResponse
        self.observer = observer
    }

    /// Adds a route.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}")
                ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    /// Routes `request`; tells the observer, and writes the access line when the log's
    /// `Log.accessLog` (PawnLog) is on (method, route template, status, duration, body bytes in and
    /// out, the answer's `X-Request-Id`).
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let (pattern, response) = await route(request)
        let accessLog = Log.accessLog
        if observer != nil || accessLog {
            let seconds = started.duration(to: .now).seconds
            observer?(pattern, request.method, response.status.code, seconds)
            if accessLog { Self.logAccess(request, pattern, response, seconds) }
        }
        return response
    }

    private static let accessLogger = Logger(["component": "http"])

    private static func logAccess(
        _ request: HTTPRequest, _ pattern: String?, _ response: HTTPResponse, _ seconds: Double
    ) {
        var logger = accessLogger
        if let id = response.headers["X-Request-Id"] ?? request.headers["X-Request-Id"] {
            logger = logger.with("request_id", .string(id))
        }
        if let trace = TraceContext(traceparent: response.headers[TraceContext.traceparentName]) {
            logger = logger.with("trace_id", .string(trace.traceID.hex))
        }
        logger.info(
            "http request",
            [
                "http.request.method": .string(request.method.rawValue),
                "http.route": .string(pattern ?? "unmatched"),
                "http.response.status_code": .int(response.status.code),
                "duration_ms": .double(seconds * 1_000),
                "bytes_in": .int(request.body.count),
                "bytes_out": .int(response.body.count),
            ])
    }

    private func route(_ request: HTTPRequest) async -> (String?, HTTPResponse) {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = match(route.segments, parts) else { continue }
            if route.method == request.method || (request.method == .head && route.method == .get) {
                return (route.pattern, await route.handler(request, parameters))
            }
            allowed.append(route.method)
        }
        if allowed.isEmpty {
            return (
                nil, errorResponse(.notFound, "notFound", "no route for \(request.path)")
            )
        }
        var response = errorResponse(
            .methodNotAllowed, "methodNotAllowed",
            "\(request.method) is not allowed on \(request.path); use \(allowed.map(\.rawValue).joined(separator: ", "))"
        )
        response.headers.add(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
        return (nil, response)
    }

    private func match(_ segments: [Segment], _ parts: [Substring]) -> PathParameters? {
        guard segments.count == parts.count else { return nil }
        var parameters = PathParameters()
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): if text != part { return nil }
            case .parameter(let name): parameters.values.append((name, String(part)))
            }
        }
        return parameters
    }
}
