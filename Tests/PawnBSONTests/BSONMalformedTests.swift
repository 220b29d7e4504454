import PawnBSON
import PawnMongo
import PawnTestSupport
import Testing

@Suite struct BSONMalformedTests {
    /// Little-endian int32.
    static func le(_ value: Int32) -> [UInt8] {
        let bits = UInt32(bitPattern: value)
        return (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
    }

    /// A document around `body` (elements), with a correct length.
    static func document(_ body: [UInt8]) -> [UInt8] { le(Int32(4 + body.count + 1)) + body + [0] }

    static func error(_ bytes: [UInt8]) -> BSONError? {
        do {
            _ = try BSONDocument(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyAndTruncatedInput() {
        #expect(Self.error([])?.reason == .truncated(needed: 4))
        #expect(Self.error([5, 0, 0])?.reason == .truncated(needed: 4))
        #expect(Self.error(Self.le(100) + [0])?.reason == .truncated(needed: 100))
        #expect(Self.error(Self.le(4) + [0, 0, 0, 0])?.reason == .invalidLength(4))
    }

    @Test func missingTerminators() {
        #expect(Self.error(Self.le(5) + [1])?.reason == .missingTerminator)
        // A key that never ends within its document.
        let keyRunsOn = Self.le(8) + [0x0A, 0x61, 0x62, 0]
        #expect(Self.error(keyRunsOn)?.reason == .missingTerminator)
        // A string whose last declared byte is not NUL.
        let string = Self.document([0x02, 0x73, 0] + Self.le(2) + [0x61, 0x62])
        #expect(Self.error(string)?.reason == .missingTerminator)
    }

    @Test func wrongLengths() {
        let negativeString = Self.document([0x02, 0x73, 0] + Self.le(-1) + [0])
        #expect(Self.error(negativeString)?.reason == .invalidLength(-1))
        let stringPastEnd = Self.document([0x02, 0x73, 0] + Self.le(50) + [0x61, 0])
        #expect(Self.error(stringPastEnd)?.reason == .truncated(needed: 50))
        let nestedTooLong = Self.document([0x03, 0x64, 0] + Self.le(9) + [0])
        #expect(Self.error(nestedTooLong)?.reason == .truncated(needed: 9))
        let binaryNegative = Self.document([0x05, 0x62, 0] + Self.le(-5) + [0])
        #expect(Self.error(binaryNegative)?.reason == .invalidLength(-5))
        let shortInt64 = Self.document([0x12, 0x69, 0, 1, 2, 3])
        #expect(Self.error(shortInt64) != nil)
        #expect(Self.error(Self.document([]) + [0])?.reason == .trailingBytes(1))
    }

    @Test func badUTF8NamesTheField() {
        let inner = Self.document([0x02, 0x6E, 0] + Self.le(3) + [0xC3, 0x28, 0])
        let outer = Self.document([0x03, 0x61, 0] + inner)
        let error = Self.error(outer)
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.path == "a.n")
        #expect(error?.offset == 4 + 3 + 4 + 3 + 4)
        #expect(Self.error(Self.document([0x0A, 0xFF, 0]))?.reason == .invalidUTF8)
    }

    @Test func unknownTypesAndBadBooleans() {
        let unknown = Self.error(Self.document([0x20, 0x6B, 0]))
        #expect(unknown?.reason == .unknownType(0x20))
        #expect(unknown?.offset == 4)
        #expect(unknown?.path == "k")
        #expect(Self.error(Self.document([0x08, 0x62, 0, 2]))?.reason == .invalidBoolean(2))
    }

    @Test func nestingIsCappedAtOneHundred() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var bytes = Self.document([])
            for _ in 1..<depth { bytes = Self.document([0x03, 0x64, 0] + bytes) }
            return bytes
        }
        _ = try BSONDocument(bytes: nested(100))
        #expect(Self.error(nested(101))?.reason == .tooDeep(limit: 100))
        #expect(Self.error(nested(5_000))?.reason == .tooDeep(limit: 100))
        // Arrays count too.
        var arrays = Self.document([])
        for _ in 1..<150 { arrays = Self.document([0x04, 0x30, 0] + arrays) }
        #expect(Self.error(arrays)?.reason == .tooDeep(limit: 100))
    }

    @Test func codeWithScopeLengthsAreChecked() {
        let scope = Self.document([])
        let code = Self.le(2) + [0x78, 0]
        let good = Self.le(Int32(4 + code.count + scope.count)) + code + scope
        #expect(Self.error(Self.document([0x0F, 0x63, 0] + good)) == nil)
        let lying = Self.le(Int32(4 + code.count + scope.count + 1)) + code + scope + [0]
        #expect(Self.error(Self.document([0x0F, 0x63, 0] + lying))?.reason == .invalidLength(16))
    }

    /// Thousands of random mutations of valid documents: each must parse or throw a
    /// BSONError, never trap, and whatever parses must write and parse back to itself.
    @Test func seededMutationFuzz() throws {
        var random = SeededGenerator(seed: 0xB50_2024)
        let seeds: [[UInt8]] = [
            BSONSamples.everyType.bytes,
            try BSONEncoder().encode(BSONSamples.pawnedItem).bytes,
            try BSONEncoder().encode(BSONSamples.events[3]).bytes,
        ]
        var parsed = 0
        var refused = 0
        for round in 0..<4_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 2: bytes.removeSubrange(index...)
                case 3: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                case 4: bytes.remove(at: index)
                default:
                    // A plausible but wrong length where one might be.
                    let length = Self.le(Int32.random(in: -8...Int32(bytes.count + 8), using: &random))
                    for (offset, byte) in length.enumerated() where index + offset < bytes.count {
                        bytes[index + offset] = byte
                    }
                }
            }
            do {
                let document = try BSONDocument(bytes: bytes)
                #expect(try BSONDocument(bytes: document.bytes).bytes == document.bytes)
                parsed += 1
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                refused += 1
            }
        }
        #expect(parsed + refused == 4_000)
        #expect(refused > 1_000)
    }
}
