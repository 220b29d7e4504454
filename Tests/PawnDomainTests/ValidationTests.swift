import PawnDomain
import Testing

@Suite("Validation")
struct ValidationTests {
    @Test func identifiers() throws {
        #expect(try Validation.identifier("a-Z_0.9:x", field: "id") == "a-Z_0.9:x")
        #expect(try Validation.identifier(String(repeating: "x", count: 128), field: "id").count == 128)
        for (value, code) in [
            ("", ValidationError.Code.empty), (String(repeating: "x", count: 129), .tooLong),
            ("a b", .invalidCharacters), ("é", .invalidCharacters), ("a/b", .invalidCharacters),
        ] {
            #expect(throws: ValidationError(field: "itemId", code: code, message: message(code))) {
                try Validation.identifier(value, field: "itemId")
            }
        }
    }

    private func message(_ code: ValidationError.Code) -> String {
        switch code {
        case .empty: "must not be empty"
        case .tooLong: "must be at most 128 characters"
        default: "must contain only letters, digits, '.', '_', ':' and '-'"
        }
    }

    @Test func namesAreTrimmedAndBounded() throws {
        #expect(try Validation.name("  Gold ring \n") == "Gold ring")
        #expect(try Validation.name(String(repeating: "é", count: 256)).count == 256)
        #expect(throws: ValidationError.self) { try Validation.name("   ") }
        #expect(throws: ValidationError.self) { try Validation.name(String(repeating: "x", count: 257)) }
        #expect(throws: ValidationError.self) { try Validation.name("bell\u{7}") }
        do {
            _ = try Validation.name("\t", field: "item.name")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "item.name")
            #expect(error.code == .empty)
        }
    }

    @Test func actionsNameTheFieldAtFault() throws {
        let day = try #require(CalendarDate(iso8601: "2024-01-01"))
        func field(_ action: Action) -> String? {
            do {
                _ = try Event(eventId: "e1", itemId: "i1", action: action).validated()
                return nil
            } catch { return error.field }
        }
        #expect(field(.buy(Buy(clientId: "c", price: -1, date: day))) == "price")
        #expect(field(.buy(Buy(clientId: " ", price: 1, date: day))) == "clientId")
        #expect(field(.sell(Sell(clientId: "c", price: -5, date: day))) == "price")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 0, interestPercent: 5, limitDays: 30, date: day)))
                == "price")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 10, interestPercent: 101, limitDays: 30, date: day)))
                == "tax")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 10, interestPercent: -1, limitDays: 30, date: day)))
                == "tax")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 10, interestPercent: 5, limitDays: 0, date: day)))
                == "limitDays")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 10, interestPercent: 5, limitDays: 3651, date: day)))
                == "limitDays")
        #expect(
            field(.pawn(Pawn(clientId: "c", principal: 10, interestPercent: 5, limitDays: 10, date: .max)))
                == "limitDays")
        #expect(field(.redeem(Redeem(clientId: "", date: day))) == "clientId")
        #expect(field(.add(AddItem(name: "", category: .motor, price: 1, condition: .new))) == "name")
        #expect(field(.add(AddItem(name: "x", category: .motor, price: -1, condition: .new))) == "price")
        #expect(
            field(.add(AddItem(name: "x", category: .motor, price: 1, condition: .new, ageInMonths: -1)))
                == "ageInMonths")
        #expect(
            field(.add(AddItem(name: "x", category: .motor, price: 1, condition: .new, owner: "c")))
                == "owner")
        #expect(
            field(.add(AddItem(name: "x", category: .motor, price: 1, condition: .new, status: .pawned)))
                == "status")
        #expect(field(.forfeit(Forfeit(date: day))) == nil)
        do {
            _ = try Event(eventId: "", itemId: "i1", action: .forfeit(Forfeit(date: day))).validated()
            Issue.record("expected an error")
        } catch { #expect(error.field == "eventId") }
        do {
            _ = try Event(eventId: "e", itemId: "bad id", action: .forfeit(Forfeit(date: day))).validated()
            Issue.record("expected an error")
        } catch { #expect(error.field == "itemId") }
    }
}
