/// A field of a request or an event that breaks a rule, named so that an API can say
/// which field is at fault (`{"field": "price", "code": "outOfRange", …}`).
public struct ValidationError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// What kind of rule was broken.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Empty (after trimming) where a value is required.
        public static let empty = Code(rawValue: "empty")
        /// Longer than the field allows.
        public static let tooLong = Code(rawValue: "tooLong")
        /// Contains a character the field does not allow.
        public static let invalidCharacters = Code(rawValue: "invalidCharacters")
        /// A number outside the field's range.
        public static let outOfRange = Code(rawValue: "outOfRange")
        /// A value that is not of the field's form (a date, an enum name).
        public static let invalidFormat = Code(rawValue: "invalidFormat")
        /// A value that is well-formed but not allowed here.
        public static let notAllowed = Code(rawValue: "notAllowed")

        public var description: String { rawValue }
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
