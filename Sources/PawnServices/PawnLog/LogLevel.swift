/// How much a log line matters, from `trace` (the most detail) to `critical`; a process logs
/// the lines at or above its level (`--log-level`).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Step-by-step detail, off in production.
    case trace
    /// What a developer needs to follow a problem.
    case debug
    /// Normal events: a request served, a worker joined (the default level).
    case info
    /// Normal but significant: start-up, shutdown, a component back to health.
    case notice
    /// Something went wrong and was handled: a retry, a fallback, a skipped record.
    case warning
    /// Something failed and was not handled: a request or batch failed.
    case error
    /// The process cannot go on as configured: a fatal client error.
    case critical

    /// The level named `name` (`trace`, `debug`, `info`, `notice`, `warning` or `warn`,
    /// `error`, `critical`), or `nil`.
    public init?(name: String) {
        if name == "warn" {
            self = .warning
            return
        }
        guard let level = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = level
    }

    /// The level's name, as it appears in a line.
    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// The level of a syslog severity (0 emergency … 7 debug), as librdkafka reports them.
    public init(syslog severity: Int) {
        switch severity {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a line is written: logfmt (`key=value` pairs, the default) or one JSON object.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `time=… level=… service=… msg="…" key=value …`, values quoted when they need it.
    case logfmt
    /// `{"time":…,"level":…,"service":…,"msg":…,…}`, numbers and flags unquoted.
    case json
}
