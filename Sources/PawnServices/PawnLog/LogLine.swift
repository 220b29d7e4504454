import Glibc

/// One line of the log, written as logfmt or JSON: time, level, service and message first,
/// then the fields in the order given. Pure apart from ``now()``.
///
/// Lines are written byte by byte into one array (an access line per request is on the hot
/// path): text goes in through its UTF-8 view, and only the bytes that need it are escaped.
enum LogLine {
    /// `time=… level=… service=… msg=… key=value…` or the same keys as one JSON object, with
    /// a line feed.
    static func format(
        time: String, level: LogLevel, service: String, message: String, fields: [(String, LogValue)],
        as format: LogFormat
    ) -> String {
        String(
            decoding: bytes(time: Array(time.utf8), level, service, message, fields, format), as: UTF8.self)
    }

    /// The line as bytes, `time` an RFC 3339 timestamp (``timestampBytes(seconds:milliseconds:)``).
    static func bytes(
        time: [UInt8], _ level: LogLevel, _ service: String, _ message: String,
        _ fields: [(String, LogValue)],
        _ format: LogFormat
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + message.utf8.count + fields.count * 24)
        switch format {
        case .logfmt:
            out += "time=".utf8
            out += time
            out += " level=".utf8
            out += level.description.utf8
            out += " service=".utf8
            appendLogfmt(&out, service)
            out += " msg=".utf8
            appendLogfmt(&out, message)
            for (key, value) in fields {
                out.append(0x20)
                appendLogfmtKey(&out, key)
                out.append(UInt8(ascii: "="))
                switch value {
                case .string(let text): appendLogfmt(&out, text)
                default: out += value.text.utf8
                }
            }
            out.append(0x0A)
        case .json:
            out += "{\"time\":\"".utf8
            out += time
            out += "\",\"level\":\"".utf8
            out += level.description.utf8
            out += "\",\"service\":".utf8
            appendJSON(&out, service)
            out += ",\"msg\":".utf8
            appendJSON(&out, message)
            for (key, value) in fields {
                out.append(UInt8(ascii: ","))
                appendJSON(&out, key)
                out.append(UInt8(ascii: ":"))
                switch value {
                case .string(let text): appendJSON(&out, text)
                case .int, .bool: out += value.text.utf8
                case .double(let number):
                    if number.isFinite { out += value.text.utf8 } else { appendJSON(&out, value.text) }
                }
            }
            out += "}\n".utf8
        }
        return out
    }

    /// A logfmt value: bare when it is non-empty and holds no space, `=`, `"`, `\` or control
    /// character; otherwise quoted, with `"` and `\` escaped and control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`.
    static func logfmt(_ text: String) -> String {
        var out: [UInt8] = []
        appendLogfmt(&out, text)
        return String(decoding: out, as: UTF8.self)
    }

    /// A key as logfmt writes it: letters, digits, `_`, `.` and `-`; anything else becomes `_`.
    static func logfmtKey(_ key: String) -> String {
        var out: [UInt8] = []
        appendLogfmtKey(&out, key)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal (RFC 8259): `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`.
    static func json(_ text: String) -> String {
        var out: [UInt8] = []
        appendJSON(&out, text)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendLogfmt(_ out: inout [UInt8], _ text: String) {
        var bare = !text.isEmpty
        if bare {
            var previous: UInt8 = 0
            for byte in text.utf8 {
                if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"")
                    || byte == UInt8(ascii: "\\") || isC1(previous, byte)
                {
                    bare = false
                    break
                }
                previous = byte
            }
        }
        if bare {
            out += text.utf8
        } else {
            out.append(UInt8(ascii: "\""))
            appendEscaped(&out, text)
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func appendLogfmtKey(_ out: inout [UInt8], _ key: String) {
        guard !key.isEmpty else { return out.append(UInt8(ascii: "_")) }
        // Keys are nearly always plain already: checked first, then appended in one go (a
        // byte at a time was 1 % of a read request).
        if key.utf8.allSatisfy(isPlainKeyByte) {
            out += key.utf8
            return
        }
        for byte in key.utf8 {
            if isPlainKeyByte(byte) {
                out.append(byte)
            } else if !(0x80...0xBF).contains(byte) {  // a continuation byte's character is already one `_`
                out.append(UInt8(ascii: "_"))
            }
        }
    }

    private static func isPlainKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private static func appendJSON(_ out: inout [UInt8], _ text: String) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(&out, text)
        out.append(UInt8(ascii: "\""))
    }

    /// `text`'s UTF-8 with `"`, `\` and control characters (C0, DEL and C1) escaped.
    private static func appendEscaped(_ out: inout [UInt8], _ text: String) {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            defer { previous = byte }
            switch byte {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case 0x0A: out += "\\n".utf8
            case 0x0D: out += "\\r".utf8
            case 0x09: out += "\\t".utf8
            case 0..<0x20, 0x7F: appendUnicodeEscape(&out, byte)
            case 0x80...0x9F where previous == 0xC2:
                // U+0080–U+009F: the 0xC2 lead byte is already out; take it back.
                out.removeLast()
                appendUnicodeEscape(&out, byte)
            default: out.append(byte)
            }
        }
    }

    /// Whether `previous, byte` is the UTF-8 of a C1 control character (U+0080–U+009F).
    @inline(__always)
    private static func isC1(_ previous: UInt8, _ byte: UInt8) -> Bool {
        previous == 0xC2 && (0x80...0x9F).contains(byte)
    }

    private static func appendUnicodeEscape(_ out: inout [UInt8], _ value: UInt8) {
        let digits = Array("0123456789abcdef".utf8)
        out += "\\u00".utf8
        out.append(digits[Int(value >> 4)])
        out.append(digits[Int(value & 0x0F)])
    }

    /// The wall clock in UTC, RFC 3339 with milliseconds: `2026-12-03T13:20:00.123Z`.
    static func now() -> String { String(decoding: nowBytes(), as: UTF8.self) }

    /// ``now()`` as bytes.
    static func nowBytes() -> [UInt8] {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return timestampBytes(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    /// `seconds` since the epoch and `milliseconds` as RFC 3339 in UTC.
    static func timestamp(seconds: Int, milliseconds: Int) -> String {
        String(decoding: timestampBytes(seconds: seconds, milliseconds: milliseconds), as: UTF8.self)
    }

    /// ``timestamp(seconds:milliseconds:)`` as bytes.
    static func timestampBytes(seconds: Int, milliseconds: Int) -> [UInt8] {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        digits(milliseconds, 3)
        out.append(UInt8(ascii: "Z"))
        return out
    }
}
