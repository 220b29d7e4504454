/// The list of clients the shop will not deal with, kept in Redis by the feeder.
public protocol FraudList: Sendable {
    /// Whether `client` (an id or a name) is listed. Comparison ignores case and
    /// surrounding white space.
    func contains(_ client: String) async throws -> Bool
}

/// How names are compared on the fraud list: trimmed of white space and case-folded.
public enum FraudNames {
    /// `name` trimmed of white space and lowercased: the form kept on the list.
    public static func normalize(_ name: String) -> String {
        var trimmed = Substring(name)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return trimmed.lowercased()
    }
}

/// A fraud list that can be read and replaced whole: what the feeder writes and the
/// dispatcher's ``CachedFraudList`` reads (Redis in production).
public protocol FraudListStore: FraudList {
    /// Every name on the list, normalised.
    func allNames() async throws -> Set<String>

    /// How many names the list holds.
    func count() async throws -> Int

    /// Replaces the whole list at once: a reader sees the old list or the new one, never a
    /// mix, and names that are not in `names` are gone.
    func replace(with names: Set<String>) async throws
}

/// What the feeder found at the list's source.
public enum FraudListFetch: Sendable, Equatable {
    /// The source still holds the version the feeder has.
    case unchanged
    /// The list (normalised, without blanks and duplicates) and its version (an ETag).
    case list(Set<String>, version: String?)
}

/// Where the feeder reads the list from (an S3 object in production).
public protocol FraudListSource: Sendable, CustomStringConvertible {
    /// The list, or ``FraudListFetch/unchanged`` when its version is still `version`.
    func fetch(ifChangedFrom version: String?) async throws -> FraudListFetch
}

/// Reading a fraud list from text: one name per line, LF or CRLF, a UTF-8 byte-order mark
/// ignored, each name trimmed and case-folded, blank lines and duplicates dropped.
public struct FraudListParser: Sendable {
    /// The names so far.
    public private(set) var names: Set<String> = []
    /// Lines read so far.
    public private(set) var lines = 0

    /// A parser with no lines yet.
    public init() {}

    /// Adds one line (without its line break; a trailing CR is dropped). Throws
    /// ``FraudListError`` when the line is not UTF-8.
    public mutating func add<Bytes: Collection<UInt8>>(line: Bytes) throws(FraudListError) {
        lines += 1
        var bytes = Array(line)
        if lines == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FraudListError("line \(lines) is not UTF-8")
        }
        let name = FraudNames.normalize(text)
        if !name.isEmpty { names.insert(name) }
    }

    /// The names of a whole text.
    public static func parse(_ bytes: [UInt8]) throws(FraudListError) -> Set<String> {
        var parser = FraudListParser()
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            try parser.add(line: line)
        }
        return parser.names
    }
}

/// A fraud list that cannot be read.
public struct FraudListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
