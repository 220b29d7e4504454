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
        if let field = JSONKeys.firstDuplicate(in: body) {
            // Parsers disagree on which of two values they keep (a proxy in front may read
            // the other one), so a body with both is refused.
            throw RequestError(
                .badRequest, "duplicateField", "\(field) is given more than once", field: field)
        }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let field = JSONKeys.firstNonIntegerNumber(in: body)
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

/// The keys of a JSON object body, read without building it (no recursion: a 100,000-deep
/// value is skipped in a loop).
enum JSONKeys {
    /// The first key that appears twice among `body`'s top-level keys (escapes decoded, so
    /// `"id"` and `"\u0069d"` are one key); `nil` when there is none, or when `body` is not
    /// a well-formed object (the decoder then says what is wrong).
    static func firstDuplicate(in body: [UInt8]) -> String? {
        guard let members = members(of: body) else { return nil }
        var seen: Set<String> = []
        for member in members where !seen.insert(member.key).inserted { return member.key }
        return nil
    }

    /// The first top-level field whose value is a number that is not a 64-bit integer (a
    /// fraction, an exponent, out of range — `1e400` included, which Foundation calls
    /// invalid JSON), when `body` is a well-formed object.
    static func firstNonIntegerNumber(in body: [UInt8]) -> String? {
        members(of: body)?.first { member in
            guard let first = body[member.value].first,
                first == UInt8(ascii: "-") || (0x30...0x39).contains(first)
            else { return false }
            return Int64(String(decoding: body[member.value], as: UTF8.self)) == nil
        }?.key
    }

    /// The top-level members of the object `body` (keys decoded, where each value lies), or
    /// `nil` when it is not a well-formed object.
    private static func members(of body: [UInt8]) -> [(key: String, value: Range<Int>)]? {
        var index = skipSpace(body, 0)
        guard index < body.count, body[index] == UInt8(ascii: "{") else { return nil }
        index = skipSpace(body, index + 1)
        var members: [(key: String, value: Range<Int>)] = []
        if index < body.count, body[index] == UInt8(ascii: "}") { return members }
        while index < body.count {
            guard body[index] == UInt8(ascii: "\""), let (key, afterKey) = string(body, index) else {
                return nil
            }
            index = skipSpace(body, afterKey)
            guard index < body.count, body[index] == UInt8(ascii: ":") else { return nil }
            let start = skipSpace(body, index + 1)
            guard let afterValue = skipValue(body, start) else { return nil }
            members.append((key, start..<afterValue))
            index = skipSpace(body, afterValue)
            guard index < body.count else { return nil }
            if body[index] == UInt8(ascii: "}") { return members }
            guard body[index] == UInt8(ascii: ",") else { return nil }
            index = skipSpace(body, index + 1)
        }
        return nil
    }

    private static func skipSpace(_ body: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 }
        return index
    }

    /// The index after the value at `start`: a string, a number or a literal, or an array or
    /// object whose brackets are counted (not recursed into).
    private static func skipValue(_ body: [UInt8], _ start: Int) -> Int? {
        guard start < body.count else { return nil }
        switch body[start] {
        case UInt8(ascii: "\""):
            return stringEnd(body, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < body.count {
                switch body[index] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(body, index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            let delimiters: [UInt8] = [0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D]  // , } ] and space
            while index < body.count, !delimiters.contains(body[index]) { index += 1 }
            return index > start ? index : nil
        }
    }

    /// The index after the string that starts at `start` (a quote).
    private static func stringEnd(_ body: [UInt8], _ start: Int) -> Int? {
        var index = start + 1
        while index < body.count {
            switch body[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// The string that starts at `start` (a quote), escapes decoded, and the index after it.
    private static func string(_ body: [UInt8], _ start: Int) -> (String, Int)? {
        guard let end = stringEnd(body, start) else { return nil }
        let raw = body[(start + 1)..<(end - 1)]
        guard raw.contains(UInt8(ascii: "\\")) else {
            return String(validating: raw, as: UTF8.self).map { ($0, end) }
        }
        var scalars = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        func flush() -> Bool {
            guard let text = String(validating: bytes, as: UTF8.self) else { return false }
            scalars.append(contentsOf: text.unicodeScalars)
            bytes.removeAll()
            return true
        }
        var index = raw.startIndex
        var pendingHigh: UInt32?
        while index < raw.endIndex {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard flush(), index + 1 < raw.endIndex else { return nil }
            let escape = raw[index + 1]
            index += 2
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
                UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
                UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
            ]
            if let value = simple[escape] {
                scalars.append(Unicode.Scalar(value))
                continue
            }
            guard escape == UInt8(ascii: "u"), index + 4 <= raw.endIndex,
                let code = UInt32(String(decoding: raw[index..<(index + 4)], as: UTF8.self), radix: 16)
            else { return nil }
            index += 4
            // Surrogates pair up; a lone one is compared as U+FFFD (the decoder refuses or
            // replaces it).
            if let high = pendingHigh {
                pendingHigh = nil
                if (0xDC00..<0xE000).contains(code) {
                    scalars.append(
                        Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) ?? "\u{FFFD}")
                    continue
                }
                scalars.append("\u{FFFD}")
            }
            if (0xD800..<0xDC00).contains(code) {
                pendingHigh = code
                continue
            }
            scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        }
        if pendingHigh != nil { scalars.append("\u{FFFD}") }
        guard flush() else { return nil }
        return (String(scalars), end)
    }
}
