import PawnBSON
import PawnDomain
import PawnMongo
import Testing

@Suite struct BSONRoundTripTests {
    @Test func everyTypeRoundTrips() throws {
        let bytes = BSONSamples.everyType.bytes
        let decoded = try BSONDocument(bytes: bytes)
        #expect(decoded == BSONSamples.everyType)
        #expect(decoded.bytes == bytes)
        #expect(decoded.keys == BSONSamples.everyType.keys)
    }

    @Test func deprecatedTypesRoundTrip() throws {
        let document: BSONDocument = [
            "undefined": .undefined,
            "symbol": .symbol("sym"),
            "dbPointer": .dbPointer(namespace: "db.coll", id: BSONSamples.objectId),
        ]
        #expect(try BSONDocument(bytes: document.bytes) == document)
    }

    @Test(arguments: [
        (BSONValue.double(-0.5), [0x01] as [UInt8], [0, 0, 0, 0, 0, 0, 0xE0, 0xBF] as [UInt8]),
        (.int32(1), [0x10], [1, 0, 0, 0]),
        (.int64(-2), [0x12], [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        (.bool(true), [0x08], [1]),
        (.null, [0x0A], []),
        (.string("é"), [0x02], [3, 0, 0, 0, 0xC3, 0xA9, 0]),
        (.timestamp(increment: 1, seconds: 2), [0x11], [1, 0, 0, 0, 2, 0, 0, 0]),
        (.minKey, [0xFF], []),
        (.maxKey, [0x7F], []),
    ])
    func singleValuesHaveTheSpecifiedBytes(value: BSONValue, type: [UInt8], payload: [UInt8]) throws {
        let document: BSONDocument = ["k": value]
        let body = type + [UInt8(ascii: "k"), 0] + payload
        let length = UInt32(4 + body.count + 1)
        let expected = [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0] + body + [0]
        #expect(document.bytes == expected)
        #expect(try BSONDocument(bytes: expected) == document)
    }

    @Test func subscriptsKeepOrderAndReplaceInPlace() {
        var document: BSONDocument = ["a": .int32(1), "b": .int32(2)]
        document["a"] = .string("one")
        document["c"] = .null
        #expect(document.keys == ["a", "b", "c"])
        #expect(document["a"] == .string("one"))
        document["b"] = nil
        #expect(document.keys == ["a", "c"])
        #expect(document["missing"] == nil)
    }

    @Test func objectIdHex() {
        #expect(BSONSamples.objectId.hex == "5f8d0d55b54764421b7156c8")
        #expect(BSONObjectID(hex: "xyz") == nil)
        #expect(BSONObjectID(bytes: [1, 2]) == nil)
    }
}
