import CHiredis
import Glibc
import PawnIO

/// One hiredis context: a blocking TCP connection to the server. Only the thread that has
/// checked it out of the pool calls it, and the context is freed exactly once, when the
/// connection is released (broken, dropped after a failure, or at the client's close).
final class RedisConnection: @unchecked Sendable {
    // @unchecked Sendable: the context is owned by this object and touched by one thread at a
    // time: the pool hands a connection to a single caller under its lock and takes it back
    // the same way, and the lock orders each hand-over after the previous user's last call.

    private let context: UnsafeMutablePointer<redisContext>
    /// The pool's generation when this connection was opened; a failure elsewhere that
    /// suggests the server went away makes older connections suspect.
    let generation: Int

    /// Whether hiredis has marked the context unusable (after an I/O, EOF, protocol or timeout
    /// error hiredis requires a new context).
    var isBroken: Bool { context.pointee.err != 0 }

    /// Opens a connection, sets the command timeout, and sends AUTH and SELECT when
    /// configured. `command` names the call the connection is opened for, for its errors.
    init(configuration: RedisConfiguration, generation: Int, command: String) throws(RedisError) {
        guard
            let context = redisConnectWithTimeout(
                configuration.host, Int32(configuration.port), timeval(configuration.connectTimeout))
        else {
            throw RedisError(.connection, command: command, message: "hiredis could not allocate a context")
        }
        let savedErrno = errno
        self.context = context
        self.generation = generation
        // From here on deinit frees the context, whether or not the rest succeeds.
        if context.pointee.err != 0 {
            let kind = Self.classify(context, errno: savedErrno)
            throw RedisError(
                kind, command: command,
                message:
                    "connecting to \(configuration.host):\(configuration.port): \(Self.errorText(context))")
        }
        if redisSetTimeout(context, timeval(configuration.commandTimeout)) != REDIS_OK {
            throw RedisError(
                .connection, command: command, message: "setting the timeout: \(Self.errorText(context))")
        }
        if let password = configuration.password {
            try expectOK(run(["AUTH".redisBytes, password.redisBytes], command: "AUTH"), command: "AUTH")
        }
        if configuration.database != 0 {
            try expectOK(
                run(["SELECT".redisBytes, configuration.database.redisBytes], command: "SELECT"),
                command: "SELECT")
        }
    }

    deinit { redisFree(context) }

    /// Sends one command and waits for its reply. A server error comes back as `.error`; a
    /// failure of the connection throws, and leaves the connection broken.
    func run(_ arguments: [[UInt8]], command: String) throws(RedisError) -> RedisReply {
        let raw = Self.withArgv(arguments) { count, argv, lengths in
            redisCommandArgv(context, count, argv, lengths)
        }
        let savedErrno = errno
        guard let raw else { throw failure(command: command, errno: savedErrno) }
        return Self.take(raw)
    }

    /// Sends every command, then reads every reply, in order. A server error for one command
    /// is its `.error` reply and does not disturb the others; a failure of the connection
    /// throws for the whole batch (how many commands ran is then unknown).
    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        for (index, arguments) in commands.enumerated() {
            let status = Self.withArgv(arguments) { count, argv, lengths in
                redisAppendCommandArgv(context, count, argv, lengths)
            }
            if status != REDIS_OK {
                throw RedisError(
                    .connection, command: "PIPELINE",
                    message: "queueing command \(index + 1) of \(commands.count): \(Self.errorText(context))")
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for index in commands.indices {
            var raw: UnsafeMutableRawPointer?
            let status = redisGetReply(context, &raw)
            let savedErrno = errno
            guard status == REDIS_OK, let raw else {
                let error = failure(command: "PIPELINE", errno: savedErrno)
                throw RedisError(
                    error.code, command: error.command,
                    message: "reply \(index + 1) of \(commands.count): \(error.message)")
            }
            replies.append(Self.take(raw))
        }
        return replies
    }

    /// The typed error for a call that returned no reply.
    private func failure(command: String, errno savedErrno: Int32) -> RedisError {
        if context.pointee.err == 0 {
            // hiredis returns NULL without an error only when it ran out of memory.
            return RedisError(.connection, command: command, message: "hiredis returned no reply")
        }
        return RedisError(
            Self.classify(context, errno: savedErrno), command: command, message: Self.errorText(context))
    }

    private func expectOK(_ reply: RedisReply, command: String) throws(RedisError) {
        switch reply {
        case .status: return
        case .error(let text): throw RedisError(.server, command: command, message: text)
        default: throw RedisError(.protocol, command: command, message: "unexpected reply \(reply)")
        }
    }

    /// The kind of a context's error. A socket timeout shows up as an I/O error with EAGAIN
    /// (SO_RCVTIMEO/SO_SNDTIMEO) or ETIMEDOUT (connect), so the saved errno and the text both
    /// decide.
    private static func classify(_ context: UnsafeMutablePointer<redisContext>, errno: Int32)
        -> RedisError.Code
    {
        switch context.pointee.err {
        case REDIS_ERR_PROTOCOL: return .protocol
        case REDIS_ERR_IO:
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT {
                return .timeout
            }
            let text = errorText(context).lowercased()
            if text.contains("timed out") || text.contains("temporarily unavailable") { return .timeout }
            return .connection
        default: return .connection
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Copies a reply out of hiredis's object and frees the object (children with it).
    private static func take(_ raw: UnsafeMutableRawPointer) -> RedisReply {
        defer { freeReplyObject(raw) }
        return convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_STRING: return .bulk(bytes(value))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] {
                    elements.append(convert(element))
                } else {
                    elements.append(.null)
                }
            }
            return .array(elements)
        default: return .error("unknown reply type \(value.type)")
        }
    }

    private static func bytes(_ reply: redisReply) -> [UInt8] {
        guard let str = reply.str, reply.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: reply.len))
    }

    /// Calls `body` with hiredis's argv form of `arguments`: every argument in one buffer,
    /// pointers into it and explicit lengths, so NUL and non-UTF-8 bytes pass unchanged.
    private static func withArgv<T>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        // One trailing byte keeps the buffer non-empty when every argument is empty.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage += argument
        }
        storage.append(0)
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengths in
                    body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!)
                }
            }
        }
    }
}

extension timeval {
    /// A `timeval` of `duration` (at least one microsecond: zero would mean no timeout).
    fileprivate init(_ duration: Duration) {
        let microseconds = max(1, duration.microseconds)
        self.init(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
    }
}
