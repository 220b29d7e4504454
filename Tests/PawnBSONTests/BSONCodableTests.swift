import PawnBSON
import PawnDomain
import PawnMongo
import PawnPorts
import Testing

@Suite struct BSONCodableTests {
    enum Colour: String, Codable, Equatable { case red, green }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int)
        case none
    }

    struct Inner: Codable, Equatable {
        var values: [Int32]
        var label: String?
        var colour: Colour
    }

    struct Outer: Codable, Equatable {
        var id: String
        var count: Int
        var small: Int32
        var ratio: Double
        var flag: Bool
        var inner: Inner
        var list: [Inner]
        var matrix: [[Int]]
        var optional: Int?
        var shapes: [Shape]
        var byName: [String: Int]
        var unsigned: UInt8
    }

    static let sample = Outer(
        id: "x", count: 1 << 40, small: -7, ratio: 0.25, flag: true,
        inner: Inner(values: [1, 2, 3], label: nil, colour: .green),
        list: [Inner(values: [], label: "first", colour: .red)], matrix: [[1, 2], [], [3]], optional: nil,
        shapes: [.circle(radius: 1.5), .square(side: 2), .none], byName: ["a": 1], unsigned: 200)

    @Test func nestedStructsArraysOptionalsAndEnumsRoundTrip() throws {
        let document = try BSONEncoder().encode(Self.sample)
        #expect(try BSONDecoder().decode(Outer.self, from: document) == Self.sample)
        #expect(try BSONDecoder().decode(Outer.self, from: document.bytes) == Self.sample)
    }

    @Test func integerWidthsAndOmittedOptionals() throws {
        let document = try BSONEncoder().encode(Self.sample)
        #expect(document["count"] == .int64(1 << 40))
        #expect(document["small"] == .int32(-7))
        #expect(document["unsigned"] == .int32(200))
        #expect(document["optional"] == nil)
        #expect(document["inner"]?.documentValue?["label"] == nil)
        #expect(document["inner"]?.documentValue?["colour"] == .string("green"))
        #expect(document.keys.first == "id")
    }

    struct Numbers: Codable, Equatable {
        var a: Int
        var b: Int32
        var c: Int64
        var d: Double
    }

    @Test func integersDecodeFromAnyExactNumber() throws {
        let document: BSONDocument = ["a": .int32(5), "b": .int64(6), "c": .double(7), "d": .int64(8)]
        #expect(try BSONDecoder().decode(Numbers.self, from: document) == Numbers(a: 5, b: 6, c: 7, d: 8))
    }

    @Test func inexactNumbersAreErrorsNamingThePath() throws {
        struct Wrapper: Codable { var inner: [Numbers] }
        let good: BSONValue = .document(["a": .int32(1), "b": .int32(1), "c": .int32(1), "d": .int32(1)])
        let fraction: BSONValue = .document([
            "a": .double(1.5), "b": .int32(1), "c": .int32(1), "d": .int32(1),
        ])
        let overflow: BSONValue = .document([
            "a": .int32(1), "b": .int64(1 << 40), "c": .int32(1), "d": .int32(1),
        ])
        for (bad, field) in [(fraction, "a"), (overflow, "b")] {
            let document: BSONDocument = ["inner": .array([good, bad])]
            do {
                _ = try BSONDecoder().decode(Wrapper.self, from: document)
                Issue.record("decoded \(bad)")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.codingPath.map(\.stringValue) == ["inner", "1", field])
            }
        }
    }

    @Test func typeMismatchAndMissingKeyNameThePath() throws {
        let mismatch: BSONDocument = ["id": .int32(3)]
        do {
            _ = try BSONDecoder().decode(Outer.self, from: mismatch)
            Issue.record("decoded")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["id"])
            #expect(context.debugDescription.contains("int32"))
        }
        var missing = try BSONEncoder().encode(Self.sample)
        missing["inner"] = .document(["values": .array([]), "colour": .string("red")])
        missing["list"] = .array([.document(["values": .array([])])])
        do {
            _ = try BSONDecoder().decode(Outer.self, from: missing)
            Issue.record("decoded")
        } catch DecodingError.keyNotFound(let key, let context) {
            #expect(key.stringValue == "colour")
            #expect(context.codingPath.map(\.stringValue) == ["list", "0"])
        }
    }

    @Test func unknownEnumNameIsAnError() {
        let document: BSONDocument = ["values": .array([]), "colour": .string("blue")]
        #expect(throws: DecodingError.self) { try BSONDecoder().decode(Inner.self, from: document) }
    }

    @Test func keysWithNulAndHugeUnsignedAreEncodingErrors() {
        struct Big: Codable { var value: UInt64 }
        #expect(throws: EncodingError.self) { try BSONEncoder().encode(["bad\u{0}key": 1]) }
        #expect(throws: EncodingError.self) { try BSONEncoder().encode(Big(value: .max)) }
        #expect(throws: EncodingError.self) { try BSONEncoder().encode(42) }
    }

    @Test func bsonValuesPassThroughCodable() throws {
        struct Holder: Codable, Equatable {
            var raw: BSONValue
            var document: BSONDocument
        }
        let holder = Holder(raw: .objectId(BSONSamples.objectId), document: BSONSamples.everyType)
        let encoded = try BSONEncoder().encode(holder)
        #expect(encoded["raw"] == .objectId(BSONSamples.objectId))
        #expect(try BSONDecoder().decode(Holder.self, from: encoded) == holder)
    }

    @Test func domainValuesRoundTrip() throws {
        for item in [BSONSamples.pawnedItem, BSONSamples.ownedItem] {
            let document = try BSONEncoder().encode(item)
            #expect(document["state"] == .string(item.condition.name))
            #expect(document["price"] == .int64(item.price.minorUnits))
            #expect(try BSONDecoder().decode(Item.self, from: document.bytes) == item)
        }
        for event in BSONSamples.events {
            let document = try BSONEncoder().encode(event)
            #expect(document["action"] == .string(event.action.kind.rawValue))
            #expect(try BSONDecoder().decode(Event.self, from: document.bytes) == event)
        }
    }
}
