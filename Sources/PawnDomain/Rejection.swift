/// Why an event was not applied: a machine-readable ``code``, a sentence for people and,
/// for invalid input, the field at fault.
public struct Rejection: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The reasons an event can be rejected.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A field breaks a rule; ``Rejection/field`` names it.
        public static let invalidField = Code(rawValue: "invalidField")
        /// The action is not `add` and there is no item with that id.
        public static let itemNotFound = Code(rawValue: "itemNotFound")
        /// An `add` for an id that already exists (under another event id).
        public static let itemAlreadyExists = Code(rawValue: "itemAlreadyExists")
        /// The item's status does not allow the action (selling a pawned item, …).
        public static let actionNotAllowed = Code(rawValue: "actionNotAllowed")
        /// The client is not the item's known owner.
        public static let notOwner = Code(rawValue: "notOwner")
        /// The client is not the one who pawned the item.
        public static let notPawner = Code(rawValue: "notPawner")
        /// A redeem dated after the loan fell due.
        public static let loanOverdue = Code(rawValue: "loanOverdue")
        /// A forfeit dated on or before the loan's due date.
        public static let loanNotDue = Code(rawValue: "loanNotDue")
        /// A redeem dated before the loan was made.
        public static let dateBeforeLoan = Code(rawValue: "dateBeforeLoan")
        /// An amount that does not fit in 64 bits (a profit computed from extreme prices).
        public static let amountOverflow = Code(rawValue: "amountOverflow")

        /// Every code this version defines.
        public static let allCases: [Code] = [
            .invalidField, .itemNotFound, .itemAlreadyExists, .actionNotAllowed, .notOwner, .notPawner,
            .loanOverdue, .loanNotDue, .dateBeforeLoan, .amountOverflow,
        ]

        public var description: String { rawValue }
    }

    /// Why, for machines.
    public var code: Code
    /// Why, for people.
    public var message: String
    /// The field at fault, for ``Code/invalidField``.
    public var field: String?

    /// A rejection.
    public init(code: Code, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// The rejection of an event with an invalid field.
    public init(_ error: ValidationError) {
        self.init(code: .invalidField, message: "\(error.field) \(error.message)", field: error.field)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
