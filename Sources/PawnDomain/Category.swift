/// The kind of thing an item is. The wire numbers (`Reading` = 0 … `Electronics` = 6)
/// are the original platform's and never change.
public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
    case reading = "Reading"
    case collection = "Collection"
    case decoration = "Decoration"
    case clothing = "Clothing"
    case jewelry = "Jewelry"
    case motor = "Motor"
    case electronics = "Electronics"

    /// The name used in JSON and in the original API (`"Jewelry"`).
    public var name: String { rawValue }

    /// Parses a name exactly as the API spells it; `nil` for anything else (never a default).
    public init?(name: String) { self.init(rawValue: name) }
}
