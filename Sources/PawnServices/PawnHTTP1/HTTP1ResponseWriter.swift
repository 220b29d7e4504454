/// Serialises responses for HTTP/1.1 (RFC 9112 §4, §6).
public enum HTTP1ResponseWriter {
    /// Appends `response` to `buffer`. `Content-Length` is always sent (except for 1xx and
    /// 204); `Connection: close` is sent when the connection will close. For a HEAD request
    /// (`includeBody == false`) the body is left out but its length is announced.
    public static func write(
        _ response: HTTPResponse, keepAlive: Bool, date: String? = nil, includeBody: Bool = true,
        into buffer: inout [UInt8]
    ) {
        let code = response.status.code
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(code, to: &buffer)
        buffer.append(0x20)
        buffer.append(contentsOf: response.status.reason.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        for field in response.headers {
            // Framing is ours to decide; a handler's own framing headers are dropped.
            if HTTPHeaders.equalsIgnoringCase(field.name, "Content-Length")
                || HTTPHeaders.equalsIgnoringCase(field.name, "Transfer-Encoding")
                || HTTPHeaders.equalsIgnoringCase(field.name, "Connection")
            {
                continue
            }
            appendField(field.name, field.value, to: &buffer)
        }
        if let date { appendField("Date", date, to: &buffer) }
        if code >= 200 && code != 204 {
            buffer.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &buffer)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        if !keepAlive && code >= 200 { buffer.append(contentsOf: "Connection: close\r\n".utf8) }
        buffer.append(contentsOf: "\r\n".utf8)
        if includeBody && code >= 200 && code != 204 { buffer.append(contentsOf: response.body) }
    }

    /// `HTTP/1.1 100 Continue`, the interim answer to `Expect: 100-continue`.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func appendField(_ name: String, _ value: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: ": ".utf8)
        // A value with CR or LF would split the response: such bytes are replaced.
        for byte in value.utf8 { buffer.append(byte == 0x0D || byte == 0x0A || byte == 0 ? 0x20 : byte) }
        buffer.append(contentsOf: "\r\n".utf8)
    }

    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(truncatingIfNeeded: value) + 0x30)
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }
}
