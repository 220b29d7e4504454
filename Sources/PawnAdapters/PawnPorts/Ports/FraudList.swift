/// The list of clients the shop will not deal with, kept in Redis by the feeder.
public protocol FraudList: Sendable {
    /// Whether `client` (an id or a name) is listed. Comparison ignores case and
    /// surrounding white space.
    func contains(_ client: String) async throws(FraudListError) -> Bool

    /// What readiness and `/metrics` report of a list held in memory; `nil` (the default)
    /// for a list read where it is kept.
    var status: FraudListStatus? { get }
}

extension FraudList {
    /// Nothing held in memory to report.
    public var status: FraudListStatus? { nil }
}

/// What a fraud list held in memory knows of itself (see ``CachedFraudList``).
public struct FraudListStatus: Sendable, Hashable {
    /// Whether a list was ever read.
    public var loaded: Bool
    /// The names held.
    public var names: Int
    /// Whether the last refresh failed (the list held is older than the refresh interval).
    public var stale: Bool

    /// A status.
    public init(loaded: Bool, names: Int, stale: Bool) {
        self.loaded = loaded
        self.names = names
        self.stale = stale
    }

    /// `notLoaded`, `stale` or `fresh`, as readiness reports it.
    public var summary: String { !loaded ? "notLoaded" : stale ? "stale" : "fresh" }
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
    func allNames() async throws(FraudListError) -> Set<String>

    /// How many names the list holds.
    func count() async throws(FraudListError) -> Int

    /// Replaces the whole list at once: a reader sees the old list or the new one, never a
    /// mix, and names that are not in `names` are gone.
    func replace(with names: Set<String>) async throws(FraudListError)
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
    func fetch(ifChangedFrom version: String?) async throws(FraudListError) -> FraudListFetch
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

/// Why a fraud list, its store or its source could not be read or written.
public struct FraudListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure; more may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String
        /// A code named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The store or the source did not answer, or not in time; retrying may succeed.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The source's host cannot be reached at all (no route, refused connection).
        public static let unreachable = Code(rawValue: "unreachable")
        /// The source refused for a reason waiting will not fix: access denied, no such
        /// object, a configuration that cannot work.
        public static let refused = Code(rawValue: "refused")
        /// No list is there (the store lost it, or none was ever loaded).
        public static let missing = Code(rawValue: "missing")
        /// The list's text is not a fraud list (a line that is not UTF-8).
        public static let invalidList = Code(rawValue: "invalidList")
        /// The list has not been read yet, and the reader fails closed.
        public static let notLoaded = Code(rawValue: "notLoaded")

        public var description: String { rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// What is wrong, for people.
    public var message: String

    /// A failure of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A list whose text is wrong (``Code/invalidList``).
    public init(_ message: String) { self.init(.invalidList, message) }

    public var description: String { message }
}
