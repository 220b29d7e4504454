/// A command that failed, with the kind of failure and the command's name (never its
/// arguments, which may be secrets or customer data).
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for deciding what to do about it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The server could not be reached or the connection broke (refused, reset, closed,
        /// name not resolved). The connection is dropped; the next call makes a new one.
        public static let connection = Code(rawValue: "connection")
        /// Connecting or waiting for a reply took longer than the configured timeout. The
        /// connection is dropped: a late reply could otherwise answer the next command.
        public static let timeout = Code(rawValue: "timeout")
        /// The server answered with an error (`message` is its text); the connection is fine.
        public static let server = Code(rawValue: "server")
        /// The client is closed, or its queue of waiting calls is full.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The reply was malformed or not of the type the command returns.
        public static let `protocol` = Code(rawValue: "protocol")

        public var description: String { rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// The command's name (`GET`, `AUTH`, `PIPELINE`, …).
    public let command: String
    /// What happened: hiredis's text, or the server's error.
    public let message: String

    /// An error of kind `code` from `command`.
    public init(_ code: Code, command: String, message: String) {
        self.code = code
        self.command = command
        self.message = message
    }

    /// The command, the kind and the message, for logs.
    public var description: String { "redis \(command): \(code.rawValue): \(message)" }
}
