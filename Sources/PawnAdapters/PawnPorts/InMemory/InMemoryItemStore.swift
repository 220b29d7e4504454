import PawnDomain
import PawnIO

/// Items and their events in memory, answering the same queries as the MongoDB store:
/// equality filters, a limit, and a cursor after an id, in id order.
public final class InMemoryItemStore: ItemStore {
    private let state = Locked(State())

    private struct State: ~Copyable {
        var items: [String: Item] = [:]
        var events: [String: StoredEvent] = [:]
        var eventsByItem: [String: [String]] = [:]
    }

    public init() {}

    public func item(id: String) async throws(ItemStoreError) -> Item? {
        state.withLock { $0.items[id] }
    }

    public func save(_ item: Item, expectedVersion: Int64) async throws(ItemStoreError) {
        try state.withLock { (state) throws(ItemStoreError) in
            let current = state.items[item.id]?.version ?? 0
            guard current == expectedVersion else {
                throw ItemStoreError(
                    .versionConflict, "item \(item.id) is at version \(current), not \(expectedVersion)")
            }
            state.items[item.id] = item
        }
    }

    @discardableResult
    public func record(_ event: StoredEvent) async throws(ItemStoreError) -> Bool {
        state.withLock { state in
            let id = event.event.eventId
            guard state.events[id] == nil else { return false }
            state.events[id] = event
            state.eventsByItem[event.event.itemId, default: []].append(id)
            return true
        }
    }

    public func event(id eventId: String) async throws(ItemStoreError) -> StoredEvent? {
        state.withLock { $0.events[eventId] }
    }

    public func history(itemId: String) async throws(ItemStoreError) -> ItemHistory? {
        state.withLock { state in
            guard let item = state.items[itemId] else { return nil }
            let events = (state.eventsByItem[itemId] ?? []).compactMap { state.events[$0] }
                .sorted { $0.sequence < $1.sequence }
            return ItemHistory(item: item, events: events)
        }
    }

    public func items(matching filter: ItemFilter, limit: Int, after: String?) async throws(ItemStoreError)
        -> ItemPage
    {
        state.withLock { state in
            let matching = state.items.values.filter { item in
                if let after, item.id <= after { return false }
                switch filter {
                case .name(let name): return item.name == name
                case .category(let category): return item.category == category
                case .condition(let condition): return item.condition == condition
                case .status(let status): return item.status == status
                }
            }
            .sorted { $0.id < $1.id }
            let page = Array(matching.prefix(limit))
            let next = matching.count > limit ? page.last?.id : nil
            return ItemPage(items: page, next: next)
        }
    }

    /// How many items and events the store holds, for tests.
    public var counts: (items: Int, events: Int) { state.withLock { ($0.items.count, $0.events.count) } }
}
