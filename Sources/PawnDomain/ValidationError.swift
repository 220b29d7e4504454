/// A field of a request or an event that breaks a rule, named so that an API can say
/// which field is at fault (`{"field": "price", "code": "outOfRange", …}`).
public struct ValidationError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// What kind of rule was broken.
    public enum Code: String, Hashable, Sendable, Codable {
        /// Empty (after trimming) where a value is required.
        case empty
        /// Longer than the field allows.
        case tooLong
        /// Contains a character the field does not allow.
        case invalidCharacters
        /// A number outside the field's range.
        case outOfRange
        /// A value that is not of the field's form (a date, an enum name).
        case invalidFormat
        /// A value that is well-formed but not allowed here.
        case notAllowed
    }

    /// The field at fault, as the API spells it (`clientId`, `item.price`).
    public var field: String
    /// The rule that was broken.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// A validation error on `field`.
    public init(field: String, code: Code, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
