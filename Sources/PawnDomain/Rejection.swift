/// Why an event was not applied: a machine-readable ``code``, a sentence for people and,
/// for invalid input, the field at fault.
public struct Rejection: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The reasons an event can be rejected.
    public enum Code: String, CaseIterable, Hashable, Sendable, Codable {
        /// A field breaks a rule; ``Rejection/field`` names it.
        case invalidField
        /// The action is not `add` and there is no item with that id.
        case itemNotFound
        /// An `add` for an id that already exists (under another event id).
        case itemAlreadyExists
        /// The item's status does not allow the action (selling a pawned item, …).
        case actionNotAllowed
        /// The client is not the item's known owner.
        case notOwner
        /// The client is not the one who pawned the item.
        case notPawner
        /// A redeem dated after the loan fell due.
        case loanOverdue
        /// A forfeit dated on or before the loan's due date.
        case loanNotDue
        /// A redeem dated before the loan was made.
        case dateBeforeLoan
        /// An amount that does not fit in 64 bits (a profit computed from extreme prices).
        case amountOverflow
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
