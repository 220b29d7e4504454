import Foundation
import PawnHPACK
import PawnTestSupport
import Testing

func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0..<$0 + 2]), radix: 16)! }
}

func fields(_ pairs: [(String, String)]) -> [HeaderField] { pairs.map { HeaderField($0.0, $0.1) } }

@Suite("HPACK")
struct HPACKTests {
    /// RFC 7541 Appendix C: each sequence through one decoder, with the table size after it.
    static let rfcSequences: [(String, Int, [(String, [(String, String)], Int)])] = [
        (
            "C.3 requests without Huffman", 4096,
            [
                (
                    "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                    [
                        (":method", "GET"), (":scheme", "http"), (":path", "/"),
                        (":authority", "www.example.com"),
                    ], 57
                ),
                (
                    "8286 84be 5808 6e6f 2d63 6163 6865",
                    [
                        (":method", "GET"), (":scheme", "http"), (":path", "/"),
                        (":authority", "www.example.com"), ("cache-control", "no-cache"),
                    ], 110
                ),
                (
                    "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
                    [
                        (":method", "GET"), (":scheme", "https"), (":path", "/index.html"),
                        (":authority", "www.example.com"), ("custom-key", "custom-value"),
                    ], 164
                ),
            ]
        ),
        (
            "C.4 requests with Huffman", 4096,
            [
                (
                    "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                    [
                        (":method", "GET"), (":scheme", "http"), (":path", "/"),
                        (":authority", "www.example.com"),
                    ], 57
                ),
                (
                    "8286 84be 5886 a8eb 1064 9cbf",
                    [
                        (":method", "GET"), (":scheme", "http"), (":path", "/"),
                        (":authority", "www.example.com"), ("cache-control", "no-cache"),
                    ], 110
                ),
                (
                    "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
                    [
                        (":method", "GET"), (":scheme", "https"), (":path", "/index.html"),
                        (":authority", "www.example.com"), ("custom-key", "custom-value"),
                    ], 164
                ),
            ]
        ),
        (
            "C.6 responses with Huffman, 256-byte table", 256,
            [
                (
                    "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                    [
                        (":status", "302"), ("cache-control", "private"),
                        ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com"),
                    ], 222
                ),
                (
                    "4883 640e ffc1 c0bf",
                    [
                        (":status", "307"), ("cache-control", "private"),
                        ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com"),
                    ], 222
                ),
                (
                    "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
                    [
                        (":status", "200"), ("cache-control", "private"),
                        ("date", "Mon, 21 Oct 2013 20:13:22 GMT"), ("location", "https://www.example.com"),
                        ("content-encoding", "gzip"),
                        ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
                    ], 215
                ),
            ]
        ),
        (
            "C.2 literal representations", 4096,
            [
                (
                    "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                    [("custom-key", "custom-header")], 55
                ),
                ("040c 2f73 616d 706c 652f 7061 7468", [(":path", "/sample/path")], 55),
                ("1008 7061 7373 776f 7264 0673 6563 7265 74", [("password", "secret")], 55),
                ("82", [(":method", "GET")], 55),
            ]
        ),
    ]

    @Test("RFC 7541 Appendix C", arguments: 0..<rfcSequences.count)
    func rfcExamples(index: Int) throws {
        let (_, tableSize, steps) = Self.rfcSequences[index]
        var decoder = HPACKDecoder(maxTableSize: tableSize)
        for (wire, expected, size) in steps {
            #expect(try decoder.decode(hex(wire)).map { HeaderField($0.name, $0.value) } == fields(expected))
            #expect(decoder.dynamicTableSize.size == size)
        }
    }

    @Test func neverIndexedIsKept() throws {
        var decoder = HPACKDecoder()
        let decoded = try decoder.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))
        #expect(decoded == [HeaderField("password", "secret", neverIndexed: true)])
        var encoder = HPACKEncoder()
        var bytes: [UInt8] = []
        encoder.huffman = false
        encoder.encode([HeaderField("password", "secret", neverIndexed: true)], into: &bytes)
        #expect(bytes == hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))
    }

    @Test("fields are sent byte for byte: a canonically equivalent table entry does not stand for them")
    func canonicallyEquivalentFieldsKeepTheirBytes() throws {
        // "café" precomposed, then decomposed; "K" and the Kelvin sign; ";" and U+037E.
        let fields = [
            HeaderField("x-name", "caf\u{E9}"), HeaderField("x-name", "cafe\u{301}"),
            HeaderField("x-unit", "K"), HeaderField("x-unit", "\u{212A}"),
            HeaderField(":method", "GET"), HeaderField(":method", "GE\u{1E6A}"),
            HeaderField("accept-encoding", "gzip, deflate"),
            HeaderField("accept-encoding", "gzip, deflat\u{0065}"),
            HeaderField("x-mark", ";"), HeaderField("x-mark", "\u{037E}"),
        ]
        var encoder = HPACKEncoder()
        var bytes: [UInt8] = []
        encoder.encode(fields, into: &bytes)
        var decoder = HPACKDecoder()
        let decoded = try decoder.decode(bytes)
        #expect(decoded.count == fields.count)
        for (sent, received) in zip(fields, decoded) {
            #expect(
                Array(received.value.utf8) == Array(sent.value.utf8),
                "\(sent.name): sent \(Array(sent.value.utf8)), received \(Array(received.value.utf8))")
        }
    }

    @Test("a traceparent is a literal without indexing: it never enters the table, what repeats still does")
    func traceparentIsNotIndexed() throws {
        var encoder = HPACKEncoder()
        encoder.huffman = false
        var decoder = HPACKDecoder()
        for span in ["00f067aa0ba902b7", "00f067aa0ba902b8"] {
            let fields = [
                HeaderField("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-\(span)-01"),
                HeaderField("x-repeated", "same"),
            ]
            var bytes: [UInt8] = []
            encoder.encode(fields, into: &bytes)
            // 0000xxxx: literal without indexing (RFC 7541 §6.2.2), name as a literal too.
            #expect(bytes[0] == 0x00)
            #expect(try decoder.decode(bytes) == fields)
            // Only the repeated field is in the table, both times.
            #expect(decoder.dynamicTableSize.size == "x-repeated".utf8.count + "same".utf8.count + 32)
        }
        // The second block named the repeated field by its index: one byte.
        var again: [UInt8] = []
        encoder.encode([HeaderField("x-repeated", "same")], into: &again)
        #expect(again == [0x80 | 62])
    }

    @Test func credentialsAreNeverIndexed() throws {
        var encoder = HPACKEncoder()
        var decoder = HPACKDecoder()
        var bytes: [UInt8] = []
        encoder.encode(
            [HeaderField("authorization", "Bearer abc"), HeaderField("x-plain", "v")], into: &bytes)
        #expect(bytes[0] & 0xF0 == 0x10)  // literal never indexed, name from the static table
        let decoded = try decoder.decode(bytes)
        #expect(decoded[0].neverIndexed && !decoded[1].neverIndexed)
        #expect(decoder.dynamicTableSize.size == HeaderField("x-plain", "v").size)
    }

    @Test func encoderMatchesTheRFCRequests() {
        var encoder = HPACKEncoder()
        var first: [UInt8] = []
        encoder.encode(
            fields([
                (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
            ]), into: &first)
        #expect(first == hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
        var second: [UInt8] = []
        encoder.encode(
            fields([
                (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
                ("cache-control", "no-cache"),
            ]), into: &second)
        #expect(second == hex("8286 84be 5886 a8eb 1064 9cbf"))
    }

    @Test(
        "malformed blocks are errors, not crashes",
        arguments: [
            ("80", "invalidIndex"),  // index 0
            ("be", "invalidIndex"),  // index 62 with an empty dynamic table
            ("ff ff ff ff ff 0f", "integerOverflow"),
            ("ff 80", "truncated"),
            ("41 05 61 62", "truncated"),
            ("40 81 ff 01 61", "invalidHuffman"),  // a Huffman string of all ones: EOS prefix too long
            ("82 3f e1 1f", "invalidTableSizeUpdate"),  // size update after a field
            ("3f e2 1f", "invalidTableSizeUpdate"),  // 4097 > the allowed 4096
        ])
    func malformed(wire: String, code: String) {
        var decoder = HPACKDecoder()
        #expect {
            try decoder.decode(hex(wire))
        } throws: { error in
            (error as? HPACKError)?.code.rawValue == code
        }
    }

    @Test func headerListLimitKeepsTheTableInStep() throws {
        var decoder = HPACKDecoder(maxHeaderListSize: 60)
        let block = hex(
            "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"
        )
        #expect(throws: HPACKError.self) { try decoder.decode(block) }
        // Both entries were still added: the next block may refer to them.
        #expect(decoder.dynamicTableSize.size == 110)
        #expect(try decoder.decode([0xBE]) == [HeaderField("custom-key", "custom-header")])
    }

    @Test func huffmanRoundTripsEveryByte() throws {
        var rng = SeededGenerator(seed: 3)
        for length in [0, 1, 2, 7, 8, 100, 1000] {
            let value = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let name = String(decoding: value.map { $0 & 0x7F | 0x20 }, as: UTF8.self)
            var encoder = HPACKEncoder()
            var decoder = HPACKDecoder()
            var bytes: [UInt8] = []
            encoder.encode([HeaderField("x-\(length)", name)], into: &bytes)
            #expect(try decoder.decode(bytes) == [HeaderField("x-\(length)", name)])
        }
    }

    @Test func tableSizeChangesAreAnnounced() throws {
        var encoder = HPACKEncoder()
        var decoder = HPACKDecoder()
        var bytes: [UInt8] = []
        encoder.encode(fields([("a", "1"), ("b", "2")]), into: &bytes)
        _ = try decoder.decode(bytes)
        encoder.setPeerMaxTableSize(0)
        encoder.setPeerMaxTableSize(100)
        bytes = []
        encoder.encode(fields([("c", "3")]), into: &bytes)
        #expect(Array(bytes.prefix(2)) == [0x20, 0x3F])  // size 0, then size 100 (0x3f 0x45)
        #expect(try decoder.decode(bytes) == fields([("c", "3")]))
        #expect(decoder.dynamicTableSize == (size: 34, max: 100))
    }

    /// The public HPACK interoperability stories (../shared/testdata/hpack): every case of
    /// every story decoded in order, then the same headers re-encoded by us and decoded again.
    @Test func interoperabilityStories() throws {
        let root = Protoc.repositoryRoot.deletingLastPathComponent().appendingPathComponent(
            "shared/testdata/hpack")
        guard FileManager.default.fileExists(atPath: root.path) else {
            print(
                "HPACK stories not found at \(root.path): skipping (they live in the shared folder beside the checkout)"
            )
            return
        }
        var stories = 0
        var cases = 0
        let enumerator = FileManager.default.enumerator(atPath: root.path)!
        for case let path as String in enumerator where path.hasSuffix(".json") {
            let data = try Data(contentsOf: root.appendingPathComponent(path))
            let story = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            var decoder = HPACKDecoder(maxHeaderListSize: 1 << 20)
            var encoder = HPACKEncoder()
            var ourDecoder = HPACKDecoder(maxHeaderListSize: 1 << 20)
            for item in story["cases"] as! [[String: Any]] {
                let expected = (item["headers"] as! [[String: String]]).map {
                    HeaderField($0.first!.key, $0.first!.value)
                }
                if let size = item["header_table_size"] as? Int {
                    decoder.maxAllowedTableSize = max(4096, size)
                }
                let decoded = try decoder.decode(hex(item["wire"] as! String)).map {
                    HeaderField($0.name, $0.value)
                }
                #expect(decoded == expected, "\(path) case \(item["seqno"] ?? "?")")
                var bytes: [UInt8] = []
                encoder.encode(expected, into: &bytes)
                // Names and values; cookies come back flagged never-indexed, as our encoder sends them.
                #expect(
                    try ourDecoder.decode(bytes).map { HeaderField($0.name, $0.value) } == expected,
                    "\(path) re-encoded")
                cases += 1
            }
            stories += 1
        }
        print("HPACK stories: \(stories) stories, \(cases) cases decoded and re-encoded")
        #expect(stories > 100 && cases > 1000)
    }
}
