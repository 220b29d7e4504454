import Foundation
import Glibc
import Testing

@testable import PawnLog

/// The process's log, written to a pipe. Serialized: each test points the one global log at
/// its own pipe and back at standard output (other suites may log meanwhile; their lines
/// are skipped by the marker).
@Suite("The log's writer", .serialized)
struct LogWriterTests {
    /// Lines read from a pipe on a thread of their own, until `stop`.
    private final class PipeReader: @unchecked Sendable {
        // @unchecked Sendable: `text` is touched under `lock` only; the descriptors are set once.
        let read: Int32
        let write: Int32
        private let lock = NSLock()
        private var text = ""
        private let done = DispatchSemaphore(value: 0)
        private let started = DispatchSemaphore(value: 0)

        /// A pipe whose reader starts at once, or at ``resume()`` when `paused`.
        init(paused: Bool = false) {
            var fds: [Int32] = [0, 0]
            pipe(&fds)
            (read, write) = (fds[0], fds[1])
            if !paused { started.signal() }
            Thread.detachNewThread { [self] in
                started.wait()
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = Glibc.read(read, &buffer, buffer.count)
                    if count <= 0 { break }
                    lock.lock()
                    text += String(decoding: buffer[0..<count], as: UTF8.self)
                    lock.unlock()
                }
                done.signal()
            }
        }

        /// Starts reading (a reader made `paused`).
        func resume() { started.signal() }

        /// Closes the write end and returns everything read.
        func finish() -> String {
            close(write)
            done.wait()
            close(read)
            lock.lock()
            defer { lock.unlock() }
            return text
        }
    }

    @Test("lines below the level are skipped; JSON lines carry the service and every field")
    func levelsAndJSON() throws {
        let reader = PipeReader()
        let marker = "marker-\(UInt64.random(in: 0...UInt64.max))"
        Log.configure(level: .info, format: .json, service: "tested", output: reader.write)
        let logger = Logger(["component": "test", "marker": .string(marker)])
        logger.debug("hidden")
        logger.info("shown", ["item_id": "ring-1", "count": 3])
        logger.error("also shown")
        Log.configure(service: "pawnshop")
        let lines = reader.finish().split(separator: "\n").filter { $0.contains(marker) }
        #expect(lines.count == 2, "\(lines)")
        let first = try #require(
            try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["msg"] as? String == "shown")
        #expect(first["level"] as? String == "info")
        #expect(first["service"] as? String == "tested")
        #expect(first["component"] as? String == "test")
        #expect(first["item_id"] as? String == "ring-1")
        #expect(first["count"] as? Int == 3)
        #expect(lines[1].contains("\"msg\":\"also shown\""))
    }

    @Test("lines from many threads arrive whole and each once")
    func concurrentLines() {
        let reader = PipeReader()
        let marker = "marker-\(UInt64.random(in: 0...UInt64.max))"
        Log.configure(level: .info, format: .logfmt, service: "tested", output: reader.write)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let logger = Logger(["marker": .string(marker), "thread": .int(thread)])
            for index in 0..<500 { logger.info("line \(index) " + String(repeating: "x", count: 200)) }
        }
        Log.configure(service: "pawnshop")
        let lines = reader.finish().split(separator: "\n").filter { $0.contains(marker) }
        #expect(lines.count == 4_000)
        #expect(lines.allSatisfy { $0.hasPrefix("time=") && $0.contains(" msg=\"line ") })
        #expect(Set(lines).count == 4_000)
    }

    @Test("an output that does not keep up: lines past the buffer are dropped and counted, never waited for")
    func fullBufferDrops() {
        // Nobody reads the pipe until the end: the writer thread blocks on it once the pipe
        // (64 KiB) is full, and the buffer fills behind it.
        let reader = PipeReader(paused: true)
        let before = Log.droppedLines
        Log.configure(level: .info, format: .logfmt, service: "tested", output: reader.write)
        let logger = Logger()
        let line = String(repeating: "y", count: 1_000)
        let started = ContinuousClock.now
        for _ in 0..<12_000 { logger.info(line) }  // 12 MB > the 8 MiB buffer
        let elapsed = ContinuousClock.now - started
        #expect(Log.droppedLines > before, "the lines past the buffer must be dropped")
        #expect(elapsed < .seconds(10), "logging must not wait for the output")
        reader.resume()
        Log.configure(service: "pawnshop")
        _ = reader.finish()
    }
}
