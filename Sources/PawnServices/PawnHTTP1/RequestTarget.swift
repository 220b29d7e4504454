/// The request target of RFC 9112 §3.2: origin-form (`/path?query`), absolute-form
/// (`http://host/path?query`) or, for OPTIONS, asterisk-form; split and percent-decoded.
enum RequestTarget {
    static func split(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTP1ParseError)
        -> (path: String, query: [(name: String, value: String)])
    {
        var bytes = target
        if bytes.count == 1, bytes[0] == UInt8(ascii: "*") {
            guard method == .options else {
                throw HTTP1ParseError(.badRequest, "'*' is only a target for OPTIONS")
            }
            return ("*", [])
        }
        if bytes.first != UInt8(ascii: "/") {
            // absolute-form: scheme "://" authority path-abempty [ "?" query ]
            guard let schemeEnd = find(bytes, "://"), schemeEnd > 0 else {
                throw HTTP1ParseError(.badRequest, "the request target must be a path or an absolute URI")
            }
            let afterAuthority = bytes[(schemeEnd + 3)...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?")
            }
            guard let pathStart = afterAuthority else { return ("/", []) }
            bytes = UnsafeBufferPointer(rebasing: bytes[pathStart...])
        }
        if bytes.contains(UInt8(ascii: "#")) {
            throw HTTP1ParseError(.badRequest, "a fragment in the request target")
        }
        let questionMark = bytes.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = UnsafeBufferPointer(rebasing: bytes[..<(questionMark ?? bytes.count)])
        var path = try percentDecode(rawPath, plusIsSpace: false, what: "path")
        if path.isEmpty || !path.hasPrefix("/") { path = "/" + path }
        var query: [(name: String, value: String)] = []
        if let questionMark {
            let rawQuery = UnsafeBufferPointer(rebasing: bytes[(questionMark + 1)...])
            for pair in rawQuery.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
                let pairBuffer = UnsafeBufferPointer(rebasing: pair)
                if let equals = pairBuffer.firstIndex(of: UInt8(ascii: "=")) {
                    let name = try percentDecode(
                        UnsafeBufferPointer(rebasing: pairBuffer[..<equals]), plusIsSpace: true, what: "query"
                    )
                    let value = try percentDecode(
                        UnsafeBufferPointer(rebasing: pairBuffer[(equals + 1)...]), plusIsSpace: true,
                        what: "query")
                    query.append((name: name, value: value))
                } else {
                    query.append(
                        (name: try percentDecode(pairBuffer, plusIsSpace: true, what: "query"), value: ""))
                }
            }
        }
        return (path, query)
    }

    private static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard bytes.count >= count else { return nil }
        let needleBytes = UnsafeBufferPointer(start: needle.utf8Start, count: count)
        for index in 0...(bytes.count - count) where bytes[index..<(index + count)].elementsEqual(needleBytes)
        {
            return index
        }
        return nil
    }

    /// `%HH` sequences decoded; the result must be valid UTF-8 without NUL.
    static func percentDecode(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool, what: String)
        throws(HTTP1ParseError)
        -> String
    {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = HTTP1RequestParser.hexValue(bytes[index + 1]),
                    let low = HTTP1RequestParser.hexValue(bytes[index + 2])
                else {
                    throw HTTP1ParseError(.badRequest, "invalid percent-encoding in the \(what)")
                }
                let value = UInt8(high << 4 | low)
                guard value != 0 else { throw HTTP1ParseError(.badRequest, "NUL in the \(what)") }
                decoded.append(value)
                index += 3
            } else {
                decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? 0x20 : byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw HTTP1ParseError(.badRequest, "the \(what) is not valid UTF-8 once decoded")
        }
        return text
    }
}
