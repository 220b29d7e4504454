import Foundation
import Testing

@testable import PawnLog

@Suite("Log lines: logfmt and JSON")
struct LogLineTests {
    private func line(_ message: String, _ fields: [(String, LogValue)], _ format: LogFormat) -> String {
        LogLine.format(
            time: "2026-12-03T13:20:00.123Z", level: .warning, service: "dispatcher", message: message,
            fields: fields, as: format)
    }

    @Test(
        "logfmt: time, level, service and msg first; values bare when they can be, quoted and escaped when not"
    )
    func logfmt() {
        let text = line(
            "cannot store \"k\"\n", [("worker_id", "w1"), ("empty", ""), ("path", "/a=b"), ("status", 503)],
            .logfmt)
        #expect(
            text
                == "time=2026-12-03T13:20:00.123Z level=warning service=dispatcher msg=\"cannot store \\\"k\\\"\\n\""
                + " worker_id=w1 empty=\"\" path=\"/a=b\" status=503\n")
        #expect(LogLine.logfmt("a\\b") == "\"a\\\\b\"")
        #expect(LogLine.logfmt("tab\there") == "\"tab\\there\"")
        #expect(LogLine.logfmt("bell\u{7}") == "\"bell\\u0007\"")
        #expect(LogLine.logfmt("café−1") == "café−1", "printable non-ASCII stays bare")
        #expect(LogLine.logfmt("next\u{85}line") == "\"next\\u0085line\"", "a C1 control is escaped")
        #expect(LogLine.json("\u{9F}é\u{7F}") == "\"\\u009fé\\u007f\"")
        #expect(LogLine.logfmtKey("clé") == "cl_", "one _ per character, not per byte")
        #expect(LogLine.logfmtKey("http.route") == "http.route")
        #expect(LogLine.logfmtKey("a b=c") == "a_b_c")
        #expect(LogLine.logfmtKey("") == "_")
    }

    @Test("JSON: one object per line that JSONSerialization reads back, numbers and flags unquoted")
    func json() throws {
        let fields: [(String, LogValue)] = [
            ("worker_id", "w\"1\u{1}"), ("status", 201), ("seconds", .double(0.0125)), ("ok", true),
            ("nan", .double(.nan)),
        ]
        let text = line("line\none", fields, .json)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2026-12-03T13:20:00.123Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["service"] as? String == "dispatcher")
        #expect(object["msg"] as? String == "line\none")
        #expect(object["worker_id"] as? String == "w\"1\u{1}")
        #expect(object["status"] as? Int == 201)
        #expect(object["seconds"] as? Double == 0.0125)
        #expect(object["ok"] as? Bool == true)
        #expect(object["nan"] as? String == "nan")
        #expect(text.contains("\"status\":201,"), "numbers are written unquoted")
    }

    @Test("timestamps: RFC 3339 in UTC with milliseconds")
    func timestamps() {
        #expect(LogLine.timestamp(seconds: 0, milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(
            LogLine.timestamp(seconds: 1_796_256_000 + 3_723, milliseconds: 7) == "2026-12-03T01:02:03.007Z")
        #expect(LogLine.timestamp(seconds: 951_782_400, milliseconds: 999) == "2000-02-29T00:00:00.999Z")
        let now = LogLine.now()
        #expect(now.count == 24 && now.hasSuffix("Z"))
    }

    @Test("durations print as decimals without an exponent")
    func decimals() {
        #expect(LogValue.double(0.000042).text == "0.000042")
        #expect(LogValue.double(1.5).text == "1.5")
        #expect(LogValue.double(2).text == "2")
        #expect(LogValue.double(-0.25).text == "-0.25")
    }

    @Test("levels: names, syslog severities, order")
    func levels() {
        #expect(LogLevel(name: "warn") == .warning)
        #expect(LogLevel(name: "debug") == .debug)
        #expect(LogLevel(name: "loud") == nil)
        #expect(LogLevel(syslog: 3) == .error)
        #expect(LogLevel(syslog: 7) == .debug)
        #expect(LogLevel(syslog: 0) == .critical)
        #expect(LogLevel.debug < .info && LogLevel.error > .warning)
    }

    @Test("a logger's fields: with() adds, and replaces a field of the same key")
    func metadata() {
        let logger = Logger(["component": "worker"]).with("worker_id", "w1").with("component", "kafka")
        #expect(logger.metadata.map(\.0) == ["component", "worker_id"])
        #expect(logger.metadata.map(\.1) == ["kafka", "w1"])
    }
}
