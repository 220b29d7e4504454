import PawnProtocol
import PawnTestSupport
import Testing

@Suite("Codec primitives")
struct CodecPrimitiveTests {
    @Test("varint sizes at every 7-bit boundary")
    func varintSizes() {
        #expect(ProtoSize.varint(0) == 1)
        for bytes in 1...9 {
            let top = (UInt64(1) << UInt64(7 * bytes)) - 1
            #expect(ProtoSize.varint(top) == bytes)
            #expect(ProtoSize.varint(top + 1) == bytes + 1)
        }
        #expect(ProtoSize.varint(.max) == 10)
        #expect(ProtoSize.int32(1, -1) == 11)
        #expect(ProtoSize.tag(FieldTag.maxFieldNumber) == 5)
    }

    @Test(
        "embedded messages of every length around the varint boundaries get their exact length prefix (written after the body)"
    )
    func nestedLengthPrefixes() throws {
        // Bodies of 0 to 300 bytes cross the 1→2 byte length at 128; 16,380 to 16,400 the
        // 2→3 byte one at 16,384; an item nested two deep moves at both levels.
        for length in Array(0...300) + Array(16_380...16_400) + [2_100_000] {
            let buy = Wire.Buy(clientId: String(repeating: "c", count: length))
            let history = Wire.ItemWithHistory(
                item: Wire.Item(id: String(repeating: "i", count: length)), buys: [buy])
            let message = Wire.FetchItemResponse(item: history)
            let bytes = message.serializedBytes()
            #expect(bytes.count == message.encodedSize(), "length \(length)")
            // The reference: each level's prefix from its own serialized bytes.
            func field(_ number: Int, _ body: [UInt8]) -> [UInt8] {
                var out: [UInt8] = [UInt8(number << 3 | 2)]
                var size = UInt64(body.count)
                while size >= 0x80 {
                    out.append(UInt8(truncatingIfNeeded: size) | 0x80)
                    size >>= 7
                }
                return out + [UInt8(size)] + body
            }
            let item = field(1, history.item!.serializedBytes())
            let reference = field(1, item + field(2, buy.serializedBytes()))
            #expect(bytes == reference, "length \(length)")
            let options = ProtoDecodingOptions(maxMessageSize: 8 * 1024 * 1024)
            #expect(
                try Wire.FetchItemResponse(serializedBytes: bytes, options: options) == message,
                "length \(length)")
        }
    }

    @Test func zigZag() {
        let pairs: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (.max, .max - 1), (.min, .max)]
        for (value, encoded) in pairs {
            #expect(ZigZag.encode64(value) == encoded)
            #expect(ZigZag.decode64(encoded) == value)
        }
        #expect(ZigZag.encode32(.min) == .max)
        #expect(ZigZag.decode32(.max) == .min)
    }

    @Test("random values of every scalar type round-trip, and sizes match the bytes written")
    func randomScalars() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            var zoo = ScalarZoo()
            zoo.i32 = .random(in: .min ... .max, using: &rng)
            zoo.i64 = .random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng)
            zoo.u32 = .random(in: 0 ... .max, using: &rng)
            zoo.u64 = .random(in: 0 ... .max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
            zoo.s32 = .random(in: .min ... .max, using: &rng) >> Int32.random(in: 0...31, using: &rng)
            zoo.s64 = .random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng)
            zoo.f32 = .random(in: 0 ... .max, using: &rng)
            zoo.sf64 = .random(in: .min ... .max, using: &rng)
            zoo.fl = Float.random(in: -1e6...1e6, using: &rng)
            zoo.db = Double.random(in: -1e300...1e300, using: &rng)
            zoo.flag = .random(using: &rng)
            zoo.text = String(
                (0..<Int.random(in: 0...20, using: &rng)).map { _ in "aé€😀\n".randomElement(using: &rng)! })
            zoo.blob = (0..<Int.random(in: 0...20, using: &rng)).map { _ in .random(in: 0...255, using: &rng)
            }
            zoo.packedS64 = (0..<Int.random(in: 0...20, using: &rng)).map { _ in
                .random(in: .min ... .max, using: &rng)
            }
            zoo.unpackedU64 = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                .random(in: 0 ... .max, using: &rng)
            }
            let bytes = zoo.serializedBytes()
            #expect(bytes.count == zoo.encodedSize())
            #expect(try ScalarZoo(serializedBytes: bytes) == zoo)
        }
    }

    @Test func serializeAppendsAfterExistingBytes() throws {
        var buffer: [UInt8] = [0, 0, 0, 0, 9]
        Samples.item.serialize(appendingTo: &buffer)
        #expect(Array(buffer.prefix(5)) == [0, 0, 0, 0, 9])
        #expect(try Wire.Item(serializedBytes: Array(buffer.dropFirst(5))) == Samples.item)
    }

    @Test func decodingFromARawBufferNeedsNoCopy() throws {
        let bytes = Samples.history(buys: 3).serializedBytes()
        let decoded = try bytes.withUnsafeBytes { try Wire.ItemWithHistory(buffer: $0) }
        #expect(decoded == Samples.history(buys: 3))
    }

    @Test func enumsKeepUnknownValues() {
        #expect(Wire.Category(protoValue: 4) == .jewelry)
        #expect(Wire.Category(protoValue: 99) == .unrecognized(99))
        #expect(Wire.Category.unrecognized(99).protoValue == 99)
        for value in Wire.Category.known { #expect(Wire.Category(protoValue: value.protoValue) == value) }
        #expect(Wire.HealthCheckResponse.ServingStatus(protoValue: 2) == .notServing)
    }

    @Test func errorsDescribeThemselves() {
        let error = ProtoDecodingError(.lengthPastEnd(length: 5), offset: 3, field: "pawnshop.v1.Item.id")
        #expect(
            error.description == "pawnshop.v1.Item.id: length 5 runs past the end of the message (at byte 3)")
    }
}
