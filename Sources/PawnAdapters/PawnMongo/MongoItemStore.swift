import PawnBSON
import PawnDomain
import PawnPorts

/// Items and their events in MongoDB (SPEC §5): the `items` collection and one collection
/// per action kind, with `add` events in `addActions` (SPEC names no collection for them).
///
/// Every operation is a job on the client pool's own threads; batch operations take one
/// round trip per collection they touch. Item writes are conditional on `version`: an
/// update replaces the document matching `{id, version: expected}`, and a first write
/// (expected version 0) is an insert that the unique `id` index refuses when the item
/// exists. Events are unique by `eventId` within their collection (a unique index), so a
/// redelivered event is recorded once.
public final class MongoItemStore: ItemStore {
    /// The pool the store runs on.
    public let pool: MongoClientPool

    private init(pool: MongoClientPool) { self.pool = pool }

    /// `mongodb`.
    public var databaseSystem: String? { "mongodb" }

    /// Connects to the configured server and creates the collections' indexes (a no-op
    /// when they exist). Throws `ItemStoreError.Code.unavailable` when no server answers
    /// within the server selection timeout.
    public static func start(_ configuration: MongoConfiguration) async throws(ItemStoreError)
        -> MongoItemStore
    {
        let store = MongoItemStore(pool: try MongoClientPool(configuration))
        do {
            try await store.createIndexes()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// Lets running operations finish and closes the connections.
    public func close() { pool.close() }

    /// Drops the store's whole database: for tests and tooling, never called by the service.
    public func dropDatabase() async throws(ItemStoreError) {
        _ = try await pool.runCommand(["dropDatabase": .int32(1)])
    }

    private func createIndexes() async throws(ItemStoreError) {
        try await pool.withConnection("creating indexes") { connection throws(ItemStoreError) in
            for command in MongoSchema.indexCommands {
                _ = try connection.command(
                    command, what: "createIndexes on \(command["createIndexes"]?.stringValue ?? "?")")
            }
        }
    }

    // MARK: - Items

    public func item(id: String) async throws(ItemStoreError) -> Item? {
        try await pool.withConnection("item lookup") { connection throws(ItemStoreError) in
            let found = try connection.find(
                MongoSchema.items, ["id": .string(id)], options: ["limit": .int64(1)])
            return try found.first.map { (document) throws(ItemStoreError) in
                try MongoDocuments.item(document)
            }
        }
    }

    public func items(ids: [String]) async throws(ItemStoreError) -> [String: Item] {
        guard !ids.isEmpty else { return [:] }
        return try await pool.withConnection("items lookup") { connection throws(ItemStoreError) in
            try Self.items(ids: ids, connection)
        }
    }

    private static func items(ids: [String], _ connection: MongoConnection) throws(ItemStoreError) -> [String:
        Item]
    {
        let filter: BSONDocument = ["id": .document(["$in": .array(ids.map(BSONValue.string))])]
        var found: [String: Item] = [:]
        for document in try connection.find(MongoSchema.items, filter) {
            let item = try MongoDocuments.item(document)
            found[item.id] = item
        }
        return found
    }

    public func save(_ item: Item, expectedVersion: Int64) async throws(ItemStoreError) {
        let conflicts = try await save([ItemWrite(item: item, expectedVersion: expectedVersion)])
        guard conflicts.isEmpty else {
            throw ItemStoreError(
                .versionConflict,
                expectedVersion == 0
                    ? "item \(item.id) already exists"
                    : "item \(item.id) is not at version \(expectedVersion)")
        }
    }

    /// One unordered bulk write: an insert for each new item (expected version 0), a
    /// replacement filtered on `{id, version: expected}` for the others. An insert refused
    /// as a duplicate `id` is a conflict. The bulk reply counts matched replacements but
    /// does not say which, so when some did not match the items are read back, and a
    /// write counts as applied only when the stored item is the one written: a refused
    /// write is never reported as applied (two writes of one batch to the same item may
    /// be reported as conflicts although one of them landed; retrying those is a replay).
    public func save(_ writes: [ItemWrite]) async throws(ItemStoreError) -> Set<String> {
        guard !writes.isEmpty else { return [] }
        var operations: [MongoConnection.Write] = []
        for write in writes {
            let document = try MongoDocuments.document(write.item)
            if write.expectedVersion == 0 {
                operations.append(.insert(document))
            } else {
                let filter: BSONDocument = [
                    "id": .string(write.item.id), "version": .int64(write.expectedVersion),
                ]
                operations.append(.replaceOne(filter: filter, replacement: document))
            }
        }
        let replacements = writes.count(where: { $0.expectedVersion != 0 })
        return try await pool.withConnection("item save") { [operations] connection throws(ItemStoreError) in
            let result = try connection.bulkWrite(MongoSchema.items, operations, ordered: false)
            var conflicts: Set<String> = []
            for failure in result.writeErrors {
                guard writes.indices.contains(failure.index), failure.code == 11000 else {
                    throw ItemStoreError(
                        .failed, "MongoDB refused an item write: \(failure.message) (\(failure.code))")
                }
                conflicts.insert(writes[failure.index].item.id)
            }
            if result.matched < replacements {
                let replaced = writes.filter { $0.expectedVersion != 0 }
                let stored = try Self.items(ids: replaced.map(\.item.id), connection)
                for write in replaced where stored[write.item.id] != write.item {
                    conflicts.insert(write.item.id)
                }
            }
            return conflicts
        }
    }

    public func items(matching filter: ItemFilter, limit: Int, after: String?) async throws(ItemStoreError)
        -> ItemPage
    {
        guard limit > 0 else { return ItemPage(items: [], next: nil) }
        var query: BSONDocument
        switch filter {
        case .name(let name): query = ["name": .string(name)]
        case .category(let category): query = ["category": .string(category.name)]
        case .condition(let condition): query = ["state": .string(condition.name)]
        case .status(let status): query = ["status": .string(status.name)]
        }
        if let after { query["id"] = .document(["$gt": .string(after)]) }
        // One more than the page, to know whether there is a next page.
        let options: BSONDocument = ["sort": .document(["id": .int32(1)]), "limit": .int64(Int64(limit) + 1)]
        let documents = try await pool.withConnection("items query") {
            [query] connection throws(ItemStoreError) in
            try connection.find(MongoSchema.items, query, options: options)
        }
        var items: [Item] = []
        for document in documents.prefix(limit) { items.append(try MongoDocuments.item(document)) }
        return ItemPage(items: items, next: documents.count > limit ? items.last?.id : nil)
    }

    // MARK: - Events

    @discardableResult
    public func record(_ event: StoredEvent) async throws(ItemStoreError) -> Bool {
        try await record([event]) == 1
    }

    /// One unordered bulk insert per collection; an insert refused as a duplicate `eventId`
    /// is an event already recorded, not an error.
    public func record(_ events: [StoredEvent]) async throws(ItemStoreError) -> Int {
        var byCollection: [(collection: String, documents: [BSONDocument])] = []
        for stored in events {
            let collection = MongoSchema.collection(for: stored.event.action.kind)
            let document = try MongoDocuments.document(stored)
            if let index = byCollection.firstIndex(where: { $0.collection == collection }) {
                byCollection[index].documents.append(document)
            } else {
                byCollection.append((collection, [document]))
            }
        }
        guard !byCollection.isEmpty else { return 0 }
        return try await pool.withConnection("event record") {
            [byCollection] connection throws(ItemStoreError) in
            var fresh = 0
            for (collection, documents) in byCollection {
                let result = try connection.bulkWrite(
                    collection, documents.map { .insert($0) }, ordered: false)
                if let failure = result.writeErrors.first(where: { $0.code != 11000 }) {
                    throw ItemStoreError(
                        .failed,
                        "MongoDB refused an event in \(collection): \(failure.message) (\(failure.code))")
                }
                fresh += result.inserted
            }
            return fresh
        }
    }

    public func recordedEventIds(among events: [Event]) async throws(ItemStoreError) -> Set<String> {
        var byCollection: [String: [String]] = [:]
        for event in events {
            byCollection[MongoSchema.collection(for: event.action.kind), default: []].append(event.eventId)
        }
        guard !byCollection.isEmpty else { return [] }
        return try await pool.withConnection("event lookup") {
            [byCollection] connection throws(ItemStoreError) in
            var recorded: Set<String> = []
            for (collection, ids) in byCollection {
                let filter: BSONDocument = ["eventId": .document(["$in": .array(ids.map(BSONValue.string))])]
                let options: BSONDocument = [
                    "projection": .document(["eventId": .int32(1), "_id": .int32(0)])
                ]
                for document in try connection.find(collection, filter, options: options) {
                    if let id = document["eventId"]?.stringValue { recorded.insert(id) }
                }
            }
            return recorded
        }
    }

    /// Looks in each action collection in turn, on one connection, until one has it.
    public func event(id eventId: String) async throws(ItemStoreError) -> StoredEvent? {
        try await pool.withConnection("event lookup") { connection throws(ItemStoreError) in
            for collection in MongoSchema.actionCollections {
                let found = try connection.find(
                    collection, ["eventId": .string(eventId)], options: ["limit": .int64(1)])
                if let document = found.first { return try MongoDocuments.storedEvent(document) }
            }
            return nil
        }
    }

    /// The item, then each action collection's events for it, merged by `sequence`.
    public func history(itemId: String) async throws(ItemStoreError) -> ItemHistory? {
        try await pool.withConnection("history lookup") { connection throws(ItemStoreError) in
            let found = try connection.find(
                MongoSchema.items, ["id": .string(itemId)], options: ["limit": .int64(1)])
            guard let itemDocument = found.first else { return nil }
            let item = try MongoDocuments.item(itemDocument)
            var events: [StoredEvent] = []
            let options: BSONDocument = ["sort": .document(["sequence": .int32(1)])]
            for collection in MongoSchema.actionCollections {
                for document in try connection.find(collection, ["itemId": .string(itemId)], options: options)
                {
                    events.append(try MongoDocuments.storedEvent(document))
                }
            }
            // Stable, so that equal sequences keep their collection order.
            let ordered = events.enumerated().sorted {
                ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset)
            }
            return ItemHistory(item: item, events: ordered.map(\.element))
        }
    }
}
