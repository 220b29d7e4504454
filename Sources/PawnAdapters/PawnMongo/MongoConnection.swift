import CMongoc
import PawnBSON
import PawnPorts

/// One client taken from the pool, used on one pool thread for the length of one job:
/// the synchronous operations the store is built from, on our documents.
struct MongoConnection {
    /// One write of a bulk operation.
    enum Write {
        /// Insert a document.
        case insert(BSONDocument)
        /// Replace the one document matching `filter`, if any (no upsert).
        case replaceOne(filter: BSONDocument, replacement: BSONDocument)
    }

    /// What a bulk operation did.
    struct BulkResult {
        /// One write the server refused; `index` is the write's position in the bulk.
        struct WriteError {
            var index: Int
            var code: Int
            var message: String
        }

        var inserted = 0
        var matched = 0
        var writeErrors: [WriteError] = []
    }

    /// The libmongoc client; only ever used on the thread running the current job.
    let client: OpaquePointer
    /// The database the store's collections live in.
    let database: String

    /// Runs a command against `database` (the store's by default); returns the reply.
    func command(_ command: BSONDocument, database: String? = nil, what: String) throws(ItemStoreError)
        -> BSONDocument
    {
        var error = bson_error_t()
        let (succeeded, reply) = command.withBSON { bson in
            MongoReply.with { reply in
                mongoc_client_command_simple(client, database ?? self.database, bson, nil, reply, &error)
            }
        }
        guard succeeded else { throw MongoFailure.error(error, what) }
        return reply ?? BSONDocument()
    }

    /// Every document of `collection` matching `filter`, with find options (`sort`,
    /// `limit`, `projection`).
    func find(_ collection: String, _ filter: BSONDocument, options: BSONDocument = BSONDocument())
        throws(ItemStoreError) -> [BSONDocument]
    {
        let what = "find in \(collection)"
        return try withCollection(collection) { (handle) throws(ItemStoreError) -> [BSONDocument] in
            let made = filter.withBSON { filterBSON in
                options.withBSON { optionsBSON in
                    mongoc_collection_find_with_opts(handle, filterBSON, optionsBSON, nil)
                }
            }
            guard let cursor = made else { throw ItemStoreError(.failed, "MongoDB \(what) made no cursor") }
            defer { mongoc_cursor_destroy(cursor) }
            var documents: [BSONDocument] = []
            var current: OpaquePointer? = nil
            while mongoc_cursor_next(cursor, &current) {
                guard let current else { break }
                do throws(BSONError) {
                    documents.append(try BSONDocument(copying: current))
                } catch {
                    throw MongoFailure.malformed(error, what)
                }
            }
            var error = bson_error_t()
            if mongoc_cursor_error(cursor, &error) { throw MongoFailure.error(error, what) }
            return documents
        }
    }

    /// Runs `writes` as one bulk operation. Write errors (a duplicate key) come back in the
    /// result for the caller to judge; any other failure throws.
    func bulkWrite(_ collection: String, _ writes: [Write], ordered: Bool) throws(ItemStoreError)
        -> BulkResult
    {
        guard !writes.isEmpty else { return BulkResult() }
        let what = "bulk write to \(collection)"
        return try withCollection(collection) { (handle) throws(ItemStoreError) -> BulkResult in
            let options: BSONDocument = ["ordered": .bool(ordered)]
            guard
                let bulk = options.withBSON({ mongoc_collection_create_bulk_operation_with_opts(handle, $0) })
            else {
                throw ItemStoreError(.failed, "MongoDB \(what): no bulk operation")
            }
            defer { mongoc_bulk_operation_destroy(bulk) }
            var error = bson_error_t()
            for write in writes {
                let added: Bool
                switch write {
                case .insert(let document):
                    added = document.withBSON {
                        mongoc_bulk_operation_insert_with_opts(bulk, $0, nil, &error)
                    }
                case .replaceOne(let filter, let replacement):
                    added = filter.withBSON { filterBSON in
                        replacement.withBSON { replacementBSON in
                            mongoc_bulk_operation_replace_one_with_opts(
                                bulk, filterBSON, replacementBSON, nil, &error)
                        }
                    }
                }
                guard added else { throw MongoFailure.error(error, what) }
            }
            let (status, reply) = MongoReply.with { reply in
                mongoc_bulk_operation_execute(bulk, reply, &error)
            }
            let result = Self.bulkResult(reply ?? BSONDocument())
            if status == 0 {
                // A refused write is an answer about that write; anything else (no server, a
                // write concern error, a malformed reply) is a failure of the whole bulk.
                let concernErrors = reply?["writeConcernErrors"]?.arrayValue ?? []
                guard !result.writeErrors.isEmpty, concernErrors.isEmpty else {
                    throw MongoFailure.error(error, what)
                }
            }
            return result
        }
    }

    private static func bulkResult(_ reply: BSONDocument) -> BulkResult {
        var result = BulkResult()
        result.inserted = Int(reply["nInserted"]?.int64Value ?? 0)
        result.matched = Int(reply["nMatched"]?.int64Value ?? 0)
        for entry in reply["writeErrors"]?.arrayValue ?? [] {
            guard let document = entry.documentValue else { continue }
            result.writeErrors.append(
                BulkResult.WriteError(
                    index: Int(document["index"]?.int64Value ?? -1),
                    code: Int(document["code"]?.int64Value ?? 0),
                    message: document["errmsg"]?.stringValue ?? ""))
        }
        return result
    }

    private func withCollection<R>(_ name: String, _ body: (OpaquePointer) throws(ItemStoreError) -> R)
        throws(ItemStoreError) -> R
    {
        guard let collection = mongoc_client_get_collection(client, database, name) else {
            throw ItemStoreError(.failed, "MongoDB gave no handle for collection \(name)")
        }
        defer { mongoc_collection_destroy(collection) }
        return try body(collection)
    }
}
