/// Where the MongoDB store connects and how many connections it may hold. Every value is
/// checked when the configuration is made, so that a bad one fails before anything starts.
public struct MongoConfiguration: Sendable, Hashable {
    /// SPEC §5's database.
    public static let defaultDatabase = "auction-db"

    /// The connection string (`mongodb://host:port/…` or `mongodb+srv://…`).
    public let uri: String
    /// The database that holds the collections.
    public let database: String
    /// The most connections the pool opens; the store runs as many threads of its own.
    public let poolSize: Int
    /// How long an operation waits for a usable server before failing as unavailable.
    public let serverSelectionTimeoutMilliseconds: Int

    /// The keys of ``init(values:)``.
    public enum Key {
        /// The connection string.
        public static let uri = "uri"
        /// The database name.
        public static let database = "database"
        /// The pool size.
        public static let poolSize = "poolSize"
        /// The server selection timeout, in milliseconds.
        public static let serverSelectionTimeout = "serverSelectionTimeoutMs"
    }

    /// A configuration; throws naming the first bad value.
    public init(
        uri: String, database: String = MongoConfiguration.defaultDatabase, poolSize: Int = 8,
        serverSelectionTimeoutMilliseconds: Int = 5_000
    ) throws(MongoConfigurationError) {
        guard uri.hasPrefix("mongodb://") || uri.hasPrefix("mongodb+srv://") else {
            throw MongoConfigurationError(
                key: Key.uri, message: "must start with mongodb:// or mongodb+srv://")
        }
        guard !uri.utf8.contains(0) else {
            throw MongoConfigurationError(key: Key.uri, message: "must not contain a NUL byte")
        }
        try Self.checkDatabase(database)
        guard (1...1_000).contains(poolSize) else {
            throw MongoConfigurationError(
                key: Key.poolSize, message: "must be between 1 and 1000, not \(poolSize)")
        }
        guard (1...600_000).contains(serverSelectionTimeoutMilliseconds) else {
            throw MongoConfigurationError(
                key: Key.serverSelectionTimeout,
                message:
                    "must be between 1 and 600000 milliseconds, not \(serverSelectionTimeoutMilliseconds)")
        }
        self.uri = uri
        self.database = database
        self.poolSize = poolSize
        self.serverSelectionTimeoutMilliseconds = serverSelectionTimeoutMilliseconds
    }

    /// A configuration from text values by ``Key`` (from flags, the environment or a file);
    /// `uri` is required, the others have defaults. Throws naming the key at fault.
    public init(values: [String: String]) throws(MongoConfigurationError) {
        guard let uri = values[Key.uri], !uri.isEmpty else {
            throw MongoConfigurationError(key: Key.uri, message: "is required")
        }
        func integer(_ key: String, default fallback: Int) throws(MongoConfigurationError) -> Int {
            guard let text = values[key] else { return fallback }
            guard let number = Int(text) else {
                throw MongoConfigurationError(key: key, message: "\"\(text)\" is not an integer")
            }
            return number
        }
        try self.init(
            uri: uri, database: values[Key.database] ?? Self.defaultDatabase,
            poolSize: try integer(Key.poolSize, default: 8),
            serverSelectionTimeoutMilliseconds: try integer(Key.serverSelectionTimeout, default: 5_000))
    }

    /// MongoDB's rules for database names: 1–63 bytes, none of `/\. "$*<>:|?` or NUL.
    private static func checkDatabase(_ name: String) throws(MongoConfigurationError) {
        guard !name.isEmpty, name.utf8.count <= 63 else {
            throw MongoConfigurationError(key: Key.database, message: "must be 1 to 63 bytes long")
        }
        let forbidden = Set("/\\. \"$*<>:|?\0".unicodeScalars)
        if let bad = name.unicodeScalars.first(where: { forbidden.contains($0) }) {
            throw MongoConfigurationError(
                key: Key.database, message: "must not contain \"\(bad.escaped(asASCII: true))\"")
        }
    }
}
