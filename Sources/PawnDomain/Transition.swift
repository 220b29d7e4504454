/// The outcome of an accepted event: the item after it, and the event as it is recorded
/// (trimmed text, a sale's profit filled in).
public struct Transition: Hashable, Sendable {
    /// The item after the event.
    public var item: Item
    /// The event as recorded in the item's history.
    public var event: Event
    /// `true` when the item had already applied this event id: nothing changed, and the
    /// caller must not record the event a second time.
    public var isReplay: Bool

    /// A transition.
    public init(item: Item, event: Event, isReplay: Bool) {
        self.item = item
        self.event = event
        self.isReplay = isReplay
    }
}
