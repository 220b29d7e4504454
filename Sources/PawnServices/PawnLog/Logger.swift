/// What a part of the program logs with: the fields it always adds (a component, a worker's
/// id) and one method per level. Cheap to copy and to make; a line below the process's level
/// costs one atomic load, and its message is not even built.
///
/// ```swift
/// let log = Logger(["component": "worker", "worker_id": "w1"])
/// log.info("joined the dispatcher", ["dispatcher": "10.0.0.2:50051"])
/// ```
public struct Logger: Sendable {
    /// The fields every line of this logger carries, after time, level, service and message.
    public private(set) var metadata: [(String, LogValue)]

    /// A logger whose lines carry `metadata`.
    public init(_ metadata: KeyValuePairs<String, LogValue> = [:]) {
        self.metadata = metadata.map { ($0.key, $0.value) }
    }

    /// This logger with one more field on every line (a field of the same key is replaced).
    public func with(_ key: String, _ value: LogValue) -> Logger {
        var copy = self
        if let index = copy.metadata.firstIndex(where: { $0.0 == key }) {
            copy.metadata[index].1 = value
        } else {
            copy.metadata.append((key, value))
        }
        return copy
    }

    /// Logs `message` with `fields` when `level` is at or above the process's level.
    @inline(__always)
    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String,
        _ fields: KeyValuePairs<String, LogValue> = [:]
    ) {
        guard Log.isEnabled(level) else { return }
        Log.write(level, message(), metadata + fields.map { ($0.key, $0.value) })
    }

    /// Logs at ``LogLevel/trace``.
    public func trace(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.trace, message(), fields)
    }

    /// Logs at ``LogLevel/debug``.
    public func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, message(), fields)
    }

    /// Logs at ``LogLevel/info``.
    public func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, message(), fields)
    }

    /// Logs at ``LogLevel/notice``.
    public func notice(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:])
    {
        log(.notice, message(), fields)
    }

    /// Logs at ``LogLevel/warning``.
    public func warning(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:])
    {
        log(.warning, message(), fields)
    }

    /// Logs at ``LogLevel/error``.
    public func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, message(), fields)
    }

    /// Logs at ``LogLevel/critical``.
    public func critical(
        _ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]
    ) {
        log(.critical, message(), fields)
    }
}
