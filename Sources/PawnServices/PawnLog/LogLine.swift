import Glibc

/// One line of the log, written as logfmt or JSON: time, level, service and message first,
/// then the fields in the order given. Pure apart from ``now()``.
enum LogLine {
    /// `time=… level=… service=… msg=… key=value…` or the same keys as one JSON object, with
    /// a line feed.
    static func format(
        time: String, level: LogLevel, service: String, message: String, fields: [(String, LogValue)],
        as format: LogFormat
    ) -> String {
        switch format {
        case .logfmt:
            var line = "time=\(time) level=\(level) service=\(logfmt(service)) msg=\(logfmt(message))"
            for (key, value) in fields {
                line += " \(logfmtKey(key))=\(logfmt(value.text))"
            }
            return line + "\n"
        case .json:
            var line = "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"service\":\(json(service))"
            line += ",\"msg\":\(json(message))"
            for (key, value) in fields {
                line += ",\(json(key)):"
                switch value {
                case .string(let text): line += json(text)
                case .int, .bool: line += value.text
                case .double(let number): line += number.isFinite ? value.text : json(value.text)
                }
            }
            return line + "}\n"
        }
    }

    /// A logfmt value: bare when it is non-empty and holds no space, `=`, `"`, `\` or control
    /// character; otherwise quoted, with `"` and `\` escaped and control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`.
    static func logfmt(_ text: String) -> String {
        let bare =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.value > 0x20 && scalar.value != 0x7F && scalar != "=" && scalar != "\""
                    && scalar != "\\"
                    && !(0x80...0x9F).contains(scalar.value)
            }
        return bare ? text : "\"" + escaped(text) + "\""
    }

    /// A key as logfmt writes it: letters, digits, `_`, `.` and `-`; anything else becomes `_`.
    static func logfmtKey(_ key: String) -> String {
        let kept = key.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": Character(scalar)
            default: "_"
            }
        }
        return kept.isEmpty ? "_" : String(kept)
    }

    /// A JSON string literal (RFC 8259): `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`.
    static func json(_ text: String) -> String { "\"" + escaped(text) + "\"" }

    private static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The wall clock in UTC, RFC 3339 with milliseconds: `2026-12-03T13:20:00.123Z`.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return timestamp(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    /// `seconds` since the epoch and `milliseconds` as RFC 3339 in UTC.
    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis =
            milliseconds < 10
            ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }
}
