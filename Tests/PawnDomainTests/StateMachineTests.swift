import PawnDomain
import PawnTestSupport
import Testing

/// Builders for items in each status, reached through the state machine itself.
enum Fixtures {
    static let day0 = CalendarDate(iso8601: "2024-01-10")!

    static func date(_ offset: Int) -> CalendarDate { day0.adding(days: offset)! }

    static func add(
        _ id: String = "ring-1", event: String = "e-add", owner: String? = nil, status: ItemStatus = .inStock
    )
        -> Event
    {
        Event(
            eventId: event, itemId: id,
            action: .add(
                AddItem(
                    name: "  Gold ring ", category: .jewelry, price: 10_000, condition: .good,
                    ageInMonths: 12,
                    status: status, owner: owner, date: day0)))
    }

    static func run(_ events: [Event]) throws -> Item? {
        var item: Item? = nil
        for event in events { item = try apply(item, event).get() }
        return item
    }

    /// An item in `status`: inStock after add; withClient (owner "alice") after a sale;
    /// pawned by alice for 30 days from day 1.
    static func item(in status: ItemStatus) throws -> Item {
        var events = [add()]
        if status != .inStock {
            events.append(
                Event(
                    eventId: "e-sell", itemId: "ring-1",
                    action: .sell(Sell(clientId: "alice", price: 15_000, date: date(0)))))
        }
        if status == .pawned {
            events.append(
                Event(
                    eventId: "e-pawn", itemId: "ring-1",
                    action: .pawn(
                        Pawn(
                            clientId: "alice", principal: 5_000, interestPercent: 10, limitDays: 30,
                            date: date(1)))))
        }
        return try #require(try run(events))
    }

    /// One action of each kind that is valid when the item is in the right status.
    static func action(_ kind: Action.Kind) -> Action {
        switch kind {
        case .add: add().action
        case .buy: .buy(Buy(clientId: "alice", price: 12_000, date: date(2)))
        case .sell: .sell(Sell(clientId: "bob", price: 20_000, date: date(2)))
        case .pawn:
            .pawn(Pawn(clientId: "alice", principal: 4_000, interestPercent: 5, limitDays: 10, date: date(2)))
        case .redeem: .redeem(Redeem(clientId: "alice", date: date(20)))
        case .forfeit: .forfeit(Forfeit(date: date(40)))
        }
    }
}

@Suite("State machine")
struct StateMachineTests {
    /// The whole table of SPEC §2: every (status, action) pair and its outcome.
    static let table: [(ItemStatus?, Action.Kind, ItemStatus?, Rejection.Code?)] = [
        (nil, .add, .inStock, nil), (nil, .buy, nil, .itemNotFound), (nil, .sell, nil, .itemNotFound),
        (nil, .pawn, nil, .itemNotFound), (nil, .redeem, nil, .itemNotFound),
        (nil, .forfeit, nil, .itemNotFound),
        (.inStock, .add, nil, .itemAlreadyExists), (.inStock, .buy, nil, .actionNotAllowed),
        (.inStock, .sell, .withClient, nil), (.inStock, .pawn, nil, .actionNotAllowed),
        (.inStock, .redeem, nil, .actionNotAllowed), (.inStock, .forfeit, nil, .actionNotAllowed),
        (.withClient, .add, nil, .itemAlreadyExists), (.withClient, .buy, .inStock, nil),
        (.withClient, .sell, nil, .actionNotAllowed), (.withClient, .pawn, .pawned, nil),
        (.withClient, .redeem, nil, .actionNotAllowed), (.withClient, .forfeit, nil, .actionNotAllowed),
        (.pawned, .add, nil, .itemAlreadyExists), (.pawned, .buy, nil, .actionNotAllowed),
        (.pawned, .sell, nil, .actionNotAllowed), (.pawned, .pawn, nil, .actionNotAllowed),
        (.pawned, .redeem, .withClient, nil), (.pawned, .forfeit, .inStock, nil),
    ]

    @Test("every (status, action) pair", arguments: 0..<24)
    func everyPair(row: Int) throws {
        let (from, kind, to, code) = Self.table[row]
        let item = try from.map { try Fixtures.item(in: $0) }
        let event = Event(eventId: "e-new-\(kind)", itemId: "ring-1", action: Fixtures.action(kind))
        switch apply(item, event) {
        case .success(let next):
            #expect(
                code == nil,
                "expected \(String(describing: code)) for \(kind) from \(String(describing: from))")
            #expect(next.status == to)
            #expect(next.version == (item?.version ?? 0) + 1)
            #expect(next.appliedEventIds.contains(event.eventId))
        case .failure(let rejection):
            #expect(rejection.code == code, "\(kind) from \(String(describing: from)): \(rejection)")
            #expect(!rejection.message.isEmpty)
        }
    }

    @Test func addCreatesTheItemWithTrimmedText() throws {
        let item = try #require(try Fixtures.run([Fixtures.add()]))
        #expect(item.name == "Gold ring")
        #expect(item.status == .inStock && item.owner == nil && item.loan == nil)
        #expect(item.costBasis == 10_000 && item.version == 1)

        let held = try #require(try Fixtures.run([Fixtures.add(owner: " carol ", status: .withClient)]))
        #expect(held.status == .withClient && held.owner == "carol")
        let anonymous = try #require(try Fixtures.run([Fixtures.add(status: .withClient)]))
        #expect(anonymous.status == .withClient && anonymous.owner == nil)
        // With no known owner, anyone may sell the item to the shop or pawn it.
        let bought = try apply(
            anonymous, Event(eventId: "b", itemId: "ring-1", action: Fixtures.action(.buy))
        ).get()
        #expect(bought.status == .inStock && bought.costBasis == 12_000)
    }

    @Test func ownersAndPawners() throws {
        let held = try Fixtures.item(in: .withClient)
        #expect(held.owner == "alice")
        let buyFromBob = Event(
            eventId: "x", itemId: "ring-1",
            action: .buy(Buy(clientId: "bob", price: 1, date: Fixtures.date(3))))
        #expect(rejectionCode(held, buyFromBob) == .notOwner)
        let pawnByBob = Event(
            eventId: "x", itemId: "ring-1",
            action: .pawn(
                Pawn(clientId: "bob", principal: 1, interestPercent: 1, limitDays: 1, date: Fixtures.date(3)))
        )
        #expect(rejectionCode(held, pawnByBob) == .notOwner)

        let pawned = try Fixtures.item(in: .pawned)
        #expect(pawned.owner == nil)
        #expect(
            pawned.loan
                == Loan(
                    clientId: "alice", principal: 5_000, interestPercent: 10, startDate: Fixtures.date(1),
                    dueDate: Fixtures.date(31)))
        #expect(pawned.loan?.amountDue == 5_500)
        let redeemByBob = Event(
            eventId: "x", itemId: "ring-1", action: .redeem(Redeem(clientId: "bob", date: Fixtures.date(5))))
        #expect(rejectionCode(pawned, redeemByBob) == .notPawner)
    }

    @Test("redeem on the due day, not after it; forfeit after the due day, not on it")
    func dueDates() throws {
        let pawned = try Fixtures.item(in: .pawned)  // due on day 31
        func redeem(_ day: Int) -> Event {
            Event(
                eventId: "r\(day)", itemId: "ring-1",
                action: .redeem(Redeem(clientId: "alice", date: Fixtures.date(day))))
        }
        func forfeit(_ day: Int) -> Event {
            Event(eventId: "f\(day)", itemId: "ring-1", action: .forfeit(Forfeit(date: Fixtures.date(day))))
        }
        #expect(rejectionCode(pawned, redeem(0)) == .dateBeforeLoan)
        #expect(rejectionCode(pawned, redeem(1)) == nil)
        #expect(rejectionCode(pawned, redeem(31)) == nil)
        #expect(rejectionCode(pawned, redeem(32)) == .loanOverdue)
        #expect(rejectionCode(pawned, forfeit(31)) == .loanNotDue)
        #expect(rejectionCode(pawned, forfeit(32)) == nil)

        let redeemed = try apply(pawned, redeem(31)).get()
        #expect(redeemed.status == .withClient && redeemed.owner == "alice" && redeemed.loan == nil)
        let forfeited = try apply(pawned, forfeit(32)).get()
        #expect(forfeited.status == .inStock && forfeited.owner == nil && forfeited.loan == nil)
        #expect(forfeited.costBasis == 5_000)
    }

    @Test func sellRecordsProfitFromTheCostBasis() throws {
        let stock = try Fixtures.item(in: .inStock)
        let sale = Event(
            eventId: "s", itemId: "ring-1",
            action: .sell(Sell(clientId: "bob", price: 9_000, date: Fixtures.date(1))))
        let result = try transition(stock, sale).get()
        #expect(
            result.event.action
                == .sell(Sell(clientId: "bob", price: 9_000, date: Fixtures.date(1), profit: -1_000)))
        let given = Event(
            eventId: "s2", itemId: "ring-1",
            action: .sell(Sell(clientId: "bob", price: 9_000, date: Fixtures.date(1), profit: 7)))
        #expect(try transition(stock, given).get().event == given)

        var extreme = stock
        extreme.costBasis = Money(minorUnits: Int64.min + 1)
        let overflow = Event(
            eventId: "s3", itemId: "ring-1",
            action: .sell(Sell(clientId: "bob", price: Money(minorUnits: .max), date: Fixtures.date(1))))
        #expect(rejectionCode(extreme, overflow) == .amountOverflow)
    }

    @Test func replayingAnAppliedEventChangesNothing() throws {
        let pawned = try Fixtures.item(in: .pawned)
        for id in ["e-add", "e-sell", "e-pawn"] {
            // Even an event that would now be rejected, or whose fields differ, is a no-op.
            let replay = Event(eventId: id, itemId: "ring-1", action: Fixtures.action(.sell))
            let result = try transition(pawned, replay).get()
            #expect(result.isReplay)
            #expect(result.item == pawned)
        }
    }

    @Test func invalidEventsAreRejectedWithTheField() throws {
        let stock = try Fixtures.item(in: .inStock)
        let bad = Event(
            eventId: "s", itemId: "ring-1",
            action: .sell(Sell(clientId: "", price: 1, date: Fixtures.date(1))))
        guard case .failure(let rejection) = apply(stock, bad) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.code == .invalidField && rejection.field == "clientId")
        let otherItem = Event(eventId: "s", itemId: "watch-2", action: Fixtures.action(.sell))
        guard case .failure(let mismatch) = apply(stock, otherItem) else {
            Issue.record("accepted")
            return
        }
        #expect(mismatch.code == .invalidField && mismatch.field == "itemId")
    }

    @Test func aPawnedItemWithoutALoanIsRejectedNotTrapped() throws {
        var broken = try Fixtures.item(in: .pawned)
        broken.loan = nil
        #expect(
            rejectionCode(broken, Event(eventId: "x", itemId: "ring-1", action: Fixtures.action(.redeem)))
                == .actionNotAllowed)
        #expect(
            rejectionCode(broken, Event(eventId: "y", itemId: "ring-1", action: Fixtures.action(.forfeit)))
                == .actionNotAllowed)
    }

    private func rejectionCode(_ item: Item?, _ event: Event) -> Rejection.Code? {
        if case .failure(let rejection) = apply(item, event) { return rejection.code }
        return nil
    }
}

@Suite("State machine properties")
struct StateMachinePropertyTests {
    /// Thousands of seeded random sequences of plausible and implausible events: the
    /// invariants hold after every step, a rejection changes nothing, and replaying any
    /// applied event is a no-op.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func invariantsHoldOverRandomSequences(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let clients = ["alice", "bob", "carol"]
        var accepted = 0
        var rejected = 0
        for sequence in 0..<1_000 {
            var item: Item? = nil
            var applied: [Event] = []
            var day = 0
            for step in 0..<25 {
                day += Int.random(in: 0...20, using: &rng)
                let event = randomEvent(
                    id: "s\(sequence)-\(step)", day: day, item: item, clients: clients, rng: &rng)
                switch transition(item, event) {
                case .success(let t):
                    #expect(!t.isReplay)
                    item = t.item
                    applied.append(event)
                    accepted += 1
                case .failure:
                    rejected += 1
                }
                if let item { try checkInvariants(item, applied: applied) }
                if let item, let old = applied.randomElement(using: &rng) {
                    let replay = try transition(item, old).get()
                    #expect(replay.isReplay && replay.item == item)
                }
            }
        }
        // The generator must exercise both outcomes, or the test proves little.
        #expect(accepted > 8_000 && rejected > 4_000, "accepted \(accepted), rejected \(rejected)")
    }

    private func checkInvariants(_ item: Item, applied: [Event]) throws {
        #expect(item.version == Int64(applied.count))
        #expect(item.appliedEventIds == Set(applied.map(\.eventId)))
        #expect((item.status == .pawned) == (item.loan != nil))
        if item.owner != nil { #expect(item.status == .withClient) }
        if let loan = item.loan { #expect(loan.dueDate > loan.startDate) }
        #expect(item.price.minorUnits >= 0 && item.costBasis.minorUnits >= 0)
    }

    private func randomEvent(id: String, day: Int, item: Item?, clients: [String], rng: inout SeededGenerator)
        -> Event
    {
        let date = Fixtures.date(day)
        let client =
            Bool.random(using: &rng)
            ? (item?.owner ?? item?.loan?.clientId ?? clients[0]) : clients.randomElement(using: &rng)!
        // Mostly actions the status allows, so that long lifecycles happen; the rest at random.
        let likely: [Action.Kind] =
            switch item?.status {
            case nil: [.add]
            case .inStock: [.sell]
            case .withClient: [.buy, .pawn]
            case .pawned: [.redeem, .forfeit]
            }
        let kind =
            Int.random(in: 0..<10, using: &rng) < 7
            ? likely.randomElement(using: &rng)! : Action.Kind.allCases.randomElement(using: &rng)!
        let action: Action
        switch kind {
        case .add:
            let withClient = Bool.random(using: &rng)
            action = .add(
                AddItem(
                    name: "thing", category: Category.allCases.randomElement(using: &rng)!,
                    price: Money(minorUnits: Int64.random(in: 0...100_000, using: &rng)),
                    condition: Condition.allCases.randomElement(using: &rng)!,
                    status: withClient ? .withClient : .inStock,
                    owner: withClient && Bool.random(using: &rng) ? client : nil))
        case .buy:
            action = .buy(
                Buy(
                    clientId: client, price: Money(minorUnits: Int64.random(in: 0...50_000, using: &rng)),
                    date: date))
        case .sell:
            action = .sell(
                Sell(
                    clientId: client, price: Money(minorUnits: Int64.random(in: 0...50_000, using: &rng)),
                    date: date))
        case .pawn:
            action = .pawn(
                Pawn(
                    clientId: client, principal: Money(minorUnits: Int64.random(in: 1...5_000, using: &rng)),
                    interestPercent: Int32.random(in: 0...100, using: &rng),
                    limitDays: Int32.random(in: 1...60, using: &rng), date: date))
        case .redeem: action = .redeem(Redeem(clientId: client, date: date))
        case .forfeit: action = .forfeit(Forfeit(date: date))
        }
        return Event(eventId: id, itemId: "item", action: action)
    }
}
