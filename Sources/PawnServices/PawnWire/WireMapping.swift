import PawnDomain
import PawnPorts
import PawnProtocol

/// The one place where domain values and wire messages meet.
public enum WireMapping {
    /// Why a record's value cannot become a domain event.
    public struct MappingError: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public var message: String
        /// The event id, when the message got far enough to have one.
        public var eventId: String?
        /// The item id, when the message got far enough to have one.
        public var itemId: String?
        public var description: String { message }
    }

    // MARK: - Enums

    /// The wire form of a domain value.
    public static func wire(_ category: Category) -> Wire.Category {
        switch category {
        case .reading: .reading
        case .collection: .collection
        case .decoration: .decoration
        case .clothing: .clothing
        case .jewelry: .jewelry
        case .motor: .motor
        case .electronics: .electronics
        }
    }

    /// The domain form of a wire value, or `nil` for a number the domain does not know.
    public static func domain(_ category: Wire.Category) -> Category? {
        switch category {
        case .reading: .reading
        case .collection: .collection
        case .decoration: .decoration
        case .clothing: .clothing
        case .jewelry: .jewelry
        case .motor: .motor
        case .electronics: .electronics
        case .unrecognized: nil
        }
    }

    /// The wire form of a domain value.
    public static func wire(_ condition: Condition) -> Wire.State {
        switch condition {
        case .new: .new
        case .good: .good
        case .bad: .bad
        case .fatal: .fatal
        }
    }

    /// The domain form of a wire value, or `nil` for a number the domain does not know.
    public static func domain(_ state: Wire.State) -> Condition? {
        switch state {
        case .new: .new
        case .good: .good
        case .bad: .bad
        case .fatal: .fatal
        case .unrecognized: nil
        }
    }

    /// The wire form of a domain value.
    public static func wire(_ status: ItemStatus) -> Wire.ItemStatus {
        switch status {
        case .inStock: .inStock
        case .withClient: .withClient
        case .pawned: .pawned
        }
    }

    /// The domain form of a wire value, or `nil` for a number the domain does not know.
    public static func domain(_ status: Wire.ItemStatus) -> ItemStatus? {
        switch status {
        case .inStock: .inStock
        case .withClient: .withClient
        case .pawned: .pawned
        case .unrecognized: nil
        }
    }

    /// The wire form of a domain value.
    public static func wire(_ kind: Action.Kind) -> Wire.ActionKind {
        switch kind {
        case .add: .add
        case .buy: .buy
        case .sell: .sell
        case .pawn: .pawn
        case .redeem: .redeem
        case .forfeit: .forfeit
        }
    }

    // MARK: - Items

    /// The wire form of a domain value.
    public static func wire(_ item: Item) -> Wire.Item {
        Wire.Item(
            id: item.id, name: item.name, category: wire(item.category), price: item.price.minorUnits,
            state: wire(item.condition), ageInMonths: item.ageInMonths, status: wire(item.status),
            owner: item.owner,
            loan: item.loan.map(wire), version: item.version, costBasis: item.costBasis.minorUnits)
    }

    /// The wire form of a domain value.
    public static func wire(_ loan: Loan) -> Wire.Loan {
        Wire.Loan(
            clientId: loan.clientId, principal: loan.principal.minorUnits,
            interestPercent: loan.interestPercent,
            startDate: loan.startDate.iso8601, dueDate: loan.dueDate.iso8601)
    }

    // MARK: - Events on the log

    /// The topic and protobuf value an event is published as.
    public static func record(for event: Event) -> (topic: String, value: [UInt8]) {
        let topic = Topics.topic(for: event.action.kind)
        switch event.action {
        case .add(let add):
            var item = Wire.Item(
                id: event.itemId, name: add.name, category: wire(add.category), price: add.price.minorUnits,
                state: wire(add.condition), ageInMonths: add.ageInMonths)
            item.status = wire(add.status)
            let message = Wire.AddItem(
                item: item, eventId: event.eventId, status: wire(add.status), owner: add.owner,
                date: add.date?.iso8601 ?? "")
            return (topic, message.serializedBytes())
        case .buy(let buy):
            return (topic, wireBuy(event, buy).serializedBytes())
        case .sell(let sell):
            return (topic, wireSell(event, sell).serializedBytes())
        case .pawn(let pawn):
            return (topic, wirePawn(event, pawn).serializedBytes())
        case .redeem(let redeem):
            return (topic, wireRedeem(event, redeem).serializedBytes())
        case .forfeit(let forfeit):
            return (topic, wireForfeit(event, forfeit).serializedBytes())
        }
    }

    static func wireBuy(_ event: Event, _ buy: Buy) -> Wire.Buy {
        Wire.Buy(
            clientId: buy.clientId, itemId: event.itemId, price: buy.price.minorUnits, date: buy.date.iso8601,
            eventId: event.eventId)
    }

    static func wireSell(_ event: Event, _ sell: Sell) -> Wire.Sell {
        Wire.Sell(
            clientId: sell.clientId, itemId: event.itemId, price: sell.price.minorUnits,
            date: sell.date.iso8601,
            profit: sell.profit?.minorUnits, eventId: event.eventId)
    }

    static func wirePawn(_ event: Event, _ pawn: Pawn) -> Wire.Pawn {
        Wire.Pawn(
            clientId: pawn.clientId, itemId: event.itemId, price: pawn.principal.minorUnits,
            tax: pawn.interestPercent,
            date: pawn.date.iso8601, limitDays: pawn.limitDays, eventId: event.eventId)
    }

    static func wireRedeem(_ event: Event, _ redeem: Redeem) -> Wire.Redeem {
        Wire.Redeem(
            clientId: redeem.clientId, itemId: event.itemId, date: redeem.date.iso8601, eventId: event.eventId
        )
    }

    static func wireForfeit(_ event: Event, _ forfeit: Forfeit) -> Wire.Forfeit {
        Wire.Forfeit(itemId: event.itemId, date: forfeit.date.iso8601, eventId: event.eventId)
    }

    /// The domain event a record carries.
    public static func event(from record: LogRecord) throws(MappingError) -> Event {
        let headerId = record.headers[Topics.eventIdHeader]
        func fail(_ message: String, _ eventId: String?, _ itemId: String?) -> MappingError {
            MappingError(
                message: "\(record.topic)@\(record.offset): \(message)", eventId: eventId ?? headerId,
                itemId: itemId)
        }
        func date(_ text: String, _ eventId: String, _ itemId: String) throws(MappingError) -> CalendarDate {
            guard let value = CalendarDate(iso8601: text) else {
                throw fail("invalid date '\(text)'", eventId, itemId)
            }
            return value
        }
        do {
            switch record.topic {
            case Topics.items:
                let message = try Wire.AddItem(serializedBytes: record.value)
                let item = message.item ?? Wire.Item()
                guard let category = domain(item.category) else {
                    throw fail("unknown category \(item.category.protoValue)", message.eventId, item.id)
                }
                guard let condition = domain(item.state) else {
                    throw fail("unknown state \(item.state.protoValue)", message.eventId, item.id)
                }
                guard let status = domain(message.status) else {
                    throw fail("unknown status \(message.status.protoValue)", message.eventId, item.id)
                }
                let added = message.date.isEmpty ? nil : try date(message.date, message.eventId, item.id)
                let add = AddItem(
                    name: item.name, category: category, price: Money(minorUnits: item.price),
                    condition: condition,
                    ageInMonths: item.ageInMonths, status: status, owner: message.owner, date: added)
                return Event(eventId: message.eventId, itemId: item.id, action: .add(add))
            case Topics.buyActions:
                let m = try Wire.Buy(serializedBytes: record.value)
                let buy = Buy(
                    clientId: m.clientId, price: Money(minorUnits: m.price),
                    date: try date(m.date, m.eventId, m.itemId))
                return Event(eventId: m.eventId, itemId: m.itemId, action: .buy(buy))
            case Topics.sellActions:
                let m = try Wire.Sell(serializedBytes: record.value)
                let sell = Sell(
                    clientId: m.clientId, price: Money(minorUnits: m.price),
                    date: try date(m.date, m.eventId, m.itemId),
                    profit: m.profit.map { Money(minorUnits: $0) })
                return Event(eventId: m.eventId, itemId: m.itemId, action: .sell(sell))
            case Topics.pawnActions:
                let m = try Wire.Pawn(serializedBytes: record.value)
                let pawn = Pawn(
                    clientId: m.clientId, principal: Money(minorUnits: m.price), interestPercent: m.tax,
                    limitDays: m.limitDays,
                    date: try date(m.date, m.eventId, m.itemId))
                return Event(eventId: m.eventId, itemId: m.itemId, action: .pawn(pawn))
            case Topics.redeemActions:
                let m = try Wire.Redeem(serializedBytes: record.value)
                let redeem = Redeem(clientId: m.clientId, date: try date(m.date, m.eventId, m.itemId))
                return Event(eventId: m.eventId, itemId: m.itemId, action: .redeem(redeem))
            case Topics.forfeitActions:
                let m = try Wire.Forfeit(serializedBytes: record.value)
                return Event(
                    eventId: m.eventId, itemId: m.itemId,
                    action: .forfeit(Forfeit(date: try date(m.date, m.eventId, m.itemId))))
            default:
                throw fail("not an action topic", nil, nil)
            }
        } catch let error as MappingError {
            throw error
        } catch {
            throw fail("undecodable value: \(error)", nil, record.key)
        }
    }
}

// MARK: - Histories and pages (the Worker service's answers)

extension WireMapping {
    /// An item's history as the Worker service sends it.
    public static func wire(_ history: ItemHistory) -> Wire.ItemWithHistory {
        var result = Wire.ItemWithHistory(item: wire(history.item))
        result.order = history.events.map(\.event.eventId)
        for stored in history.events {
            let event = stored.event
            if case .rejected(let rejection) = stored.outcome {
                result.rejected.append(
                    Wire.RejectedEvent(
                        eventId: event.eventId, itemId: event.itemId, action: wire(event.action.kind),
                        code: rejection.code.rawValue, reason: rejection.message,
                        clientId: event.action.clientId,
                        date: event.action.date?.iso8601 ?? ""))
                continue
            }
            switch event.action {
            case .add: break
            case .buy(let buy): result.buys.append(wireBuy(event, buy))
            case .sell(let sell): result.sells.append(wireSell(event, sell))
            case .pawn(let pawn): result.pawns.append(wirePawn(event, pawn))
            case .redeem(let redeem): result.redeems.append(wireRedeem(event, redeem))
            case .forfeit(let forfeit): result.forfeits.append(wireForfeit(event, forfeit))
            }
        }
        return result
    }

    /// The domain item a Worker service sent, or `nil` when a field is not valid.
    public static func domain(_ item: Wire.Item) -> Item? {
        guard let category = domain(item.category), let condition = domain(item.state),
            let status = domain(item.status)
        else { return nil }
        var loan: Loan? = nil
        if let wireLoan = item.loan {
            guard let start = CalendarDate(iso8601: wireLoan.startDate),
                let due = CalendarDate(iso8601: wireLoan.dueDate)
            else { return nil }
            loan = Loan(
                clientId: wireLoan.clientId, principal: Money(minorUnits: wireLoan.principal),
                interestPercent: wireLoan.interestPercent, startDate: start, dueDate: due)
        }
        return Item(
            id: item.id, name: item.name, category: category, price: Money(minorUnits: item.price),
            condition: condition,
            ageInMonths: item.ageInMonths, status: status, owner: item.owner, loan: loan,
            costBasis: Money(minorUnits: item.costBasis), version: item.version)
    }

    /// The domain history a Worker service sent, or `nil` when a field is not valid. Events
    /// are in the order of the message's `order` (an event it does not name, from a worker
    /// that sends none, goes after those it names, in its kind's order). The add, which the
    /// lists do not carry, is not among them.
    public static func domain(_ history: Wire.ItemWithHistory) -> ItemHistory? {
        guard let wireItem = history.item, let item = domain(wireItem) else { return nil }
        var events: [StoredEvent] = []
        func add(_ eventId: String, _ action: Action?, _ outcome: StoredEvent.Outcome = .applied) -> Bool {
            guard let action else { return false }
            events.append(
                StoredEvent(
                    event: Event(eventId: eventId, itemId: item.id, action: action), outcome: outcome,
                    sequence: Int64(events.count)))
            return true
        }
        for b in history.buys {
            guard
                add(
                    b.eventId,
                    CalendarDate(iso8601: b.date).map {
                        .buy(Buy(clientId: b.clientId, price: Money(minorUnits: b.price), date: $0))
                    })
            else { return nil }
        }
        for s in history.sells {
            let action = CalendarDate(iso8601: s.date).map {
                Action.sell(
                    Sell(
                        clientId: s.clientId, price: Money(minorUnits: s.price), date: $0,
                        profit: s.profit.map { Money(minorUnits: $0) }))
            }
            guard add(s.eventId, action) else { return nil }
        }
        for p in history.pawns {
            let action = CalendarDate(iso8601: p.date).map {
                Action.pawn(
                    Pawn(
                        clientId: p.clientId, principal: Money(minorUnits: p.price), interestPercent: p.tax,
                        limitDays: p.limitDays, date: $0))
            }
            guard add(p.eventId, action) else { return nil }
        }
        for r in history.redeems {
            guard
                add(
                    r.eventId,
                    CalendarDate(iso8601: r.date).map { .redeem(Redeem(clientId: r.clientId, date: $0)) })
            else { return nil }
        }
        for f in history.forfeits {
            guard add(f.eventId, CalendarDate(iso8601: f.date).map { .forfeit(Forfeit(date: $0)) }) else {
                return nil
            }
        }
        for r in history.rejected {
            let date = CalendarDate(iso8601: r.date) ?? .min
            let client = r.clientId ?? ""
            let action: Action =
                switch r.action {
                case .buy: .buy(Buy(clientId: client, price: 0, date: date))
                case .sell: .sell(Sell(clientId: client, price: 0, date: date))
                case .pawn:
                    .pawn(Pawn(clientId: client, principal: 0, interestPercent: 0, limitDays: 0, date: date))
                case .redeem: .redeem(Redeem(clientId: client, date: date))
                case .add:
                    .add(
                        AddItem(
                            name: item.name, category: item.category, price: item.price,
                            condition: item.condition))
                default: .forfeit(Forfeit(date: date))
                }
            let rejection = Rejection(
                code: r.code.isEmpty ? .invalidField : Rejection.Code(rawValue: r.code), message: r.reason)
            _ = add(r.eventId, action, .rejected(rejection))
        }
        let place = Dictionary(history.order.enumerated().map { ($1, $0) }) { first, _ in first }
        let ordered = events.enumerated().sorted {
            (place[$0.element.event.eventId] ?? Int.max, $0.offset)
                < (place[$1.element.event.eventId] ?? Int.max, $1.offset)
        }.map(\.element)
        return ItemHistory(item: item, events: ordered)
    }
}
