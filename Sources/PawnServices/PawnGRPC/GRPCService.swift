import PawnHPACK
import PawnProtocol

/// What a call's handler knows of it besides the request message.
public struct GRPCContext: Sendable {
    /// The request's metadata (custom headers; `-bin` values still base64 as sent).
    public var metadata: [HeaderField]
    /// When the client stops waiting, if it said.
    public var deadline: ContinuousClock.Instant?

    /// A context.
    public init(metadata: [HeaderField] = [], deadline: ContinuousClock.Instant? = nil) {
        self.metadata = metadata
        self.deadline = deadline
    }

    /// The first value of metadata key `name` (lowercase).
    public func value(_ name: String) -> String? { metadata.first { $0.name == name }?.value }
}

/// The outcome of a call: response messages (one for unary, several for server
/// streaming), the status, and trailing metadata.
public struct GRPCResult: Sendable {
    /// The response messages, encoded.
    public var messages: [[UInt8]]
    /// How the call ended.
    public var status: GRPCStatus
    /// Trailing metadata sent with the status.
    public var trailers: [HeaderField]

    /// A result.
    public init(messages: [[UInt8]] = [], status: GRPCStatus = .ok, trailers: [HeaderField] = []) {
        self.messages = messages
        self.status = status
        self.trailers = trailers
    }

    /// A failed call with no message.
    public static func failure(_ status: GRPCStatus) -> GRPCResult { GRPCResult(status: status) }
}

/// A gRPC service: its full name and a handler for each method.
public protocol GRPCService: Sendable {
    /// The service's full name (`pawnshop.v1.Worker`).
    var name: String { get }
    /// The method names it implements (`FetchItemById`).
    var methods: Set<String> { get }
    /// Handles one call of `method` with its request message.
    func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult
}

/// Unary calls with typed messages.
public enum GRPCUnary {
    /// Decodes the request (a malformed one is INVALID_ARGUMENT, naming the field), runs
    /// `body`, encodes the response.
    public static func handle<Request: ProtoMessage, Response: ProtoMessage>(
        _ bytes: [UInt8], _ body: (Request) async throws(GRPCStatus) -> Response
    ) async -> GRPCResult {
        let request: Request
        do {
            request = try Request(serializedBytes: bytes)
        } catch {
            return .failure(GRPCStatus(.invalidArgument, "malformed request: \(error)"))
        }
        do {
            return GRPCResult(messages: [try await body(request).serializedBytes()])
        } catch {
            return .failure(error)
        }
    }
}

/// The standard health service (`grpc.health.v1.Health/Check`): SERVING for the server
/// ("") and for each named service while `isServing` says so; NOT_FOUND for others.
public struct GRPCHealthService: GRPCService {
    public let name = "grpc.health.v1.Health"
    public let methods: Set<String> = ["Check"]
    let services: Set<String>
    let isServing: @Sendable () -> Bool

    /// A health service that knows `services` and asks `isServing` how the server is.
    public init(services: [String], isServing: @escaping @Sendable () -> Bool = { true }) {
        self.services = Set(services)
        self.isServing = isServing
    }

    public func call(_ method: String, request: [UInt8], context: GRPCContext) async -> GRPCResult {
        await GRPCUnary.handle(request) { (check: Wire.HealthCheckRequest) throws(GRPCStatus) in
            guard check.service.isEmpty || services.contains(check.service) else {
                throw GRPCStatus(.notFound, "unknown service \(check.service)")
            }
            return Wire.HealthCheckResponse(status: isServing() ? .serving : .notServing)
        }
    }
}
