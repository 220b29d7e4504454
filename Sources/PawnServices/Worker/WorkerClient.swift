import PawnAdapters
import PawnDomain

/// What became of an event, as `GET /event/{id}` reports it.
public struct EventStatusReport: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case pending, applied, rejected
    }

    public var state: State
    public var itemId: String?
    /// Why it was rejected.
    public var rejection: Rejection?

    public init(state: State, itemId: String? = nil, rejection: Rejection? = nil) {
        self.state = state
        self.itemId = itemId
        self.rejection = rejection
    }
}

/// Why a worker could not answer.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The worker cannot be reached or is not serving; another may answer.
        case unavailable
        /// The worker took too long.
        case deadlineExceeded
        /// Anything else.
        case failed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The reads a dispatcher asks of a worker: in process here, over gRPC from the gRPC issue on.
public protocol WorkerClient: Sendable {
    /// The item with its history, or `nil`.
    func fetchItem(id: String) async throws(WorkerError) -> ItemHistory?
    /// A page of items matching `filter`, in id order.
    func fetchItems(matching filter: ItemFilter, limit: Int, after: String?) async throws(WorkerError)
        -> ItemPage
    /// What became of an event (pending when the worker has not seen it).
    func eventStatus(eventId: String) async throws(WorkerError) -> EventStatusReport
}
