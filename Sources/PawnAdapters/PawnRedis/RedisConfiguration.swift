/// Where a Redis server is and how the client talks to it.
public struct RedisConfiguration: Sendable, Equatable {
    /// A setting that cannot be used, named with the value that was given.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        /// The setting: `address`, `host`, `port`, `database`, `connectTimeout`, `commandTimeout`
        /// or `poolSize`.
        public let key: String
        /// The value that was given, as text.
        public let value: String
        /// What is wrong with it.
        public let reason: String

        /// An error for `key`, whose value `value` is wrong because of `reason`.
        public init(key: String, value: String, reason: String) {
            self.key = key
            self.value = value
            self.reason = reason
        }

        /// The key, the value and the reason, for logs and start-up messages.
        public var description: String { "redis \(key) \"\(value)\": \(reason)" }
    }

    /// The server's host name or IP address.
    public let host: String
    /// The server's TCP port.
    public let port: Int
    /// The password sent with AUTH on every new connection; `nil` sends none.
    public let password: String?
    /// The database chosen with SELECT on every new connection (0 is Redis's default).
    public let database: Int
    /// How long opening a connection may take.
    public let connectTimeout: Duration
    /// How long one command (or one pipeline's write and each reply) may take on the socket.
    public let commandTimeout: Duration
    /// How many connections, and threads to drive them, the client keeps at most.
    public let poolSize: Int

    /// A configuration from its parts; throws `Invalid` naming the first setting out of range.
    public init(
        host: String, port: Int = 6379, password: String? = nil, database: Int = 0,
        connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(2), poolSize: Int = 4
    ) throws(Invalid) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.poolSize = poolSize
        try validate()
    }

    /// A configuration from `host:port` (`[::1]:6379` for an IPv6 address); throws `Invalid`
    /// naming the part that cannot be used.
    public init(
        address: String, password: String? = nil, database: Int = 0, connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2), poolSize: Int = 4
    ) throws(Invalid) {
        let (host, portText) = try Self.split(address)
        guard let port = Int(portText) else {
            throw Invalid(key: "port", value: String(portText), reason: "is not a number (in \"\(address)\")")
        }
        try self.init(
            host: String(host), port: port, password: password, database: database,
            connectTimeout: connectTimeout, commandTimeout: commandTimeout, poolSize: poolSize)
    }

    /// `host` and `port` of `address`; the brackets of an IPv6 literal are removed.
    private static func split(_ address: String) throws(Invalid) -> (Substring, Substring) {
        let text = Substring(address)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":")
            else {
                throw Invalid(key: "address", value: address, reason: "expected [ipv6-address]:port")
            }
            let host = text[text.index(after: text.startIndex)..<close]
            let port = text[text.index(close, offsetBy: 2)...]
            return (host, port)
        }
        guard let colon = text.lastIndex(of: ":") else {
            throw Invalid(key: "address", value: address, reason: "expected host:port")
        }
        let host = text[..<colon]
        if host.contains(":") {
            throw Invalid(
                key: "address", value: address, reason: "an IPv6 address goes in brackets: [host]:port")
        }
        return (host, text[text.index(after: colon)...])
    }

    private func validate() throws(Invalid) {
        if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "\0" }) {
            throw Invalid(key: "host", value: host, reason: "is empty or contains white space")
        }
        if !(1...65_535).contains(port) {
            throw Invalid(key: "port", value: String(port), reason: "is not a TCP port (1-65535)")
        }
        if database < 0 {
            throw Invalid(key: "database", value: String(database), reason: "is negative")
        }
        for (key, value) in [("connectTimeout", connectTimeout), ("commandTimeout", commandTimeout)]
        where value <= .zero {
            throw Invalid(key: key, value: "\(value)", reason: "must be longer than zero")
        }
        if !(1...1024).contains(poolSize) {
            throw Invalid(key: "poolSize", value: String(poolSize), reason: "must be between 1 and 1024")
        }
    }
}
