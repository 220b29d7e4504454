/// A header field as HPACK carries it. `neverIndexed` marks a sensitive value
/// (credentials, cookies) that no intermediary may put in a compression table.
public struct HeaderField: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    /// The value.
    public var value: String
    /// Whether the field must never enter a compression table.
    public var neverIndexed: Bool

    /// A field.
    public init(_ name: String, _ value: String, neverIndexed: Bool = false) {
        self.name = name
        self.value = value
        self.neverIndexed = neverIndexed
    }

    /// RFC 7541 §4.1: the length of name and value in octets, plus 32.
    public var size: Int { name.utf8.count + value.utf8.count + 32 }

    public var description: String { "\(name): \(value)" }
}

/// Why a header block cannot be decoded. Any of these is a connection error
/// (COMPRESSION_ERROR) except ``Code/headerListTooLarge``, after which the decoder's
/// state is still in step with the peer's.
public struct HPACKError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ways a header block can be malformed.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The block ends inside a representation.
        public static let truncated = Code(rawValue: "truncated")
        /// An integer above 2^32 - 1.
        public static let integerOverflow = Code(rawValue: "integerOverflow")
        /// An index that is 0 or past the tables.
        public static let invalidIndex = Code(rawValue: "invalidIndex")
        /// A Huffman string with EOS, bad padding, or bits that form no code.
        public static let invalidHuffman = Code(rawValue: "invalidHuffman")
        /// A table size update after a field, or above the allowed size.
        public static let invalidTableSizeUpdate = Code(rawValue: "invalidTableSizeUpdate")
        /// The decoded header list is larger than allowed (the table is still in step).
        public static let headerListTooLarge = Code(rawValue: "headerListTooLarge")

        public var description: String { rawValue }
    }

    /// What is wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The static table of RFC 7541 Appendix A.
enum HPACKStaticTable {
    static let entries: [(String, String)] = [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"),
        ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""),
        ("cache-control", ""), ("content-disposition", ""), ("content-encoding", ""),
        ("content-language", ""),
        ("content-length", ""), ("content-location", ""), ("content-range", ""), ("content-type", ""),
        ("cookie", ""), ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""),
        ("host", ""),
        ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
        ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""),
        ("max-forwards", ""),
        ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""), ("referer", ""),
        ("refresh", ""),
        ("retry-after", ""), ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""),
        ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ]

    /// Whether entry `index` (1-based) has exactly these bytes (the dictionary below looks
    /// strings up by canonical equivalence: "K" finds "\u{212A}").
    static func matches(_ index: Int, _ name: String, _ value: String? = nil) -> Bool {
        let entry = entries[index - 1]
        return sameBytes(entry.0, name) && (value.map { sameBytes(entry.1, $0) } ?? true)
    }

    /// The 1-based index of the entry with exactly this name and value, looked up without
    /// building a key: the entries of one name are consecutive, from `byName`'s.
    static func index(of name: String, _ value: String) -> Int? {
        guard let first = byName[name], matches(first, name) else { return nil }
        var index = first
        while index <= entries.count, sameBytes(entries[index - 1].0, name) {
            if sameBytes(entries[index - 1].1, value) { return index }
            index += 1
        }
        return nil
    }

    static let byName: [String: Int] = {
        var map: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where map[entry.0] == nil { map[entry.0] = index + 1 }
        return map
    }()
}

/// The dynamic table (RFC 7541 §2.3.2): newest entry first, evicted oldest first to keep
/// its size within the maximum.
struct HPACKDynamicTable {
    /// Entries oldest first (`storage[head]` is the oldest).
    private var storage: [HeaderField] = []
    private var head = 0
    private(set) var size = 0
    private(set) var maxSize: Int
    /// How many entries were ever inserted: entry `n` (0-based insertion count) has index
    /// `insertions - n` counted from the newest.
    private(set) var insertions = 0

    init(maxSize: Int) { self.maxSize = maxSize }

    var count: Int { storage.count - head }

    /// The entry at 1-based `index` (1 is the newest).
    func entry(_ index: Int) -> HeaderField? {
        guard index >= 1, index <= count else { return nil }
        return storage[storage.count - index]
    }

    mutating func setMaxSize(_ value: Int) {
        maxSize = value
        evict(toFit: 0)
    }

    mutating func add(_ field: HeaderField) {
        let size = field.size
        if size > maxSize {
            // An entry larger than the table empties it and is not added (§4.4).
            storage.removeAll()
            head = 0
            self.size = 0
            insertions += 1
            return
        }
        evict(toFit: size)
        storage.append(HeaderField(field.name, field.value))
        self.size += size
        insertions += 1
    }

    private mutating func evict(toFit incoming: Int) {
        while size + incoming > maxSize && head < storage.count {
            size -= storage[head].size
            head += 1
        }
        if head > 64 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// The 1-based index of the newest entry equal to (name, value), and of the newest with `name`.
    func find(_ name: String, _ value: String) -> (full: Int?, name: Int?) {
        var nameIndex: Int? = nil
        var index = 1
        var position = storage.count - 1
        while position >= head {
            let entry = storage[position]
            // Bytes, not `==`: Swift's string equality is canonical equivalence, and an entry
            // "é" (U+00E9) must not stand for a field "e\u{301}", which decodes otherwise.
            if sameBytes(entry.name, name) {
                if sameBytes(entry.value, value) { return (index, nameIndex ?? index) }
                if nameIndex == nil { nameIndex = index }
            }
            index += 1
            position -= 1
        }
        return (nil, nameIndex)
    }
}

/// Decodes header blocks (RFC 7541), sans I/O: one decoder per connection direction.
public struct HPACKDecoder: Sendable {
    private var table: HPACKDynamicTable
    /// The table size this side allows (our SETTINGS_HEADER_TABLE_SIZE); a size update
    /// above it is an error.
    public var maxAllowedTableSize: Int {
        didSet { if table.maxSize > maxAllowedTableSize { table.setMaxSize(maxAllowedTableSize) } }
    }
    /// The largest decoded header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE), by §4.1 size.
    public var maxHeaderListSize: Int

    /// A decoder whose dynamic table may grow to `maxTableSize` and that accepts header lists up to `maxHeaderListSize`.
    public init(maxTableSize: Int = 4096, maxHeaderListSize: Int = 16 * 1024) {
        table = HPACKDynamicTable(maxSize: maxTableSize)
        maxAllowedTableSize = maxTableSize
        self.maxHeaderListSize = maxHeaderListSize
    }

    /// The dynamic table's current size and limit, for tests.
    public var dynamicTableSize: (size: Int, max: Int) { (table.size, table.maxSize) }

    /// Decodes one complete header block.
    public mutating func decode(_ bytes: [UInt8]) throws(HPACKError) -> [HeaderField] {
        var result: Result<[HeaderField], HPACKError> = .success([])
        bytes.withUnsafeBufferPointer { buffer in
            do throws(HPACKError) {
                result = .success(try decode(buffer))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes one complete header block.
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(HPACKError) -> [HeaderField] {
        var reader = HPACKReader(bytes: bytes)
        var fields: [HeaderField] = []
        var listSize = 0
        var tooLarge = false
        var sawField = false
        while !reader.isAtEnd {
            let first = reader.peek()
            let field: HeaderField
            if first & 0x80 != 0 {
                let index = try reader.integer(prefix: 7)
                field = try lookup(index)
            } else if first & 0xC0 == 0x40 {
                let index = try reader.integer(prefix: 6)
                let name = index == 0 ? try reader.string() : try lookup(index).name
                field = HeaderField(name, try reader.string())
                table.add(field)
            } else if first & 0xE0 == 0x20 {
                // A dynamic table size update: only before the first field of a block.
                guard !sawField else {
                    throw HPACKError(.invalidTableSizeUpdate, "a table size update after a header field")
                }
                let size = try reader.integer(prefix: 5)
                guard size <= maxAllowedTableSize else {
                    throw HPACKError(
                        .invalidTableSizeUpdate,
                        "table size \(size) exceeds the allowed \(maxAllowedTableSize)")
                }
                table.setMaxSize(size)
                continue
            } else {
                // Literal without indexing (0000) or never indexed (0001).
                let neverIndexed = first & 0x10 != 0
                let index = try reader.integer(prefix: 4)
                let name = index == 0 ? try reader.string() : try lookup(index).name
                field = HeaderField(name, try reader.string(), neverIndexed: neverIndexed)
            }
            sawField = true
            listSize += field.size
            if listSize > maxHeaderListSize {
                tooLarge = true  // keep decoding, so the table stays in step
            } else {
                fields.append(field)
            }
        }
        if tooLarge {
            throw HPACKError(.headerListTooLarge, "the header list exceeds \(maxHeaderListSize) bytes")
        }
        return fields
    }

    private func lookup(_ index: Int) throws(HPACKError) -> HeaderField {
        if index >= 1 && index <= HPACKStaticTable.entries.count {
            let entry = HPACKStaticTable.entries[index - 1]
            return HeaderField(entry.0, entry.1)
        }
        guard let entry = table.entry(index - HPACKStaticTable.entries.count) else {
            throw HPACKError(.invalidIndex, "no table entry \(index)")
        }
        return entry
    }
}

/// Reads HPACK primitives (§5) from a block.
private struct HPACKReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var isAtEnd: Bool { index >= bytes.count }

    func peek() -> UInt8 { bytes[index] }

    /// A prefixed integer (§5.1), at most 2^32 − 1.
    mutating func integer(prefix: Int) throws(HPACKError) -> Int {
        guard index < bytes.count else { throw HPACKError(.truncated, "an integer is cut short") }
        let mask = (1 << prefix) - 1
        var value = Int(bytes[index]) & mask
        index += 1
        guard value == mask else { return value }
        var shift = 0
        while true {
            guard index < bytes.count else { throw HPACKError(.truncated, "an integer is cut short") }
            let byte = Int(bytes[index])
            index += 1
            guard shift <= 28 else { throw HPACKError(.integerOverflow, "an integer is too large") }
            value += (byte & 0x7F) << shift
            guard value <= Int(UInt32.max) else {
                throw HPACKError(.integerOverflow, "an integer is too large")
            }
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A string literal (§5.2), Huffman-decoded when flagged.
    mutating func string() throws(HPACKError) -> String {
        guard index < bytes.count else { throw HPACKError(.truncated, "a string is cut short") }
        let huffman = bytes[index] & 0x80 != 0
        let length = try integer(prefix: 7)
        guard length <= bytes.count - index else {
            throw HPACKError(.truncated, "a string runs past the block")
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])
        index += length
        if huffman {
            guard let decoded = Huffman.decode(raw) else {
                throw HPACKError(.invalidHuffman, "invalid Huffman-encoded string")
            }
            return String(decoding: decoded, as: UTF8.self)
        }
        return String(decoding: raw, as: UTF8.self)
    }
}

/// Encodes header blocks (RFC 7541), sans I/O: one encoder per connection direction.
public struct HPACKEncoder: Sendable {
    private var table: HPACKDynamicTable
    /// A size change to announce at the start of the next block (§4.2).
    private var pendingSizeUpdates: [Int] = []
    /// Whether to use Huffman coding when it is shorter.
    public var huffman = true

    /// An encoder whose dynamic table holds at most `maxTableSize` bytes.
    public init(maxTableSize: Int = 4096) { table = HPACKDynamicTable(maxSize: maxTableSize) }

    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE: the table shrinks to it (or grows,
    /// up to 4096, which this encoder never exceeds) and the change is announced.
    public mutating func setPeerMaxTableSize(_ size: Int) {
        let chosen = min(size, 4096)
        guard chosen != table.maxSize || !pendingSizeUpdates.isEmpty else { return }
        // The smallest size reached must be announced, then the final one.
        if let first = pendingSizeUpdates.first, chosen > first {
            pendingSizeUpdates = [first, chosen]
        } else {
            pendingSizeUpdates = [chosen]
        }
        table.setMaxSize(chosen)
    }

    /// Fields whose values are credentials: never put in a compression table (RFC 7541
    /// §7.1.3), whatever the caller says, so that no intermediary can probe them.
    public static let sensitiveNames: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie",
    ]

    /// Fields whose value differs in every message (a trace's `traceparent`): sent as
    /// literals without indexing, so that they do not push the fields that repeat out of the
    /// dynamic table, nor lengthen every lookup in it.
    public static let unindexedNames: Set<String> = ["traceparent"]

    /// Appends the encoding of `fields` as one header block.
    public mutating func encode(_ fields: [HeaderField], into output: inout [UInt8]) {
        for size in pendingSizeUpdates { Self.integer(size, prefix: 5, flags: 0x20, into: &output) }
        pendingSizeUpdates.removeAll()
        for var field in fields {
            if Self.sensitiveNames.contains(field.name) { field.neverIndexed = true }
            if !field.neverIndexed, let index = HPACKStaticTable.index(of: field.name, field.value) {
                Self.integer(index, prefix: 7, flags: 0x80, into: &output)
                continue
            }
            let dynamic = table.find(field.name, field.value)
            if !field.neverIndexed, let index = dynamic.full {
                Self.integer(HPACKStaticTable.entries.count + index, prefix: 7, flags: 0x80, into: &output)
                continue
            }
            let nameIndex =
                HPACKStaticTable.byName[field.name].flatMap {
                    HPACKStaticTable.matches($0, field.name) ? $0 : nil
                }
                ?? dynamic.name.map {
                    HPACKStaticTable.entries.count + $0
                } ?? 0
            if field.neverIndexed {
                Self.integer(nameIndex, prefix: 4, flags: 0x10, into: &output)
            } else if field.size <= table.maxSize * 3 / 4 && !Self.unindexedNames.contains(field.name) {
                Self.integer(nameIndex, prefix: 6, flags: 0x40, into: &output)
                table.add(field)
            } else {
                Self.integer(nameIndex, prefix: 4, flags: 0x00, into: &output)
            }
            if nameIndex == 0 { string(field.name, into: &output) }
            string(field.value, into: &output)
        }
    }

    private func string(_ text: String, into output: inout [UInt8]) {
        let utf8 = text.utf8
        if huffman {
            let encodedLength = Huffman.encodedLength(utf8)
            if encodedLength < utf8.count {
                Self.integer(encodedLength, prefix: 7, flags: 0x80, into: &output)
                Huffman.encode(utf8, into: &output)
                return
            }
        }
        Self.integer(utf8.count, prefix: 7, flags: 0x00, into: &output)
        output.append(contentsOf: utf8)
    }

    /// A prefixed integer (§5.1) with `flags` in the first octet's high bits.
    static func integer(_ value: Int, prefix: Int, flags: UInt8, into output: inout [UInt8]) {
        let mask = (1 << prefix) - 1
        if value < mask {
            output.append(flags | UInt8(value))
            return
        }
        output.append(flags | UInt8(mask))
        var rest = value - mask
        while rest >= 128 {
            output.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }
}

/// Whether two strings have the same UTF-8 bytes (not `==`, which is canonical
/// equivalence): lengths first, then the bytes in place when both are contiguous.
@inline(__always)
func sameBytes(_ a: String, _ b: String) -> Bool {
    let (left, right) = (a.utf8, b.utf8)
    guard left.count == right.count else { return false }
    if let equal = left.withContiguousStorageIfAvailable({ l in
        right.withContiguousStorageIfAvailable { r in l.elementsEqual(r) }
    }), let equal {
        return equal
    }
    return left.elementsEqual(right)
}
