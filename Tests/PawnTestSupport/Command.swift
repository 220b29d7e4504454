import Foundation

/// Runs another program as an independent peer (protoc, curl, …) with files for its
/// standard streams, so that large inputs and outputs cannot deadlock on full pipes.
public enum Command {
    /// What a finished program left behind.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: [UInt8]
        public let stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The full path of `name` on PATH, or `nil`.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and `input` on standard input, and waits.
    public static func run(
        _ executable: String, _ arguments: [String], input: [UInt8] = [], directory: URL? = nil
    ) throws -> Result {
        let temporary = FileManager.default.temporaryDirectory
        let stem = "pawn-cmd-\(UUID().uuidString)"
        let inputURL = temporary.appendingPathComponent(stem + ".in")
        let outputURL = temporary.appendingPathComponent(stem + ".out")
        let errorURL = temporary.appendingPathComponent(stem + ".err")
        defer { for url in [inputURL, outputURL, errorURL] { try? FileManager.default.removeItem(at: url) } }
        try Data(input).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: [UInt8](try Data(contentsOf: outputURL)),
            stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}
