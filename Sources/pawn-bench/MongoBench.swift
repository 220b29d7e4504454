// The pipeline's limit anchor: the same MongoDB server written by libmongoc directly, with
// the documents and indexes the worker's store uses, in bulk operations of `--batch`:
//   adds     per batch, one bulk insert of the new items and one of their add events
//   actions  per batch, one find of the items (their versions), one bulk of conditional
//            replacements ({id, version}) and one bulk insert of the sell events
//   mix      half adds of new items, half sells of existing ones, in the same batches
// Documents are encoded in the loop (as the worker must), with the domain's own `apply`.
// Prints `raw-mongo: WORKLOAD N events in S s: R events/s`.
import CMongoc
import Glibc
import PawnBSON
import PawnDomain

/// One batch's worth of libmongoc calls, on one client (a single thread: no pool).
private final class RawMongo {
    let client: OpaquePointer
    let uri: OpaquePointer
    let database: String

    init(uri text: String, database: String) {
        mongoc_init()
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(text, &error) else { fail("raw-mongo: bad URI \(text)") }
        guard let client = mongoc_client_new_from_uri_with_error(uri, &error) else {
            fail("raw-mongo: no client for \(text)")
        }
        self.uri = uri
        self.client = client
        self.database = database
    }

    deinit {
        mongoc_client_destroy(client)
        mongoc_uri_destroy(uri)
    }

    func withBSON<R>(_ document: BSONDocument, _ body: (OpaquePointer) -> R) -> R {
        let bytes = document.bytes
        guard let bson = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) })
        else {
            fail("raw-mongo: libbson refused a document")
        }
        defer { bson_destroy(bson) }
        return body(bson)
    }

    func command(_ command: BSONDocument) {
        var error = bson_error_t()
        let ok = withBSON(command) { mongoc_client_command_simple(client, database, $0, nil, nil, &error) }
        guard ok else { fail("raw-mongo: command failed: \(describe(error))") }
    }

    func collection(_ name: String) -> OpaquePointer {
        guard let collection = mongoc_client_get_collection(client, database, name) else {
            fail("raw-mongo: no collection \(name)")
        }
        return collection
    }

    enum Write {
        case insert(BSONDocument)
        case replace(filter: BSONDocument, replacement: BSONDocument)
    }

    /// One unordered bulk operation.
    func bulk(_ name: String, _ writes: [Write]) {
        guard !writes.isEmpty else { return }
        let collection = collection(name)
        defer { mongoc_collection_destroy(collection) }
        let bulk = withBSON(["ordered": .bool(false)]) {
            mongoc_collection_create_bulk_operation_with_opts(collection, $0)
        }
        guard let bulk else { fail("raw-mongo: no bulk operation") }
        defer { mongoc_bulk_operation_destroy(bulk) }
        var error = bson_error_t()
        for write in writes {
            let added: Bool
            switch write {
            case .insert(let document):
                added = withBSON(document) { mongoc_bulk_operation_insert_with_opts(bulk, $0, nil, &error) }
            case .replace(let filter, let replacement):
                added = withBSON(filter) { filterBSON in
                    withBSON(replacement) {
                        mongoc_bulk_operation_replace_one_with_opts(bulk, filterBSON, $0, nil, &error)
                    }
                }
            }
            guard added else { fail("raw-mongo: bulk refused a write: \(describe(error))") }
        }
        guard mongoc_bulk_operation_execute(bulk, nil, &error) != 0 else {
            fail("raw-mongo: bulk write failed: \(describe(error))")
        }
    }

    /// The documents of `collection` whose `id` is one of `ids`.
    func find(_ name: String, ids: [String]) -> [BSONDocument] {
        let collection = collection(name)
        defer { mongoc_collection_destroy(collection) }
        let filter: BSONDocument = ["id": .document(["$in": .array(ids.map { .string($0) })])]
        let cursor = withBSON(filter) { mongoc_collection_find_with_opts(collection, $0, nil, nil) }
        guard let cursor else { fail("raw-mongo: no cursor") }
        defer { mongoc_cursor_destroy(cursor) }
        var documents: [BSONDocument] = []
        var current: OpaquePointer?
        while mongoc_cursor_next(cursor, &current), let current, let data = bson_get_data(current) {
            var length = 0
            for index in 0..<4 { length |= Int(data[index]) << (8 * index) }
            guard
                let document = try? BSONDocument(
                    bytes: Array(UnsafeBufferPointer(start: data, count: length)))
            else { fail("raw-mongo: a document does not decode") }
            documents.append(document)
        }
        var error = bson_error_t()
        if mongoc_cursor_error(cursor, &error) { fail("raw-mongo: find failed: \(describe(error))") }
        return documents
    }

    func describe(_ error: bson_error_t) -> String {
        var copy = error
        let message = withUnsafeBytes(of: &copy.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return "\(message) (\(error.domain).\(error.code))"
    }
}

/// The indexes of the worker's store (MongoSchema: unique `id`, unique `eventId`, and the
/// history and query indexes), made before anything is written.
private func createIndexes(_ mongo: RawMongo) {
    func index(_ fields: [String], unique: Bool = false) -> BSONValue {
        var key = BSONDocument()
        for field in fields { key.append(field, .int32(1)) }
        var spec: BSONDocument = [
            "key": .document(key), "name": .string(fields.joined(separator: "_") + "_1"),
        ]
        if unique { spec["unique"] = .bool(true) }
        return .document(spec)
    }
    mongo.command([
        "createIndexes": .string("items"),
        "indexes": .array([
            index(["id"], unique: true), index(["name"]), index(["category"]), index(["state"]),
            index(["status"]),
        ]),
    ])
    for collection in [
        "addActions", "buyActions", "sellActions", "pawnActions", "redeemActions", "forfeitActions",
    ] {
        mongo.command([
            "createIndexes": .string(collection),
            "indexes": .array([index(["eventId"], unique: true), index(["itemId", "sequence"])]),
        ])
    }
}

private let benchDay = CalendarDate(iso8601: "2026-11-25")!

private func addEvent(_ id: String, run: UInt32, index: Int) -> Event {
    Event(
        eventId: "raw-\(run)-a\(index)", itemId: id,
        action: .add(
            AddItem(name: "Lamp", category: .decoration, price: 1_000, condition: .good, date: benchDay)))
}

private func sellEvent(_ id: String, run: UInt32, index: Int) -> Event {
    Event(
        eventId: "raw-\(run)-s\(index)", itemId: id,
        action: .sell(Sell(clientId: "client-\(index)", price: 1_500, date: benchDay)))
}

/// An event's document as the store writes it: the event, its sequence and its outcome.
private func eventDocument(_ event: Event, sequence: Int64) -> BSONDocument {
    guard var document = try? BSONEncoder().encode(event) else { fail("raw-mongo: an event does not encode") }
    document["sequence"] = .int64(sequence)
    document["outcome"] = .string("applied")
    return document
}

private func itemDocument(_ item: Item) -> BSONDocument {
    guard let document = try? BSONEncoder().encode(item) else { fail("raw-mongo: an item does not encode") }
    return document
}

private func applied(_ item: Item?, _ event: Event) -> Item {
    switch apply(item, event) {
    case .success(let item): return item
    case .failure(let rejection): fail("raw-mongo: the domain refused \(event.eventId): \(rejection)")
    }
}

func benchRawMongo(_ arguments: [String]) {
    let count = Int(option("--count", arguments, "10000"))!
    let batch = max(1, Int(option("--batch", arguments, "500"))!)
    let workload = option("--workload", arguments, "adds")
    guard ["adds", "actions", "mix"].contains(workload) else { fail("--workload is adds, actions or mix") }
    let run = UInt32.random(in: 0 ... .max)
    let mongo = RawMongo(uri: option("--mongo", arguments), database: "pawn-bench-raw-\(run)")
    createIndexes(mongo)
    // Items that exist before the clock starts, for the sells (actions: all; mix: half).
    let existing = workload == "adds" ? 0 : (workload == "actions" ? count : count / 2)
    var prepared: [String] = []
    var sequence: Int64 = 0
    for start in stride(from: 0, to: existing, by: batch) {
        var items: [RawMongo.Write] = []
        var events: [RawMongo.Write] = []
        for index in start..<min(existing, start + batch) {
            let id = "raw-\(run)-old-\(index)"
            let event = addEvent(id, run: run, index: index)
            sequence += 1
            items.append(.insert(itemDocument(applied(nil, event))))
            events.append(.insert(eventDocument(event, sequence: sequence)))
            prepared.append(id)
        }
        mongo.bulk("items", items)
        mongo.bulk("addActions", events)
    }
    // The measured writes: (is a sell, item index).
    let adds = count - existing
    var plan: [(sell: Bool, index: Int)] = []
    var (nextAdd, nextSell) = (0, 0)
    while plan.count < count {
        if nextSell < prepared.count && (nextAdd >= adds || plan.count % 2 == 1) {
            plan.append((true, nextSell))
            nextSell += 1
        } else {
            plan.append((false, nextAdd))
            nextAdd += 1
        }
    }
    let start = ContinuousClock.now
    for first in stride(from: 0, to: plan.count, by: batch) {
        let slice = plan[first..<min(plan.count, first + batch)]
        let sells = slice.filter(\.sell).map { prepared[$0.index] }
        // The reads an action needs: the items as stored.
        var current: [String: Item] = [:]
        if !sells.isEmpty {
            for document in mongo.find("items", ids: sells) {
                guard let item = try? BSONDecoder().decode(Item.self, from: document) else {
                    fail("raw-mongo: an item does not decode")
                }
                current[item.id] = item
            }
        }
        var items: [RawMongo.Write] = []
        var addEvents: [RawMongo.Write] = []
        var sellEvents: [RawMongo.Write] = []
        for step in slice {
            sequence += 1
            if step.sell {
                let id = prepared[step.index]
                guard let item = current[id] else { fail("raw-mongo: item \(id) not found") }
                let event = sellEvent(id, run: run, index: step.index)
                let filter: BSONDocument = ["id": .string(id), "version": .int64(item.version)]
                items.append(.replace(filter: filter, replacement: itemDocument(applied(item, event))))
                sellEvents.append(.insert(eventDocument(event, sequence: sequence)))
            } else {
                let id = "raw-\(run)-new-\(step.index)"
                let event = addEvent(id, run: run, index: count + step.index)
                items.append(.insert(itemDocument(applied(nil, event))))
                addEvents.append(.insert(eventDocument(event, sequence: sequence)))
            }
        }
        mongo.bulk("items", items)
        mongo.bulk("addActions", addEvents)
        mongo.bulk("sellActions", sellEvents)
    }
    let elapsed = seconds(since: start)
    mongo.command(["dropDatabase": .int32(1)])
    print(
        "raw-mongo: \(workload) \(count) events in \(format(elapsed)) s (batches of \(batch)): \(Int(Double(count) / elapsed)) events/s"
    )
}
