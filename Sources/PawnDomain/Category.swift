/// The kind of thing an item is. The wire numbers (`Reading` = 0 … `Electronics` = 6)
/// are the original platform's and never change.
public enum Category: String, CaseIterable, Hashable, Sendable, Codable {
    /// Books, magazines, comics.
    case reading = "Reading"
    /// Collectibles: stamps, coins, instruments, memorabilia.
    case collection = "Collection"
    /// Furniture, art, ornaments.
    case decoration = "Decoration"
    /// Clothes, shoes, bags.
    case clothing = "Clothing"
    /// Jewellery and watches.
    case jewelry = "Jewelry"
    /// Vehicles and their parts.
    case motor = "Motor"
    /// Phones, computers, audio and video.
    case electronics = "Electronics"

    /// The name used in JSON and in the original API (`"Jewelry"`).
    public var name: String { rawValue }

    /// Parses a name exactly as the API spells it; `nil` for anything else (never a default).
    public init?(name: String) { self.init(rawValue: name) }
}
