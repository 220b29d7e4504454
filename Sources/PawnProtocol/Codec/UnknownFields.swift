/// Fields a message did not recognise, kept as their exact wire bytes (tags included) and
/// written back after the known fields, so that a message passes through a service that
/// is older than its sender without losing anything.
public struct UnknownFields: Hashable, Sendable {
    /// The concatenated encodings of the unknown fields, in the order they arrived.
    public var bytes: [UInt8]

    /// No unknown fields.
    public init() { bytes = [] }

    /// Unknown fields with the given encoding.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Whether there are none.
    public var isEmpty: Bool { bytes.isEmpty }
}
