/// An action on one item, with the id that makes applying it idempotent.
///
/// Events are applied in per-item order by ``apply(_:_:)``; an event whose
/// ``eventId`` the item has already applied changes nothing.
public struct Event: Hashable, Sendable {
    /// Unique per event: 1–128 characters of `[A-Za-z0-9._:-]` (a UUID fits).
    public var eventId: String
    /// The item the action is on.
    public var itemId: String
    /// What happens.
    public var action: Action

    /// An event.
    public init(eventId: String, itemId: String, action: Action) {
        self.eventId = eventId
        self.itemId = itemId
        self.action = action
    }

    /// The event with its text trimmed, or the first field that breaks a rule.
    public func validated() throws(ValidationError) -> Event {
        Event(
            eventId: try Validation.identifier(eventId, field: "eventId"),
            itemId: try Validation.identifier(itemId, field: "itemId"),
            action: try action.validated())
    }
}

/// JSON shape: `{"eventId": …, "itemId": …, "action": "sell", "clientId": …, …}`.
extension Event: Codable {
    private enum CodingKeys: String, CodingKey { case eventId, itemId }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventId = try container.decode(String.self, forKey: .eventId)
        itemId = try container.decode(String.self, forKey: .itemId)
        action = try Action(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(itemId, forKey: .itemId)
        try action.encode(to: encoder)
    }
}
