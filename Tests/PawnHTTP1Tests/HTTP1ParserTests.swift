import PawnHTTP1
import Testing

/// Parses `text` fed in one piece (and, as a cross-check, byte by byte): the requests, or
/// the first error.
func parse(_ text: String, limits: HTTP1Limits = HTTP1Limits()) -> ([HTTPRequest], HTTP1ParseError?) {
    parse(Array(text.utf8), limits: limits)
}

func parse(_ bytes: [UInt8], limits: HTTP1Limits = HTTP1Limits(), chunk: Int = .max) -> (
    [HTTPRequest], HTTP1ParseError?
) {
    var parser = HTTP1RequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + max(chunk, 1))
        parser.append(Array(bytes[offset..<end]))
        offset = end
        do {
            while let event = try parser.next() {
                if case .request(let request) = event { requests.append(request) }
            }
        } catch {
            return (requests, error)
        }
    } while offset < bytes.count
    return (requests, nil)
}

/// The status a malformed request gets.
func status(_ text: String, limits: HTTP1Limits = HTTP1Limits()) -> Int? {
    let (_, error) = parse(text, limits: limits)
    return error?.status.code
}

@Suite("HTTP/1.1 parser")
struct HTTP1ParserTests {
    @Test("a chunk-size line of exactly the limit is taken however the reads split it")
    func aLineAtTheLimitDoesNotDependOnTheSplit() {
        var limits = HTTP1Limits()
        limits.maxChunkLineBytes = 16
        // "5;" and an extension up to 16 bytes in all, then CRLF.
        let line = "5;" + String(repeating: "x", count: 14)
        let request = Array(
            ("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + line
                + "\r\nhello\r\n0\r\n\r\n")
                .utf8)
        let (whole, error) = parse(request, limits: limits)
        #expect(error == nil && whole.first?.body == Array("hello".utf8))
        for chunk in 1...request.count {
            let (split, splitError) = parse(request, limits: limits, chunk: chunk)
            #expect(splitError == nil, "reads of \(chunk) bytes: \(String(describing: splitError))")
            #expect(split.first?.body == Array("hello".utf8))
        }
    }

    @Test func simpleGet() throws {
        let (requests, error) = parse("GET /item/fetch/ring-1 HTTP/1.1\r\nHost: x\r\nuSeR-aGeNt: t\r\n\r\n")
        #expect(error == nil)
        let request = try #require(requests.first)
        #expect(request.method == .get && request.path == "/item/fetch/ring-1" && request.version == .http1_1)
        #expect(request.headers["user-agent"] == "t" && request.headers["USER-AGENT"] == "t")
        #expect(request.keepAlive && request.body.isEmpty)
    }

    @Test func keepAliveDefaults() throws {
        #expect(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").0.first?.keepAlive == false)
        #expect(parse("GET / HTTP/1.0\r\n\r\n").0.first?.keepAlive == false)
        #expect(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").0.first?.keepAlive == true)
        #expect(
            parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, CLOSE\r\n\r\n").0.first?.keepAlive
                == false)
    }

    @Test(
        "pipelined requests come out in order, however the bytes are split",
        arguments: [1, 2, 3, 7, 64, Int.max])
    func pipelined(chunk: Int) throws {
        let text =
            "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n"
            + "GET /d?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        let (requests, error) = parse(Array(text.utf8), chunk: chunk)
        #expect(error == nil)
        #expect(requests.map(\.path) == ["/a", "/b", "/c", "/d"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["", "hello", "abc", ""])
    }

    @Test func chunkedBodies() throws {
        let text =
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n1 ; a=\"b\"\r\n!\r\n0\r\n\r\n"
        #expect(parse(text).0.first?.body == Array("0123456789!".utf8))
    }

    @Test func expectContinue() throws {
        var parser = HTTP1RequestParser()
        parser.append(
            Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .expectContinue = try parser.next() else {
            Issue.record("expected 100-continue")
            return
        }
        #expect(try parser.next() == nil)
        parser.append(Array("abc".utf8))
        guard case .request(let request) = try parser.next() else {
            Issue.record("expected the request")
            return
        }
        #expect(request.body == Array("abc".utf8))
        // The body already here: no interim answer is needed.
        let (requests, error) = parse(
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz")
        #expect(requests.count == 1 && error == nil)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nz") == 417)
    }

    @Test func percentDecoding() throws {
        let request = try #require(
            parse("GET /item/fetch/a%20b%2Fc?name=Gold+ring&x=%C3%A9&flag&=v HTTP/1.1\r\nHost: x\r\n\r\n").0
                .first)
        #expect(request.path == "/item/fetch/a b/c")
        #expect(request.query.map(\.name) == ["name", "x", "flag", ""])
        #expect(request.query.map(\.value) == ["Gold ring", "é", "", "v"])
        #expect(request.queryValue("name") == "Gold ring")
        #expect(request.target == "/item/fetch/a%20b%2Fc?name=Gold+ring&x=%C3%A9&flag&=v")
        let absolute = try #require(
            parse("GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n").0.first)
        #expect(absolute.path == "/p" && absolute.queryValue("q") == "1")
        #expect(parse("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").0.first?.path == "*")
    }

    @Test("limits get 431 and 413")
    func limits() {
        let big = String(repeating: "a", count: 16 * 1024)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n") == 431)
        // Still incomplete, but already too large: refused without waiting for the end.
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(big)") == 431)
        let many = (0..<101).map { "X-\($0): v\r\n" }.joined()
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\n\(many)\r\n") == 431)
        let small = HTTP1Limits(maxBodyBytes: 10)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: small) == 413)
        #expect(
            status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", limits: small) == nil
        )
        #expect(
            status(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n",
                limits: small) == 413)
        #expect(
            status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: \(big)\r\n\r\n")
                == 431)
    }

    /// Each of these is a shape used to smuggle requests past a proxy, or simply malformed.
    static let refused: [(String, String, Int)] = [
        (
            "Content-Length and Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400
        ),
        (
            "conflicting Content-Length fields",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400
        ),
        (
            "conflicting Content-Length list",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400
        ),
        ("signed Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400),
        ("negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("hex Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc", 400),
        ("empty Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", 400),
        (
            "huge Content-Length",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400
        ),
        ("chunked not last", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("unknown coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", 400),
        (
            "coding before chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            501
        ),
        (
            "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400
        ),
        ("non-hex chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("empty chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
        (
            "negative chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
            400
        ),
        (
            "overflowing chunk size",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 400
        ),
        (
            "junk after chunk size",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n", 400
        ),
        (
            "chunk without CRLF",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400
        ),
        (
            "bare LF chunk line",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400
        ),
        ("bare CR in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400),
        ("bare LF between fields", "GET / HTTP/1.1\r\nHost: x\nX: a\r\n\r\n", 400),
        ("NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n", 400),
        ("control character in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{1}b\r\n\r\n", 400),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400),
        ("space before colon", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc", 400),
        ("invalid header name", "GET / HTTP/1.1\r\nHost: x\r\nX(y): z\r\n\r\n", 400),
        ("field without colon", "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", 400),
        ("invalid method", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("missing version", "GET /\r\nHost: x\r\n\r\n", 400),
        ("lowercase version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("non-ASCII target", "GET /caf\u{e9} HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("bad percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("truncated percent-encoding", "GET /a%2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("encoded NUL", "GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("encoded invalid UTF-8", "GET /a%ff HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("fragment", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("relative target", "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("asterisk for GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("bare LF request line", "GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
        ("leading bare LF", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ]

    @Test("refused shapes", arguments: 0..<refused.count)
    func refusedShapes(index: Int) {
        let (name, text, code) = Self.refused[index]
        #expect(status(text) == code, "\(name)")
    }

    @Test func identicalContentLengthsAreOneLength() {
        let (requests, error) = parse(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3, 3\r\n\r\nabc")
        #expect(error == nil && requests.first?.body == Array("abc".utf8))
    }

    @Test func afterAnErrorTheParserStaysFailed() {
        var parser = HTTP1RequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(throws: HTTP1ParseError.self) { try parser.next() }
        #expect(throws: HTTP1ParseError.self) { try parser.next() }
    }

    @Test func idleAndHeadStates() throws {
        var parser = HTTP1RequestParser()
        #expect(parser.isIdle && !parser.isReadingHead)
        parser.append(Array("GET / HT".utf8))
        #expect(try parser.next() == nil)
        #expect(!parser.isIdle && parser.isReadingHead)
        parser.append(Array("TP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try parser.next() != nil)
        #expect(parser.isIdle)
    }
}

@Suite("HTTP/1.1 response writer")
struct HTTP1ResponseWriterTests {
    func text(_ response: HTTPResponse, keepAlive: Bool = true, includeBody: Bool = true) -> String {
        var buffer: [UInt8] = []
        HTTP1ResponseWriter.write(
            response, keepAlive: keepAlive, date: "Tue, 24 Nov 2026 10:00:00 GMT", includeBody: includeBody,
            into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func framing() {
        let response = HTTPResponse(
            status: .ok, headers: ["Content-Type": "application/json", "Content-Length": "999"],
            body: Array("{}".utf8))
        #expect(
            text(response)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nContent-Length: 2\r\n\r\n{}"
        )
        #expect(
            text(response, keepAlive: false).hasSuffix("Content-Length: 2\r\nConnection: close\r\n\r\n{}"))
        #expect(text(response, includeBody: false).hasSuffix("Content-Length: 2\r\n\r\n"))
        #expect(!text(HTTPResponse(status: .noContent)).contains("Content-Length"))
        #expect(
            text(HTTPResponse(status: HTTPStatus(code: 1_234_567, reason: "X"))).hasPrefix(
                "HTTP/1.1 1234567 X\r\n"))
    }

    @Test func headerValuesCannotSplitTheResponse() {
        let response = HTTPResponse(status: .ok, headers: ["X": "a\r\nSet-Cookie: evil"])
        #expect(text(response).contains("X: a  Set-Cookie: evil\r\n"))
    }
}
