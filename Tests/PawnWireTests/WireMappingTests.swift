import PawnDomain
import PawnPorts
import PawnProtocol
import PawnWire
import Testing

/// The one mapping between domain events and the records on the log, both ways.
@Suite("Wire mapping")
struct WireMappingTests {
    let day = CalendarDate(iso8601: "2024-05-01")!

    var events: [Event] {
        [
            Event(
                eventId: "e1", itemId: "ring-1",
                action: .add(
                    AddItem(
                        name: "Gold ring", category: .jewelry, price: 45_000, condition: .good,
                        ageInMonths: 7,
                        status: .withClient, owner: "ana", date: day))),
            Event(
                eventId: "e2", itemId: "ring-1", action: .buy(Buy(clientId: "ana", price: 40_000, date: day))),
            Event(
                eventId: "e3", itemId: "ring-1",
                action: .sell(Sell(clientId: "bob", price: 50_000, date: day, profit: 10_000))),
            Event(
                eventId: "e4", itemId: "ring-1",
                action: .pawn(
                    Pawn(clientId: "bob", principal: 9_000, interestPercent: 5, limitDays: 30, date: day))),
            Event(eventId: "e5", itemId: "ring-1", action: .redeem(Redeem(clientId: "bob", date: day))),
            Event(eventId: "e6", itemId: "ring-1", action: .forfeit(Forfeit(date: day))),
        ]
    }

    func record(_ topic: String, _ value: [UInt8]) -> LogRecord {
        LogRecord(topic: topic, partition: 0, offset: 7, key: "ring-1", value: value, headers: [:])
    }

    @Test("every action goes to its topic and comes back as the same event")
    func roundTrip() throws {
        for event in events {
            let (topic, value) = WireMapping.record(for: event)
            #expect(topic == Topics.topic(for: event.action.kind))
            #expect(try WireMapping.event(from: record(topic, value)) == event)
        }
    }

    @Test("a record that is not an event fails with the topic, offset and what is wrong, never traps")
    func undecodable() {
        let cases: [(LogRecord, String)] = [
            (record(Topics.buyActions, [0xFF, 0xFF]), "buy-actions@7: undecodable value"),
            (record("elsewhere", []), "elsewhere@7: not an action topic"),
            (
                record(
                    Topics.redeemActions,
                    Wire.Redeem(clientId: "c", itemId: "i", date: "soon", eventId: "e").serializedBytes()),
                "redeem-actions@7: invalid date 'soon'"
            ),
        ]
        for (record, expected) in cases {
            do {
                _ = try WireMapping.event(from: record)
                Issue.record("\(expected): decoded")
            } catch {
                #expect(error.message.hasPrefix(expected), "\(error.message)")
            }
        }
    }

    @Test("enums map both ways; a wire value this version does not know has no domain value")
    func enums() {
        for category in Category.allCases {
            #expect(WireMapping.domain(WireMapping.wire(category)) == category)
        }
        for condition in Condition.allCases {
            #expect(WireMapping.domain(WireMapping.wire(condition)) == condition)
        }
        for status in ItemStatus.allCases { #expect(WireMapping.domain(WireMapping.wire(status)) == status) }
        #expect(WireMapping.domain(Wire.Category(protoValue: 99)) == nil)
    }
}
