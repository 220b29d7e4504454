import Foundation
import PawnDomain
import PawnPorts
import Testing

@testable import PawnDispatcher

/// The dispatcher's JSON writer gives what Foundation's `JSONEncoder` gives: the same value
/// when parsed (Foundation's `JSONSerialization` reads both), for every response shape.
@Suite("JSON bytes encoder")
struct JSONBytesEncoderTests {
    /// Both encodings of `value`, parsed.
    func bothParsed(_ value: some Encodable) throws -> (ours: NSObject, foundation: NSObject) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let reference = try encoder.encode(value)
        let ours = try JSONBytesEncoder.encode(value)
        let parsedOurs = try JSONSerialization.jsonObject(with: Data(ours), options: [.fragmentsAllowed])
        let parsedReference = try JSONSerialization.jsonObject(with: reference, options: [.fragmentsAllowed])
        return (parsedOurs as! NSObject, parsedReference as! NSObject)
    }

    static let awkward = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "new\nline\r\ttab",
        "control \u{01}\u{1F}\u{7F}", "ünïcödé ✓ 🏺", "\u{0}nul",
    ]

    @Test("strings with escapes, control characters and UTF-8", arguments: awkward)
    func strings(_ text: String) throws {
        let (ours, foundation) = try bothParsed([
            "value": AnyEncodableBox(text), "nested": AnyEncodableBox([text]),
        ])
        #expect(ours == foundation)
        // Raw bytes too: the same escapes as JSONEncoder for a lone string.
        let bytes = try JSONBytesEncoder.encode(text)
        #expect(try JSONDecoder().decode(String.self, from: Data(bytes)) == text)
    }

    @Test("JSONText.quote, for bodies built by hand, escapes as the encoder does")
    func quoteMatchesTheEncoder() throws {
        #expect(JSONText.quote("a\"b\\c\n\u{1}/✓") == #""a\"b\\c\n\u0001/✓""#)
        for text in Self.awkward {
            #expect(Array(JSONText.quote(text).utf8) == (try JSONBytesEncoder.encode(text)))
        }
    }

    @Test("integers at their limits, booleans, nil optionals left out")
    func scalars() throws {
        struct Scalars: Encodable {
            var small: Int8 = .min
            var big: Int64 = .max
            var low: Int64 = .min
            var unsigned: UInt64 = .max
            var zero: Int = 0
            var nine: Int32 = 9
            var ten: Int32 = 10
            var yes = true
            var no = false
            var missing: String? = nil
            var present: String? = "here"
            var fraction = 2.5
            var whole = 3.0
            var tiny = 1e-7
        }
        let (ours, foundation) = try bothParsed(Scalars())
        #expect(ours == foundation)
        let text = String(decoding: try JSONBytesEncoder.encode(Scalars()), as: UTF8.self)
        #expect(!text.contains("missing"))
        #expect(text.hasPrefix(#"{"small":-128,"big":9223372036854775807,"low":-9223372036854775808,"#))
    }

    @Test("a non-finite number is an encoding error, as with JSONEncoder")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode([Double.infinity]) }
    }

    @Test("empty containers and values that encode nothing")
    func empties() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Holder: Encodable {
            var list: [Int] = []
            var map: [String: Int] = [:]
            var nothing = Nothing()
            var lists: [[Int]] = [[], [1], []]
        }
        let (ours, foundation) = try bothParsed(Holder())
        #expect(ours == foundation)
    }

    @Test("custom encode(to:) with nested containers, dropped early and asked for twice")
    func nestedContainers() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case a, inner, list, after, super_ }
            enum InnerKeys: String, CodingKey { case x, y }
            func encode(to encoder: any Encoder) throws {
                var outer = encoder.container(keyedBy: Keys.self)
                try outer.encode(1, forKey: .a)
                var inner = outer.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
                try inner.encode("x", forKey: .x)
                var list = outer.nestedUnkeyedContainer(forKey: .list)
                try list.encode(1)
                var pair = list.nestedUnkeyedContainer()
                try pair.encode(true)
                try pair.encodeNil()
                try list.encode("tail")
                // The same container asked for again continues the same object.
                var again = encoder.container(keyedBy: Keys.self)
                try again.encode([1, 2], forKey: .after)
            }
        }
        let (ours, foundation) = try bothParsed([Custom(), Custom()])
        #expect(ours == foundation)
    }

    @Test("every response body of the dispatcher")
    func responseBodies() throws {
        let item = Item(
            id: "ring-\"1\"", name: "Gold ring / 18k", category: .jewelry, price: Money(minorUnits: 45_000),
            condition: .good, ageInMonths: 12, owner: "owner\u{7}", version: 2)
        var stored: [StoredEvent] = []
        let add = Event(
            eventId: "e0", itemId: item.id,
            action: .add(
                AddItem(
                    name: item.name, category: item.category, price: item.price, condition: item.condition,
                    date: .min)))
        stored.append(StoredEvent(event: add, outcome: .applied, sequence: 1 << 20))
        let sell = Event(
            eventId: "e1", itemId: item.id,
            action: .sell(Sell(clientId: "client ✓", price: Money(minorUnits: 50_000), date: .min)))
        stored.append(
            StoredEvent(
                event: sell, outcome: .rejected(Rejection(code: .itemNotFound, message: "no \"such\"\nitem")),
                sequence: 2 << 20 | 1))
        stored.append(StoredEvent(event: sell, outcome: .applied, sequence: 2 << 20))
        let history = ItemHistory(item: item, events: stored)
        let bodies: [any Encodable] = [
            ResponseBodies.HistoryJSON(history),
            ResponseBodies.PageJSON(items: [ResponseBodies.ItemJSON(item)], next: "after \\ this"),
            ResponseBodies.PageJSON(items: [], next: nil),
            ResponseBodies.AcceptedJSON(eventId: "e1", itemId: "i1"),
            ResponseBodies.EventJSON(
                eventId: "e1", status: "rejected", itemId: nil, code: "x", reason: "y\u{2}"),
        ]
        for body in bodies {
            let (ours, foundation) = try bothParsed(AnyEncodableBox(body))
            #expect(ours == foundation)
        }
        // The bodies that write their JSON themselves give the Encodable conformance's bytes,
        // with every list filled and every optional both present and absent.
        var full = ResponseBodies.HistoryJSON(history)
        full.item.loan = ResponseBodies.LoanJSON(
            clientId: "c\"1", principal: 90_000, interestPercent: 12, startDate: "2026-01-01",
            dueDate: "2026-02-01", amountDue: 100_800)
        var bare = ResponseBodies.ItemJSON(item)
        bare.owner = nil
        bare.loan = ResponseBodies.LoanJSON(
            clientId: "", principal: 0, interestPercent: 0, startDate: "", dueDate: "", amountDue: nil)
        full.buys = [
            .init(position: 0, eventId: "b0", clientId: "c", price: -5, date: "2026-01-02"),
            .init(position: 4, eventId: "b1", clientId: "ü\t", price: .max, date: ""),
        ]
        full.sells = [
            .init(position: 1, eventId: "s0", clientId: "c", price: 7, date: "d", profit: nil),
            .init(position: 2, eventId: "s1", clientId: "c", price: 7, date: "d", profit: -3),
        ]
        full.pawns = [
            .init(
                position: 3, eventId: "p0", clientId: "c", price: 1, tax: 12, limitDays: 30, date: "d",
                dueDate: nil),
            .init(
                position: 5, eventId: "p1", clientId: "c", price: 1, tax: 0, limitDays: 1, date: "d",
                dueDate: "e"),
        ]
        full.redeems = [.init(position: 6, eventId: "r0", clientId: "c", date: "d")]
        full.forfeits = [.init(position: 7, eventId: "f0", date: "d")]
        full.rejected.append(
            .init(
                position: 8, eventId: "x", action: "pawn", code: "invalidField", reason: "r", field: "tax",
                clientId: nil, date: "d"))
        let direct: [any DirectJSON] = [
            ResponseBodies.HistoryJSON(history), full, bare, ResponseBodies.ItemJSON(item),
            ResponseBodies.PageJSON(items: [ResponseBodies.ItemJSON(item), bare], next: "after \\ this"),
            ResponseBodies.PageJSON(items: [], next: nil),
        ]
        for body in direct {
            let written = body.jsonBytes()
            #expect(
                written == (try JSONBytesEncoder.encode(AnyEncodableBox(body))),
                "\(String(decoding: written, as: UTF8.self))")
        }
        let response = ResponseBodies.json(.ok, ResponseBodies.HistoryJSON(history))
        #expect(response.body == ResponseBodies.HistoryJSON(history).jsonBytes())
        #expect(response.status == .ok)
        #expect(try JSONSerialization.jsonObject(with: Data(response.body)) is [String: Any])
    }
}

/// An `Encodable` of any type, encoded as the value it holds.
struct AnyEncodableBox: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
