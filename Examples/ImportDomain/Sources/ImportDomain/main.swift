// Walks one item through its whole lifecycle with PawnDomain's pure state machine,
// printing each state, then shows a rejected action and an idempotent replay.
import PawnDomain

func date(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { fatalError("not a date: \(text)") }
    return date
}

let events: [Event] = [
    Event(
        eventId: "e1", itemId: "guitar-1",
        action: .add(
            AddItem(name: "Fender Stratocaster", category: .collection, price: 80_000, condition: .good))),
    Event(
        eventId: "e2", itemId: "guitar-1",
        action: .sell(Sell(clientId: "ana", price: 120_000, date: date("2024-03-01")))),
    Event(
        eventId: "e3", itemId: "guitar-1",
        action: .pawn(
            Pawn(
                clientId: "ana", principal: 50_000, interestPercent: 8, limitDays: 30,
                date: date("2024-04-01")))),
    Event(
        eventId: "e4", itemId: "guitar-1", action: .redeem(Redeem(clientId: "ana", date: date("2024-04-20")))),
    Event(
        eventId: "e5", itemId: "guitar-1",
        action: .buy(Buy(clientId: "ana", price: 70_000, date: date("2024-06-01")))),
]

func describe(_ item: Item) -> String {
    var text = "v\(item.version) \(item.status.name)"
    if let owner = item.owner { text += ", owner \(owner)" }
    if let loan = item.loan { text += ", loan of \(loan.principal) to \(loan.clientId) due \(loan.dueDate)" }
    return text + ", cost basis \(item.costBasis)"
}

var item: Item? = nil
for event in events {
    switch transition(item, event) {
    case .success(let step):
        item = step.item
        print("\(event.action.kind.rawValue.padding(7)) → \(describe(step.item))")
        if case .sell(let sale) = step.event.action, let profit = sale.profit {
            print("          profit \(profit)")
        }
    case .failure(let rejection):
        print("\(event.action.kind.rawValue.padding(7)) ✗ \(rejection)")
    }
}

// The shop owns the guitar again: a client cannot redeem it, and replaying e2 is a no-op.
let late = Event(
    eventId: "e6", itemId: "guitar-1", action: .redeem(Redeem(clientId: "ana", date: date("2024-06-02"))))
if case .failure(let rejection) = apply(item, late) {
    print("redeem  ✗ \(rejection.code.rawValue): \(rejection.message)")
}
let replay = try apply(item, events[1]).get()
print("replay of e2 changes nothing: \(replay == item!)")

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
