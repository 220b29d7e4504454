import PawnDomain

/// What became of an event, as `GET /event/{id}` reports it.
public struct EventStatusReport: Sendable, Hashable {
    /// What can become of an event.
    public enum State: String, Sendable, Hashable {
        /// Accepted, not yet applied by a worker.
        case pending
        /// Applied to its item.
        case applied
        /// Refused by the state machine; ``EventStatusReport/rejection`` says why.
        case rejected
    }

    /// Pending, applied or rejected.
    public var state: State
    /// The event's item, once known.
    public var itemId: String?
    /// Why it was rejected.
    public var rejection: Rejection?
    /// The trace id of the request that published the event, once it is recorded.
    public var traceId: String?

    /// A report.
    public init(state: State, itemId: String? = nil, rejection: Rejection? = nil, traceId: String? = nil) {
        self.state = state
        self.itemId = itemId
        self.rejection = rejection
        self.traceId = traceId
    }
}

/// Why a worker could not answer.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The worker cannot be reached or is not serving; another may answer.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The worker took too long.
        public static let deadlineExceeded = Code(rawValue: "deadlineExceeded")
        /// Anything else.
        public static let failed = Code(rawValue: "failed")

        public var description: String { rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// A failure of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The reads a dispatcher asks of a worker: `Worker` itself in process, `GRPCWorkerClient` over gRPC.
public protocol WorkerClient: Sendable {
    /// The item with its history, or `nil`.
    func fetchItem(id: String) async throws(WorkerError) -> ItemHistory?
    /// A page of items matching `filter`, in id order.
    func fetchItems(matching filter: ItemFilter, limit: Int, after: String?) async throws(WorkerError)
        -> ItemPage
    /// What became of an event (pending when the worker has not seen it).
    func eventStatus(eventId: String) async throws(WorkerError) -> EventStatusReport

    /// Whether the worker says it serves (its health check); the default is `true`, for a
    /// worker in the same process.
    func isServing() async -> Bool

    /// The database its reads go to (``ItemStore/databaseSystem``); `nil` by default.
    var databaseSystem: String? { get }

    /// Lets go of the connection to the worker; no call is made afterwards. The default
    /// does nothing.
    func close()
}

extension WorkerClient {
    /// Unknown: `nil`.
    public var databaseSystem: String? { nil }

    /// In process: always serving.
    public func isServing() async -> Bool { true }

    /// Nothing to let go of.
    public func close() {}
}
