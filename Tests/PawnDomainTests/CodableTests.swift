import Foundation
import PawnDomain
import Testing

@Suite("Codable")
struct CodableTests {
    @Test func eventsRoundTripThroughJSONWithTheActionBesideItsFields() throws {
        let events = [
            Fixtures.add(owner: "carol", status: .withClient),
            Event(eventId: "e2", itemId: "i", action: Fixtures.action(.buy)),
            Event(
                eventId: "e3", itemId: "i",
                action: .sell(Sell(clientId: "bob", price: 5, date: Fixtures.date(1), profit: -3))),
            Event(eventId: "e4", itemId: "i", action: Fixtures.action(.pawn)),
            Event(eventId: "e5", itemId: "i", action: Fixtures.action(.redeem)),
            Event(eventId: "e6", itemId: "i", action: Fixtures.action(.forfeit)),
        ]
        for event in events {
            let data = try JSONEncoder().encode(event)
            #expect(try JSONDecoder().decode(Event.self, from: data) == event)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let pawn = String(
            decoding: try encoder.encode(Event(eventId: "e4", itemId: "i", action: Fixtures.action(.pawn))),
            as: UTF8.self)
        #expect(
            pawn
                == #"{"action":"pawn","clientId":"alice","date":"2024-01-12","eventId":"e4","itemId":"i","limitDays":10,"price":4000,"tax":5}"#
        )
    }

    @Test func itemsUseStateForTheCondition() throws {
        let item = try Fixtures.item(in: .pawned)
        let data = try JSONEncoder().encode(item)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["state"] as? String == "Good")
        #expect(object["category"] as? String == "Jewelry")
        #expect(object["status"] as? String == "pawned")
        #expect(try JSONDecoder().decode(Item.self, from: data) == item)
    }

    @Test(
        "unknown enum values and bad dates are errors, never defaults",
        arguments: [
            #"{"eventId":"e","itemId":"i","action":"steal","date":"2024-01-01"}"#,
            #"{"eventId":"e","itemId":"i","action":"forfeit","date":"2024-02-30"}"#,
            #"{"eventId":"e","itemId":"i","action":"add","name":"x","category":"Food","price":1,"state":"New","ageInMonths":0,"status":"inStock"}"#,
            #"{"eventId":"e","itemId":"i","action":"add","name":"x","category":"Motor","price":1,"state":"Shiny","ageInMonths":0,"status":"inStock"}"#,
            #"{"eventId":"e","itemId":"i","action":"buy","clientId":"c","date":"2024-01-01"}"#,
        ])
    func rejectsBadJSON(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(json.utf8)) }
    }

    @Test func enumNamesParseExactly() {
        #expect(Category(name: "Jewelry") == .jewelry)
        #expect(Category(name: "jewelry") == nil)
        #expect(Condition(name: "Fatal") == .fatal)
        #expect(ItemStatus(name: "withClient") == .withClient)
        #expect(ItemStatus(name: "") == nil)
        #expect(Money(minorUnits: -5).description == "-0.05")
        #expect(Money(minorUnits: 123_456).description == "1234.56")
        #expect(Money(minorUnits: .min).description == "-92233720368547758.08")
    }
}
