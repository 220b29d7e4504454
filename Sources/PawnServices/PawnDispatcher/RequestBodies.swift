import Foundation
import PawnDomain
import PawnHTTP1

/// A request that cannot be turned into an event: the status, code, message and field of
/// the JSON error body.
struct RequestError: Error {
    var status: HTTPStatus
    var code: String
    var message: String
    var field: String?

    init(_ status: HTTPStatus = .badRequest, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    var response: HTTPResponse { ErrorBody.response(status, code: code, message: message, field: field) }

    init(_ error: ValidationError) {
        self.init(.badRequest, "invalidField", "\(error.field) \(error.message)", field: error.field)
    }
}

/// The JSON bodies of the write routes. Enums arrive as strings and are parsed by name, so
/// that an unknown value is an error naming the field, never a default.
enum RequestBodies {
    struct Add: Decodable {
        var id: String
        var name: String
        var category: String
        var price: Int64
        var state: String
        var ageInMonths: Int32
        var status: String?
        var owner: String?
        var date: String?
        var eventId: String?
    }

    struct Buy: Decodable {
        var itemId: String
        var clientId: String
        var price: Int64
        var date: String
        var eventId: String?
    }

    struct Sell: Decodable {
        var itemId: String
        var clientId: String
        var price: Int64
        var date: String
        var profit: Int64?
        var eventId: String?
    }

    struct Pawn: Decodable {
        var itemId: String
        var clientId: String
        var price: Int64
        var tax: Int32
        var limitDays: Int32
        var date: String
        var eventId: String?
    }

    struct Redeem: Decodable {
        var itemId: String
        var clientId: String
        var date: String
        var eventId: String?
    }

    struct Forfeit: Decodable {
        var itemId: String
        var date: String
        var eventId: String?
    }

    /// Decodes a body, mapping every decoding failure to a 400 that names the field.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(RequestError) -> T {
        guard !body.isEmpty else {
            throw RequestError(.badRequest, "malformedJSON", "the request body is empty")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let field = numberField(in: body)
            {
                // Foundation reports a fraction or an out-of-range number for an integer
                // field as invalid JSON, without a path; the body is valid JSON, so find it.
                throw RequestError(
                    .badRequest, "invalidType", "\(field) must be an integer in range", field: field)
            }
            throw RequestError(error)
        } catch {
            throw RequestError(.badRequest, "malformedJSON", "the body is not valid JSON")
        }
    }

    /// The first top-level field holding a number that is not a 64-bit integer, when
    /// `body` is a valid JSON object.
    static func numberField(in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return nil
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let number = value as? NSNumber, !(value is Bool) else { continue }
            let double = number.doubleValue
            if double != double.rounded() || abs(double) >= 9.2e18 { return key }
        }
        return nil
    }

    static func parse<E>(_ text: String, field: String, _ make: (String) -> E?, allowed: [String])
        throws(RequestError) -> E
    {
        guard let value = make(text) else {
            throw RequestError(
                .badRequest, "invalidEnumValue",
                "\(field) must be one of \(allowed.joined(separator: ", ")), not \"\(text)\"",
                field: field)
        }
        return value
    }

    static func date(_ text: String, field: String = "date") throws(RequestError) -> CalendarDate {
        guard let date = CalendarDate(iso8601: text) else {
            throw RequestError(
                .badRequest, "invalidDate", "\(field) must be an ISO-8601 date (YYYY-MM-DD) or date-time",
                field: field)
        }
        return date
    }

    /// The event an add body describes.
    static func event(_ body: Add, eventId: String) throws(RequestError) -> Event {
        let category = try parse(
            body.category, field: "category", Category.init(name:), allowed: Category.allCases.map(\.name))
        let condition = try parse(
            body.state, field: "state", Condition.init(name:), allowed: Condition.allCases.map(\.name))
        let status =
            try body.status.map { (text) throws(RequestError) in
                try parse(
                    text, field: "status", ItemStatus.init(name:), allowed: ItemStatus.allCases.map(\.name))
            } ?? (body.owner == nil ? .inStock : .withClient)
        let date = try body.date.map { (text) throws(RequestError) in try Self.date(text) }
        let add = AddItem(
            name: body.name, category: category, price: Money(minorUnits: body.price), condition: condition,
            ageInMonths: body.ageInMonths, status: status, owner: body.owner, date: date)
        return Event(eventId: eventId, itemId: body.id, action: .add(add))
    }
}

extension RequestError {
    /// A JSON decoding failure as a 400 naming the field.
    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            (context.codingPath + (key.map { [$0] } ?? [])).map {
                $0.intValue.map { "[\($0)]" } ?? $0.stringValue
            }
            .joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            self.init(.badRequest, "missingField", "\(field) is required", field: field)
        case .valueNotFound(_, let context):
            let field = path(context)
            self.init(.badRequest, "missingField", "\(field) must not be null", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context)
            self.init(.badRequest, "invalidType", "\(field) must be \(Self.describe(type))", field: field)
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = path(context)
            self.init(
                .badRequest, "invalidType", "\(field) is out of range or of the wrong type", field: field)
        default:
            self.init(.badRequest, "malformedJSON", "the body is not valid JSON")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int32.Type, is Int.Type: "an integer"
        default: "a \(type)"
        }
    }
}
