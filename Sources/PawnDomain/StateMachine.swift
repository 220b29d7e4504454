/// The item lifecycle as one pure, total function: the item as it is (or `nil` when no
/// item has the id), an event, and either the item as it becomes or why not.
///
/// | action | allowed from | to |
/// |---|---|---|
/// | add | no item with that id | inStock, or withClient |
/// | buy | withClient | inStock |
/// | sell | inStock | withClient |
/// | pawn | withClient | pawned |
/// | redeem | pawned | withClient |
/// | forfeit | pawned | inStock |
///
/// Applying an event whose id the item has already applied returns the item unchanged.
public func apply(_ item: Item?, _ event: Event) -> Result<Item, Rejection> {
    transition(item, event).map(\.item)
}

/// ``apply(_:_:)``, also returning the event as it should be recorded and whether it was
/// a replay. Never traps: every input is either accepted or rejected with a code.
public func transition(_ item: Item?, _ event: Event) -> Result<Transition, Rejection> {
    if let item, item.appliedEventIds.contains(event.eventId) {
        return .success(Transition(item: item, event: event, isReplay: true))
    }
    let valid: Event
    do {
        valid = try event.validated()
    } catch {
        return .failure(Rejection(error))
    }
    if let item, item.id != valid.itemId {
        return .failure(
            Rejection(
                code: .invalidField, message: "itemId \(valid.itemId) does not name item \(item.id)",
                field: "itemId"))
    }
    return StateMachine.step(item, valid).map { next, recorded in
        var next = next
        next.version += 1
        next.appliedEventIds.insert(recorded.eventId)
        return Transition(item: next, event: recorded, isReplay: false)
    }
}

/// The per-action rules, on validated events.
enum StateMachine {
    static func step(_ item: Item?, _ event: Event) -> Result<(Item, Event), Rejection> {
        guard var item else {
            guard case .add(let add) = event.action else {
                return .failure(
                    Rejection(code: .itemNotFound, message: "there is no item with id \(event.itemId)"))
            }
            let created = Item(
                id: event.itemId, name: add.name, category: add.category, price: add.price,
                condition: add.condition, ageInMonths: add.ageInMonths, status: add.status, owner: add.owner,
                loan: nil, costBasis: add.price, version: 0, appliedEventIds: [])
            return .success((created, event))
        }
        var recorded = event
        switch event.action {
        case .add:
            return .failure(
                Rejection(code: .itemAlreadyExists, message: "an item with id \(item.id) already exists"))

        case .buy(let buy):
            if let rejection = require(item, .withClient, for: .buy) { return .failure(rejection) }
            if let owner = item.owner, owner != buy.clientId {
                return .failure(notOwner(buy.clientId, item))
            }
            item.status = .inStock
            item.owner = nil
            item.costBasis = buy.price

        case .sell(var sell):
            if let rejection = require(item, .inStock, for: .sell) { return .failure(rejection) }
            if sell.profit == nil {
                guard let profit = sell.price.subtracting(item.costBasis) else {
                    return .failure(
                        Rejection(code: .amountOverflow, message: "the profit does not fit in 64 bits"))
                }
                sell.profit = profit
                recorded.action = .sell(sell)
            }
            item.status = .withClient
            item.owner = sell.clientId

        case .pawn(let pawn):
            if let rejection = require(item, .withClient, for: .pawn) { return .failure(rejection) }
            if let owner = item.owner, owner != pawn.clientId {
                return .failure(notOwner(pawn.clientId, item))
            }
            // Validation guarantees the due date exists.
            guard let due = pawn.dueDate else {
                return .failure(
                    Rejection(code: .invalidField, message: "limitDays is out of range", field: "limitDays"))
            }
            item.status = .pawned
            item.owner = nil
            item.loan = Loan(
                clientId: pawn.clientId, principal: pawn.principal, interestPercent: pawn.interestPercent,
                startDate: pawn.date, dueDate: due)

        case .redeem(let redeem):
            if let rejection = require(item, .pawned, for: .redeem) { return .failure(rejection) }
            guard let loan = item.loan else { return .failure(brokenInvariant(item)) }
            if loan.clientId != redeem.clientId {
                return .failure(
                    Rejection(
                        code: .notPawner,
                        message: "client \(redeem.clientId) did not pawn item \(item.id)"))
            }
            if redeem.date < loan.startDate {
                return .failure(
                    Rejection(
                        code: .dateBeforeLoan,
                        message:
                            "the redeem date \(redeem.date) is before the loan started on \(loan.startDate)"))
            }
            if redeem.date > loan.dueDate {
                return .failure(
                    Rejection(
                        code: .loanOverdue,
                        message: "the loan fell due on \(loan.dueDate); \(redeem.date) is too late to redeem")
                )
            }
            item.status = .withClient
            item.owner = loan.clientId
            item.loan = nil

        case .forfeit(let forfeit):
            if let rejection = require(item, .pawned, for: .forfeit) { return .failure(rejection) }
            guard let loan = item.loan else { return .failure(brokenInvariant(item)) }
            if forfeit.date <= loan.dueDate {
                return .failure(
                    Rejection(
                        code: .loanNotDue,
                        message:
                            "the loan is due on \(loan.dueDate); it cannot be forfeited on \(forfeit.date)"))
            }
            item.status = .inStock
            item.owner = nil
            item.loan = nil
            item.costBasis = loan.principal
        }
        return .success((item, recorded))
    }

    private static func require(_ item: Item, _ status: ItemStatus, for kind: Action.Kind) -> Rejection? {
        guard item.status != status else { return nil }
        return Rejection(
            code: .actionNotAllowed,
            message:
                "cannot \(kind.rawValue) item \(item.id): it is \(item.status.rawValue), not \(status.rawValue)"
        )
    }

    private static func notOwner(_ clientId: String, _ item: Item) -> Rejection {
        Rejection(code: .notOwner, message: "client \(clientId) does not own item \(item.id)")
    }

    /// A pawned item without a loan can only come from a hand-built `Item`; reject rather
    /// than trap, so that the function stays total.
    private static func brokenInvariant(_ item: Item) -> Rejection {
        Rejection(code: .actionNotAllowed, message: "item \(item.id) is pawned but records no loan")
    }
}
