/// Limits the HTTP/1.1 parser enforces, each with the status its violation gets.
public struct HTTP1Limits: Hashable, Sendable {
    /// The request line and header fields together, CRLFs included (431 past it).
    public var maxHeaderBytes: Int
    /// The number of header fields (431 past it).
    public var maxHeaderCount: Int
    /// The body, after de-chunking (413 past it).
    public var maxBodyBytes: Int
    /// A chunk-size line with its extensions (400 past it).
    public var maxChunkLineBytes: Int

    /// 16 KiB of headers in at most 100 fields, 1 MiB bodies, 1 KiB chunk lines.
    public init(
        maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1024 * 1024,
        maxChunkLineBytes: Int = 1024
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}

/// Why a request cannot be read: the status to answer with and a sentence. After an error
/// the connection must be closed, since the framing of what follows is unknown.
public struct HTTP1ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status to answer with.
    public var status: HTTPStatus
    /// A sentence for people.
    public var message: String

    /// An error answered with `status`.
    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code): \(message)" }
}

/// What the parser found in the bytes so far.
public enum HTTP1ParserEvent: Sendable {
    /// A whole request, body included.
    case request(HTTPRequest)
    /// A request with `Expect: 100-continue` whose body has not arrived: the server should
    /// send `100 Continue` (or its final answer) now.
    case expectContinue
}

/// A sans-I/O HTTP/1.1 request parser (RFC 9112): bytes in, requests out, no sockets.
///
/// It reads pipelined requests in order, Content-Length and chunked bodies, and refuses
/// the shapes that enable request smuggling (both Content-Length and Transfer-Encoding,
/// conflicting Content-Lengths, bad chunk sizes, bare CR or LF, NUL, obs-fold, invalid
/// tokens) with 400, oversized headers with 431 and oversized bodies with 413.
public struct HTTP1RequestParser: Sendable {
    /// The limits this parser enforces.
    public let limits: HTTP1Limits

    private var buffer: [UInt8] = []
    /// The first byte not yet consumed.
    private var start = 0
    /// Where the search for the end of the header section resumes.
    private var scanFrom = 0
    private var state = State.head
    private var head: Head?
    private var body: [UInt8] = []
    private var trailerBytes = 0

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTP1ParseError)
    }

    /// A parsed head whose body is still being read.
    private struct Head: Sendable {
        var request: HTTPRequest
        var expectContinue: Bool
    }

    /// A parser for one connection.
    public init(limits: HTTP1Limits = HTTP1Limits()) { self.limits = limits }

    /// Whether no part of a request is buffered (so a quiet connection is idle, not slow).
    public var isIdle: Bool {
        if case .head = state { return start == buffer.count }
        return false
    }

    /// Whether the parser is reading a request's head (the header timeout applies).
    public var isReadingHead: Bool {
        if case .head = state { return start < buffer.count }
        return false
    }

    /// Adds bytes received from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes received from the peer.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    private mutating func compactIfWorthwhile() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            scanFrom = 0
            start = 0
        } else if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            scanFrom = max(0, scanFrom - start)
            start = 0
        }
    }

    /// The next event the buffered bytes make, or `nil` when more bytes are needed.
    public mutating func next() throws(HTTP1ParseError) -> HTTP1ParserEvent? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTP1ParseError) -> HTTP1ParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .head:
                guard let parsed = try parseHead() else { return nil }
                if let event = try beginBody(parsed) { return event }
            case .fixedBody(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .fixedBody(remaining: remaining - taken)
                    return nil
                }
                return .request(finish())
            case .chunkSize:
                guard let line = try takeLine(limit: limits.maxChunkLineBytes, what: "chunk-size line") else {
                    return nil
                }
                let size = try Self.parseChunkSize(line)
                if size == 0 {
                    state = .trailers
                    trailerBytes = 0
                } else {
                    guard size <= limits.maxBodyBytes - body.count else { throw bodyTooLarge() }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .chunkData(remaining: remaining - taken)
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - start >= 2 else { return nil }
                guard buffer[start] == 0x0D, buffer[start + 1] == 0x0A else {
                    throw HTTP1ParseError(.badRequest, "chunk data is not followed by CRLF")
                }
                start += 2
                state = .chunkSize
            case .trailers:
                let room = limits.maxHeaderBytes - trailerBytes
                guard let line = try takeLine(limit: room, what: "trailer section", status: .headersTooLarge)
                else {
                    return nil
                }
                trailerBytes += line.count + 2
                if line.isEmpty { return .request(finish()) }
                // Trailer fields are validated like header fields, then dropped.
                _ = try line.withUnsafeBufferPointer { fieldLine throws(HTTP1ParseError) in
                    try Self.parseField(fieldLine)
                }
            }
        }
    }

    // MARK: - Head

    private mutating func parseHead() throws(HTTP1ParseError) -> Head? {
        // RFC 9112 §2.2: ignore empty lines before a request line.
        while buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A { start += 2 }
        if buffer.count - start >= 1, buffer[start] == 0x0A {
            throw HTTP1ParseError(.badRequest, "bare LF before the request line")
        }
        guard let end = findHeaderEnd() else {
            if buffer.count - start > limits.maxHeaderBytes {
                throw HTTP1ParseError(
                    .headersTooLarge, "the header section exceeds \(limits.maxHeaderBytes) bytes")
            }
            return nil
        }
        if end - start > limits.maxHeaderBytes {
            throw HTTP1ParseError(
                .headersTooLarge, "the header section exceeds \(limits.maxHeaderBytes) bytes")
        }
        let headStart = start
        start = end
        scanFrom = end
        return try buffer.withUnsafeBufferPointer { whole throws(HTTP1ParseError) in
            try Self.parseHead(UnsafeBufferPointer(rebasing: whole[headStart..<(end - 4)]), limits: limits)
        }
    }

    /// The index just past the CRLFCRLF that ends the header section.
    private mutating func findHeaderEnd() -> Int? {
        var index = max(scanFrom, start)
        let count = buffer.count
        while index + 3 < count {
            if buffer[index + 3] != 0x0A {
                index += buffer[index + 3] == 0x0D ? 1 : 4
                continue
            }
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D {
                return index + 4
            }
            index += 1
        }
        scanFrom = max(start, count - 3)
        return nil
    }

    private static func parseHead(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTP1Limits)
        throws(HTTP1ParseError)
        -> Head
    {
        var lines = LineSplitter(bytes: bytes)
        guard let requestLine = try lines.next() else {
            throw HTTP1ParseError(.badRequest, "empty request line")
        }
        var request = try parseRequestLine(requestLine)
        var headers = HTTPHeaders()
        while let line = try lines.next() {
            guard headers.count < limits.maxHeaderCount else {
                throw HTTP1ParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields")
            }
            let (name, value) = try parseField(line)
            headers.add(name: name, value: value)
        }
        request.headers = headers

        if request.version == .http1_1 {
            let hosts = headers.values("Host")
            guard hosts.count == 1 else {
                throw HTTP1ParseError(
                    .badRequest, hosts.isEmpty ? "missing Host header" : "more than one Host header")
            }
        }
        let connection = headers.values("Connection")
        let close = connection.contains { HTTPHeaders.listContains($0, "close") }
        let keepAlive = connection.contains { HTTPHeaders.listContains($0, "keep-alive") }
        request.keepAlive = request.version == .http1_1 ? !close : (keepAlive && !close)

        var expectContinue = false
        if let expect = headers["Expect"] {
            guard HTTPHeaders.equalsIgnoringCase(expect.trimmingASCIIWhitespace(), "100-continue"),
                headers.values("Expect").count == 1
            else {
                throw HTTP1ParseError(.expectationFailed, "the only expectation supported is 100-continue")
            }
            expectContinue = request.version == .http1_1
        }
        return Head(request: request, expectContinue: expectContinue)
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError)
        -> HTTPRequest
    {
        guard let firstSpace = line.firstIndex(of: 0x20) else {
            throw HTTP1ParseError(.badRequest, "malformed request line")
        }
        let method = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else {
            throw HTTP1ParseError(.badRequest, "invalid method")
        }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: 0x20) else {
            throw HTTP1ParseError(.badRequest, "malformed request line")
        }
        let target = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let version = UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTP1ParseError(.badRequest, "invalid request target")
        }
        let httpVersion: HTTPVersion
        if version.elementsEqual("HTTP/1.1".utf8) {
            httpVersion = .http1_1
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            httpVersion = .http1_0
        } else if version.count == 8, version.starts(with: "HTTP/".utf8), isDigit(version[5]),
            version[6] == 0x2E,
            isDigit(version[7])
        {
            throw HTTP1ParseError(.versionNotSupported, "only HTTP/1.0 and HTTP/1.1 are served here")
        } else {
            throw HTTP1ParseError(.badRequest, "malformed HTTP version")
        }
        let methodValue = HTTPMethod(rawValue: String(decoding: method, as: UTF8.self))
        let targetValue = String(decoding: target, as: UTF8.self)
        let (path, query) = try RequestTarget.split(target, method: methodValue)
        return HTTPRequest(
            method: methodValue, target: targetValue, path: path, query: query, version: httpVersion)
    }

    /// A `name: value` field line; the value without surrounding spaces and tabs.
    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> (
        String, String
    ) {
        guard let first = line.first else { throw HTTP1ParseError(.badRequest, "empty header line") }
        if first == 0x20 || first == 0x09 {
            throw HTTP1ParseError(.badRequest, "obsolete line folding is not accepted")
        }
        guard let colon = line.firstIndex(of: 0x3A) else {
            throw HTTP1ParseError(.badRequest, "header line without a colon")
        }
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw HTTP1ParseError(.badRequest, "invalid header name")
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 {
            valueEnd -= 1
        }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        for byte in value where !(byte == 0x09 || byte >= 0x20) || byte == 0x7F {
            throw HTTP1ParseError(.badRequest, "invalid character in header value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    // MARK: - Body

    private mutating func beginBody(_ parsed: Head) throws(HTTP1ParseError) -> HTTP1ParserEvent? {
        let headers = parsed.request.headers
        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        head = parsed
        body = []
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                throw HTTP1ParseError(.badRequest, "both Content-Length and Transfer-Encoding")
            }
            guard parsed.request.version == .http1_1 else {
                throw HTTP1ParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request")
            }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map {
                String($0).trimmingASCIIWhitespace()
            }
            guard let last = codings.last, HTTPHeaders.equalsIgnoringCase(last, "chunked") else {
                throw HTTP1ParseError(.badRequest, "the final transfer coding must be chunked")
            }
            guard codings.count == 1 else {
                throw HTTP1ParseError(
                    .notImplemented, "transfer codings other than chunked are not supported")
            }
            state = .chunkSize
            return parsed.expectContinue && buffer.count == start ? .expectContinue : nil
        }
        if !contentLengths.isEmpty {
            var length: Int? = nil
            for field in contentLengths {
                for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                    let text = String(part).trimmingASCIIWhitespace()
                    guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy(Self.isDigit),
                        let value = Int(text)
                    else {
                        throw HTTP1ParseError(.badRequest, "invalid Content-Length")
                    }
                    if let length, length != value {
                        throw HTTP1ParseError(.badRequest, "conflicting Content-Length values")
                    }
                    length = value
                }
            }
            let bodyLength = length ?? 0
            guard bodyLength <= limits.maxBodyBytes else { throw bodyTooLarge() }
            if bodyLength == 0 {
                state = .fixedBody(remaining: 0)
                return nil
            }
            body.reserveCapacity(bodyLength)
            state = .fixedBody(remaining: bodyLength)
            return parsed.expectContinue && buffer.count - start < bodyLength ? .expectContinue : nil
        }
        state = .fixedBody(remaining: 0)
        return nil
    }

    private func bodyTooLarge() -> HTTP1ParseError {
        HTTP1ParseError(.contentTooLarge, "the body exceeds \(limits.maxBodyBytes) bytes")
    }

    /// Moves up to `wanted` buffered bytes into the body; returns how many.
    private mutating func takeBody(upTo wanted: Int) -> Int {
        let taken = min(wanted, buffer.count - start)
        if taken > 0 {
            body.append(contentsOf: buffer[start..<(start + taken)])
            start += taken
        }
        return taken
    }

    private mutating func finish() -> HTTPRequest {
        var request = head!.request
        request.body = body
        head = nil
        body = []
        state = .head
        return request
    }

    /// A CRLF-terminated line of at most `limit` bytes, without its CRLF.
    private mutating func takeLine(limit: Int, what: String, status: HTTPStatus = .badRequest)
        throws(HTTP1ParseError)
        -> [UInt8]?
    {
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if byte == 0x0A { throw HTTP1ParseError(.badRequest, "bare LF in the \(what)") }
            if byte == 0x0D {
                guard index + 1 < buffer.count else { break }
                guard buffer[index + 1] == 0x0A else {
                    throw HTTP1ParseError(.badRequest, "bare CR in the \(what)")
                }
                let line = Array(buffer[start..<index])
                start = index + 2
                return line
            }
            index += 1
            if index - start > limit { throw HTTP1ParseError(status, "the \(what) is too long") }
        }
        // A CR at the end of what arrived may be the line's own end: not counted, so that a
        // line at the limit is taken however the reads split it.
        let pending = buffer.count - start - (buffer.last == 0x0D ? 1 : 0)
        if pending > limit { throw HTTP1ParseError(status, "the \(what) is too long") }
        return nil
    }

    private static func parseChunkSize(_ line: [UInt8]) throws(HTTP1ParseError) -> Int {
        var size = 0
        var digits = 0
        var index = 0
        while index < line.count, let digit = hexValue(line[index]) {
            guard digits < 15 else { throw HTTP1ParseError(.badRequest, "chunk size too large") }
            size = size << 4 | digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw HTTP1ParseError(.badRequest, "invalid chunk size") }
        // Optional whitespace, then extensions (`;name=value`), which are ignored.
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index < line.count {
            guard line[index] == 0x3B else { throw HTTP1ParseError(.badRequest, "invalid chunk size") }
            for byte in line[index...] where !(byte == 0x09 || (byte >= 0x20 && byte != 0x7F)) {
                throw HTTP1ParseError(.badRequest, "invalid character in a chunk extension")
            }
        }
        return size
    }

    // MARK: - Characters

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// RFC 9110 tchar: `!#$%&'*+-.^_|~`, digits and letters.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }
}

/// Splits a header section into CRLF-terminated lines, refusing bare CR, bare LF and NUL.
private struct LineSplitter {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func next() throws(HTTP1ParseError) -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count || (index == 0 && bytes.isEmpty) else { return nil }
        if bytes.isEmpty {
            index = 1
            return bytes
        }
        let lineStart = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x0D:
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else {
                    throw HTTP1ParseError(.badRequest, "bare CR in the header section")
                }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<index])
                index += 2
                return line
            case 0x0A:
                throw HTTP1ParseError(.badRequest, "bare LF in the header section")
            case 0x00:
                throw HTTP1ParseError(.badRequest, "NUL in the header section")
            default:
                index += 1
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[lineStart..<index])
    }
}
