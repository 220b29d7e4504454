import Foundation
import PawnIO

/// A program of ours started as a separate process, whose output the test reads line by line.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only started in init and then read (isRunning,
    // pid, status), which Foundation allows from any thread; output goes through a `Locked`.
    private let process: Process
    private let pipe = Pipe()
    private let collector = Collector()

    /// The lines printed so far, filled from the pipe's handler thread.
    private final class Collector: Sendable {
        let state = Locked((lines: [String](), partial: ""))

        func take(_ chunk: String) {
            state.withLock { state in
                state.partial += chunk
                var parts = state.partial.components(separatedBy: "\n")
                state.partial = parts.removeLast()
                state.lines += parts
            }
        }
    }

    /// The built `pawnshop` executable.
    public static var pawnshopPath: String {
        Protoc.repositoryRoot.appendingPathComponent(".build/debug/pawnshop").path
    }

    /// Starts the built `pawnshop` executable with `arguments`.
    public static func pawnshop(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(pawnshopPath, arguments)
    }

    public init(_ executable: String, _ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        let collector = self.collector
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            // At end of file the handler must go before the descriptor is closed: a
            // dispatch source left on a closed descriptor corrupts libdispatch's epoll set.
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            collector.take(String(decoding: data, as: UTF8.self))
        }
        try process.run()
    }

    /// Everything printed so far.
    public var output: [String] { collector.state.withLock { $0.lines } }

    /// Waits for a line containing `text`; returns it.
    public func waitForLine(containing text: String, timeout: Duration = .seconds(20)) async throws -> String
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.first(where: { $0.contains(text) }) { return line }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Once more: the line may have come in while the last check slept.
        let lines = output
        if let line = lines.first(where: { $0.contains(text) }) { return line }
        throw ChildProcessError.noSuchLine(text, lines)
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// The CPU time the process used so far (user + system, from /proc), in seconds.
    public var cpuSeconds: Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (name)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Sends `signal` (SIGTERM, SIGKILL, …).
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; returns its status.
    public func wait(timeout: Duration = .seconds(20)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        pipe.fileHandleForReading.readabilityHandler = nil
    }
}

public enum ChildProcessError: Error {
    case noSuchLine(String, [String])
}

/// The first integer after `marker` in `line` (a port in a log line).
public func number(after marker: String, in line: String) -> Int? {
    guard let range = line.range(of: marker) else { return nil }
    return Int(line[range.upperBound...].prefix { $0.isNumber })
}
