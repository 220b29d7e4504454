import PawnDomain

/// An event as the item's history records it.
public struct StoredEvent: Sendable, Hashable {
    /// What became of it.
    public enum Outcome: Sendable, Hashable {
        /// The event changed its item.
        case applied
        /// The state machine refused the event, for this reason.
        case rejected(Rejection)
    }

    /// The event as recorded (trimmed text, a sale's profit filled in).
    public var event: Event
    /// Whether it was applied or rejected.
    public var outcome: Outcome
    /// The event's place in its item's order (the event log's offset).
    public var sequence: Int64
    /// The W3C trace id (32 hex digits) of the request that published the event, when its
    /// record carried a `traceparent`.
    public var traceId: String?

    /// An event as recorded.
    public init(event: Event, outcome: Outcome, sequence: Int64, traceId: String? = nil) {
        self.event = event
        self.outcome = outcome
        self.sequence = sequence
        self.traceId = traceId
    }
}

/// An item and its whole history, in event order.
public struct ItemHistory: Sendable, Hashable {
    /// The item as it is now.
    public var item: Item
    /// Every event of the item, applied or rejected, in event order.
    public var events: [StoredEvent]

    /// An item and its events.
    public init(item: Item, events: [StoredEvent]) {
        self.item = item
        self.events = events
    }
}

/// One equality filter of a fetch query.
public enum ItemFilter: Sendable, Hashable {
    /// Items with exactly this name.
    case name(String)
    /// Items of this category.
    case category(Category)
    /// Items in this physical condition (`state`).
    case condition(Condition)
    /// Items at this point of their lifecycle.
    case status(ItemStatus)
}

/// A page of items in id order; `next` is the cursor for the following page.
public struct ItemPage: Sendable, Hashable {
    /// The items of the page, in id order.
    public var items: [Item]
    /// The cursor for the next page (the last id here), or `nil` on the last page.
    public var next: String?

    /// A page.
    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// Why the store refused an operation.
public struct ItemStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The item's version is not the one the update was based on.
        public static let versionConflict = Code(rawValue: "versionConflict")
        /// The store cannot be reached; retrying may succeed.
        public static let unavailable = Code(rawValue: "unavailable")
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

/// Where items and their events live: MongoDB in production, memory in the embedded default.
public protocol ItemStore: Sendable {
    /// The item with `id`, if any.
    func item(id: String) async throws(ItemStoreError) -> Item?

    /// Stores `item` if the stored version is `expectedVersion` (0: no item yet); otherwise
    /// throws ``ItemStoreError/Code/versionConflict``.
    func save(_ item: Item, expectedVersion: Int64) async throws(ItemStoreError)

    /// Records an event in its item's history; returns `false` (and changes nothing) when
    /// an event with that id is already recorded.
    @discardableResult
    func record(_ event: StoredEvent) async throws(ItemStoreError) -> Bool

    /// The recorded event with `eventId`, if any.
    func event(id eventId: String) async throws(ItemStoreError) -> StoredEvent?

    /// The item with its history in event order; `nil` when there is no item. Events
    /// recorded for an id that never became an item (rejected adds aside) are not returned.
    func history(itemId: String) async throws(ItemStoreError) -> ItemHistory?

    /// Items matching `filter` in id order, at most `limit`, strictly after id `after`.
    func items(matching filter: ItemFilter, limit: Int, after: String?) async throws(ItemStoreError)
        -> ItemPage

    // Batch operations: one round trip per batch where the store can (bulk writes in
    // MongoDB); the defaults below go one by one.

    /// The stored items among `ids`, by id.
    func items(ids: [String]) async throws(ItemStoreError) -> [String: Item]

    /// The ids of those of `events` that are already recorded.
    func recordedEventIds(among events: [Event]) async throws(ItemStoreError) -> Set<String>

    /// Applies every write whose expected version matches; returns the ids of the items
    /// whose write was refused for a version conflict (those items are unchanged).
    func save(_ writes: [ItemWrite]) async throws(ItemStoreError) -> Set<String>

    /// Records `events`, skipping those already recorded; returns how many were new.
    func record(_ events: [StoredEvent]) async throws(ItemStoreError) -> Int

    /// Lets go of the store's connections; nothing is asked of it afterwards.
    func close()

    /// The database behind the store, as OpenTelemetry's `db.system` names it (`mongodb`), or
    /// `nil` for memory: what the worker's spans of its store calls say.
    var databaseSystem: String? { get }
}

/// One conditional item write of a batch: store `item` if the stored version is
/// `expectedVersion` (0: no item yet).
public struct ItemWrite: Sendable, Hashable {
    /// The item as it should be stored.
    public var item: Item
    /// The version the write was based on.
    public var expectedVersion: Int64

    /// A conditional write.
    public init(item: Item, expectedVersion: Int64) {
        self.item = item
        self.expectedVersion = expectedVersion
    }
}

/// The batch operations' defaults call the single-item operations one by one, which is
/// what an in-memory store wants anyway; ``close()`` does nothing.
extension ItemStore {
    /// Memory: no database.
    public var databaseSystem: String? { nil }

    public func items(ids: [String]) async throws(ItemStoreError) -> [String: Item] {
        var found: [String: Item] = [:]
        for id in ids { if let item = try await item(id: id) { found[id] = item } }
        return found
    }

    public func recordedEventIds(among events: [Event]) async throws(ItemStoreError) -> Set<String> {
        var recorded: Set<String> = []
        for candidate in events where try await event(id: candidate.eventId) != nil {
            recorded.insert(candidate.eventId)
        }
        return recorded
    }

    public func save(_ writes: [ItemWrite]) async throws(ItemStoreError) -> Set<String> {
        var conflicts: Set<String> = []
        for write in writes {
            do { try await save(write.item, expectedVersion: write.expectedVersion) } catch {
                guard error.code == .versionConflict else { throw error }
                conflicts.insert(write.item.id)
            }
        }
        return conflicts
    }

    public func record(_ events: [StoredEvent]) async throws(ItemStoreError) -> Int {
        var fresh = 0
        for event in events where try await record(event) { fresh += 1 }
        return fresh
    }

    /// Nothing to let go of.
    public func close() {}
}
