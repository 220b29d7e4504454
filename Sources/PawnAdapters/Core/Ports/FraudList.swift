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
