/// A bad MongoDB setting, naming the key at fault.
public struct MongoConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key at fault (`uri`, `database`, `poolSize`, `serverSelectionTimeoutMs`).
    public var key: String
    /// What is wrong with its value.
    public var message: String

    /// An error about `key`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "invalid mongo \(key): \(message)" }
}
