import PawnDomain

/// An event as the item's history records it.
public struct StoredEvent: Sendable, Hashable {
    /// What became of it.
    public enum Outcome: Sendable, Hashable {
        case applied
        case rejected(Rejection)
    }

    /// The event as recorded (trimmed text, a sale's profit filled in).
    public var event: Event
    public var outcome: Outcome
    /// The event's place in its item's order (the event log's offset).
    public var sequence: Int64

    public init(event: Event, outcome: Outcome, sequence: Int64) {
        self.event = event
        self.outcome = outcome
        self.sequence = sequence
    }
}

/// An item and its whole history, in event order.
public struct ItemHistory: Sendable, Hashable {
    public var item: Item
    public var events: [StoredEvent]

    public init(item: Item, events: [StoredEvent]) {
        self.item = item
        self.events = events
    }
}

/// One equality filter of a fetch query.
public enum ItemFilter: Sendable, Hashable {
    case name(String)
    case category(Category)
    case condition(Condition)
    case status(ItemStatus)
}

/// A page of items in id order; `next` is the cursor for the following page.
public struct ItemPage: Sendable, Hashable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// Why the store refused an operation.
public struct ItemStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The item's version is not the one the update was based on.
        case versionConflict
        /// The store cannot be reached; retrying may succeed.
        case unavailable
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
}
