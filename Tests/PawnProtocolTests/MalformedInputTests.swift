import PawnProtocol
import Testing

@Suite("Malformed input")
struct MalformedInputTests {
    typealias Reason = ProtoDecodingError.Reason

    static let cases: [(String, [UInt8], Reason, String, Int)] = [
        ("length prefix missing", [0x0A], .truncated, "pawnshop.v1.Item.id", 1),
        ("length past the end", [0x0A, 0x05, 0x61], .lengthPastEnd(length: 5), "pawnshop.v1.Item.id", 0),
        (
            "length larger than memory", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            .lengthPastEnd(length: .max), "pawnshop.v1.Item.id", 0
        ),
        ("varint cut short", [0x20, 0x80, 0x80], .truncated, "pawnshop.v1.Item.price", 1),
        (
            "11-byte varint", [0x20] + Array(repeating: 0xFF, count: 10) + [0x01], .overlongVarint,
            "pawnshop.v1.Item.price", 1
        ),
        (
            "10th varint byte overflows", [0x20] + Array(repeating: 0xFF, count: 9) + [0x02], .overlongVarint,
            "pawnshop.v1.Item.price", 1
        ),
        (
            "string field sent as varint", [0x08, 0x01],
            .wireTypeMismatch(expected: .lengthDelimited, actual: .varint), "pawnshop.v1.Item.id", 0
        ),
        (
            "int64 field sent as fixed64", [0x21] + Array(repeating: 0, count: 8),
            .wireTypeMismatch(expected: .varint, actual: .fixed64), "pawnshop.v1.Item.price", 0
        ),
        (
            "message field sent as fixed32", [0x4D, 0, 0, 0, 0],
            .wireTypeMismatch(expected: .lengthDelimited, actual: .fixed32), "pawnshop.v1.Item.loan", 0
        ),
        ("field number 0", [0x00, 0x01], .invalidFieldNumber(0), "pawnshop.v1.Item", 0),
        ("field number 0, length-delimited", [0x02, 0x00], .invalidFieldNumber(0), "pawnshop.v1.Item", 0),
        (
            "tag wider than 32 bits", [0x80, 0x80, 0x80, 0x80, 0x10], .invalidFieldNumber(1 << 29),
            "pawnshop.v1.Item", 0
        ),
        ("wire type 6", [0x0E], .invalidWireType(6), "pawnshop.v1.Item", 0),
        ("wire type 7", [0x67, 0x00], .invalidWireType(7), "pawnshop.v1.Item", 0),
        ("end group without start", [0x0C], .unmatchedEndGroup, "pawnshop.v1.Item", 0),
        ("group closed by another field", [0x63, 0x6C], .unmatchedEndGroup, "pawnshop.v1.Item", 1),
        ("group never closed", [0x63, 0x68, 0x01], .truncated, "pawnshop.v1.Item", 0),
        ("invalid UTF-8", [0x12, 0x02, 0xC3, 0x28], .invalidUTF8, "pawnshop.v1.Item.name", 0),
        ("UTF-8 surrogate", [0x12, 0x03, 0xED, 0xA0, 0x80], .invalidUTF8, "pawnshop.v1.Item.name", 0),
        (
            "nested message runs past its parent", [0x4A, 0x02, 0x0A, 0x05, 0x61, 0x61],
            .lengthPastEnd(length: 5), "pawnshop.v1.Loan.clientId", 2
        ),
        ("truncated fixed64 in an unknown field", [0x61, 0x01, 0x02], .truncated, "pawnshop.v1.Item", 0),
    ]

    @Test("each malformed shape throws its typed error, naming the field", arguments: 0..<cases.count)
    func malformed(index: Int) {
        let (_, bytes, reason, field, offset) = Self.cases[index]
        #expect(throws: ProtoDecodingError(reason, offset: offset, field: field)) {
            try Wire.Item(serializedBytes: bytes)
        }
    }

    @Test func packedFieldsAreBoundedByTheirLength() {
        // A varint that runs past the packed field's end, and a packed fixed32 of 3 bytes.
        #expect(
            throws: ProtoDecodingError(
                .truncated, offset: 2, field: "pawnshop.v1.HeartbeatRequest.partitions")
        ) {
            try Wire.HeartbeatRequest(serializedBytes: [0x1A, 0x01, 0x80, 0x01])
        }
        #expect(throws: ProtoDecodingError(.truncated, offset: 0, field: "pawnshop.test.ScalarZoo.packedF32"))
        {
            try ScalarZoo(serializedBytes: [0x8A, 0x01, 0x03, 1, 2, 3])
        }
        #expect(
            throws: ProtoDecodingError(
                .wireTypeMismatch(expected: .varint, actual: .fixed32), offset: 0,
                field: "pawnshop.v1.HeartbeatRequest.partitions")
        ) {
            try Wire.HeartbeatRequest(serializedBytes: [0x1D, 0, 0, 0, 0])
        }
    }

    @Test func nestedErrorsNameTheInnermostField() {
        // ItemWithHistory { item { loan { principal: <truncated> } } }
        let bytes: [UInt8] = [0x0A, 0x04, 0x4A, 0x02, 0x10, 0x80]
        #expect(throws: ProtoDecodingError(.truncated, offset: 5, field: "pawnshop.v1.Loan.principal")) {
            try Wire.ItemWithHistory(serializedBytes: bytes)
        }
    }

    @Test func messagesLargerThanTheLimitAreRefusedBeforeDecoding() {
        let big = Wire.FetchByIdRequest(id: String(repeating: "x", count: 100)).serializedBytes()
        #expect(
            throws: ProtoDecodingError(
                .messageTooLarge(size: 102, limit: 101), offset: 0, field: "pawnshop.v1.FetchByIdRequest")
        ) {
            try Wire.FetchByIdRequest(
                serializedBytes: big, options: ProtoDecodingOptions(maxMessageSize: 101))
        }
        #expect(
            (try? Wire.FetchByIdRequest(
                serializedBytes: big, options: ProtoDecodingOptions(maxMessageSize: 102))) != nil)
    }

    @Test("nesting is limited to 100 levels, for messages and for unknown groups")
    func nestingLimit() throws {
        func nested(_ levels: Int) -> ScalarZoo {
            var zoo = ScalarZoo()
            zoo.i32 = 1
            for _ in 0..<levels {
                var parent = ScalarZoo()
                parent.child = ScalarZoo.Box(zoo)
                zoo = parent
            }
            return zoo
        }
        // The top-level message is depth 1: 99 children reach depth 100.
        let deepest = nested(99).serializedBytes()
        #expect(try ScalarZoo(serializedBytes: deepest) == nested(99))
        let tooDeep = nested(100).serializedBytes()
        #expect {
            try ScalarZoo(serializedBytes: tooDeep)
        } throws: { error in
            (error as? ProtoDecodingError)?.reason == .nestingTooDeep(limit: 100)
        }
        #expect(throws: ProtoDecodingError.self) {
            try ScalarZoo(serializedBytes: deepest, options: ProtoDecodingOptions(maxDepth: 50))
        }

        // Groups of an unknown field 12, nested: start tag 0x63, end tag 0x64.
        func groups(_ levels: Int) -> [UInt8] {
            Array(repeating: 0x63, count: levels) + Array(repeating: 0x64, count: levels)
        }
        let kept = try Wire.Item(serializedBytes: groups(99))
        #expect(kept.unknownFields.bytes == groups(99))
        #expect(kept.serializedBytes() == groups(99))
        #expect {
            try Wire.Item(serializedBytes: groups(100))
        } throws: { error in
            (error as? ProtoDecodingError)?.reason == .nestingTooDeep(limit: 100)
        }
        // A million nested groups: an error, not a stack overflow.
        #expect(throws: ProtoDecodingError.self) { try Wire.Item(serializedBytes: groups(1_000_000)) }
    }

    @Test func emptyInputIsTheDefaultMessage() throws {
        #expect(try Wire.ItemWithHistory(serializedBytes: []) == Wire.ItemWithHistory())
        #expect(Wire.ItemWithHistory().serializedBytes().isEmpty)
    }
}
