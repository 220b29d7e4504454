import CMongoc
import PawnBSON
import PawnPorts

/// Copies between our documents and libbson's `bson_t`, so that no C type leaves this module
/// and no `bson_t` outlives the call that made it.
extension BSONDocument {
    /// Runs `body` with a `bson_t` copy of the document, destroyed when `body` returns.
    func withBSON<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        let bytes = self.bytes
        let made = bytes.withUnsafeBufferPointer { bson_new_from_data($0.baseAddress, $0.count) }
        // bson_new_from_data checks only the length prefix and the final NUL, which
        // BSONWriter always writes; a nil here would be a bug in the writer.
        guard let bson = made else { preconditionFailure("libbson refused a document BSONWriter wrote") }
        defer { bson_destroy(bson) }
        return try body(bson)
    }

    /// A copy of a `bson_t` that libmongoc owns (a cursor's current document, a reply).
    /// Swift sees `bson_t` as opaque (libbson over-aligns it), so the length is read from
    /// the document's own int32 prefix rather than the struct's `len` field.
    init(copying bson: OpaquePointer) throws(BSONError) {
        guard let data = bson_get_data(bson) else {
            self.init()
            return
        }
        var length = 0
        for index in 0..<4 { length |= Int(data[index]) << (8 * index) }
        try self.init(bytes: Array(UnsafeBufferPointer(start: data, count: length)))
    }
}

/// A `bson_t` reply that libmongoc fills in: allocated with the alignment libbson declares,
/// initialised empty (so that destroying it is valid whether or not libmongoc wrote it),
/// copied out, then destroyed and freed exactly once.
enum MongoReply {
    /// `sizeof(bson_t)` and its alignment in libbson's headers (`BSON_ALIGNED_BEGIN(128)`,
    /// 128 bytes), which Swift cannot import because of the over-alignment.
    private static let size = 128

    static func with<R>(_ body: (OpaquePointer) -> R) -> (R, BSONDocument?) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: size)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let reply = OpaquePointer(raw)
        bson_init(reply)
        defer {
            bson_destroy(reply)
            raw.deallocate()
        }
        let result = body(reply)
        return (result, try? BSONDocument(copying: reply))
    }
}

/// Turns libmongoc's `bson_error_t` into the store's error.
enum MongoFailure {
    /// Server error codes that mean "try again, elsewhere or later": not primary, node
    /// recovering, shutting down, interrupted by a step-down.
    private static let transientServerCodes: Set<UInt32> = [91, 189, 10107, 11600, 11602, 13435, 13436]

    static func error(_ error: bson_error_t, _ what: String) -> ItemStoreError {
        let message = withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let domain = error.domain
        let unavailable =
            domain == MONGOC_ERROR_STREAM.rawValue || domain == MONGOC_ERROR_SERVER_SELECTION.rawValue
            || transientServerCodes.contains(error.code)
        return ItemStoreError(unavailable ? .unavailable : .failed, "MongoDB \(what) failed: \(message)")
    }

    /// A document that came back from the server but is not valid BSON.
    static func malformed(_ error: BSONError, _ what: String) -> ItemStoreError {
        ItemStoreError(.failed, "MongoDB \(what) returned a malformed document: \(error)")
    }
}
