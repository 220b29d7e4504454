import Foundation
import PawnDomain
import PawnMongo
import PawnPorts
import PawnTestSupport
import Testing

@Suite(.enabled(if: MongoTestSupport.available), .serialized)
struct MongoItemStoreTests {
    static let date = CalendarDate(year: 2024, month: 5, day: 1)!

    static func item(
        _ id: String, name: String = "Lamp", category: PawnDomain.Category = .decoration,
        condition: Condition = .good, status: ItemStatus = .inStock, owner: String? = nil, loan: Loan? = nil,
        version: Int64 = 1
    ) -> Item {
        Item(
            id: id, name: name, category: category, price: 25_00, condition: condition, ageInMonths: 3,
            status: status, owner: owner, loan: loan, version: version, appliedEventIds: ["ev-\(id)"])
    }

    /// One event of every kind, each once applied and once rejected, with sequences.
    static func everyEvent(itemId: String) -> [StoredEvent] {
        let actions: [Action] = [
            .add(
                AddItem(
                    name: "Watch", category: .jewelry, price: 300_00, condition: .new, ageInMonths: 0,
                    status: .withClient, owner: "ann", date: date)),
            .buy(Buy(clientId: "ann", price: 200_00, date: date)),
            .sell(Sell(clientId: "ben", price: 350_00, date: date, profit: 150_00)),
            .pawn(Pawn(clientId: "ben", principal: 100_00, interestPercent: 10, limitDays: 30, date: date)),
            .redeem(Redeem(clientId: "ben", date: date)),
            .forfeit(Forfeit(date: date.adding(days: 31)!)),
        ]
        var events: [StoredEvent] = []
        for (index, action) in actions.enumerated() {
            let applied = Event(eventId: "\(itemId)-\(action.kind)-ok", itemId: itemId, action: action)
            // Applied events carry the trace id of the request that published them; rejected ones
            // here do not (a record without traceparent), so both document shapes are read back.
            events.append(
                StoredEvent(
                    event: applied, outcome: .applied, sequence: Int64(index * 2),
                    traceId: "4bf92f3577b34da6a3ce929d0e0e47\(String(index, radix: 16))\(index)"))
            let rejected = Event(eventId: "\(itemId)-\(action.kind)-no", itemId: itemId, action: action)
            let rejection = Rejection(
                code: .invalidField, message: "price must not be negative", field: "price")
            events.append(
                StoredEvent(event: rejected, outcome: .rejected(rejection), sequence: Int64(index * 2 + 1)))
        }
        return events
    }

    @Test func everyDocumentShapeRoundTrips() async throws {
        try await MongoTestSupport.withStore { store, _ in
            let loan = Loan(
                clientId: "ben", principal: 100_00, interestPercent: 10, startDate: Self.date,
                dueDate: Self.date.adding(days: 30)!)
            let items = [
                Self.item("plain"), Self.item("owned", status: .withClient, owner: "ann"),
                Self.item("pawned", status: .pawned, loan: loan),
            ]
            for item in items { try await store.save(item, expectedVersion: 0) }
            for item in items { #expect(try await store.item(id: item.id) == item) }
            #expect(try await store.item(id: "absent") == nil)

            let events = Self.everyEvent(itemId: "pawned")
            #expect(try await store.record(events) == events.count)
            for event in events { #expect(try await store.event(id: event.event.eventId) == event) }
            #expect(try await store.event(id: "absent") == nil)
        }
    }

    @Test func duplicateEventIdIsRecordedOnce() async throws {
        try await MongoTestSupport.withStore { store, _ in
            let events = Self.everyEvent(itemId: "x")
            #expect(try await store.record(events[0]))
            #expect(try await store.record(events[0]) == false)
            // A batch with an old event, a new one twice, and one of another collection.
            let batch = [events[0], events[2], events[2], events[4]]
            #expect(try await store.record(batch) == 2)
            #expect(try await store.record(batch) == 0)
            let recorded = try await store.recordedEventIds(among: events.map(\.event))
            #expect(recorded == [events[0].event.eventId, events[2].event.eventId, events[4].event.eventId])
            #expect(try await store.recordedEventIds(among: []) == [])
        }
    }

    @Test func singleWritesAreConditionalOnVersion() async throws {
        try await MongoTestSupport.withStore { store, _ in
            var item = Self.item("a")
            try await store.save(item, expectedVersion: 0)
            await #expect(throws: ItemStoreError(.versionConflict, "item a already exists")) {
                try await store.save(item, expectedVersion: 0)
            }
            item.version = 2
            item.name = "Lamp 2"
            try await store.save(item, expectedVersion: 1)
            var stale = item
            stale.name = "stale"
            stale.version = 2
            do throws(ItemStoreError) {
                try await store.save(stale, expectedVersion: 1)
                Issue.record("stale write accepted")
            } catch {
                #expect(error.code == .versionConflict)
            }
            do throws(ItemStoreError) {
                try await store.save(Self.item("never", version: 5), expectedVersion: 4)
                Issue.record("update of a missing item accepted")
            } catch {
                #expect(error.code == .versionConflict)
            }
            #expect(try await store.item(id: "a") == item)
            #expect(try await store.item(id: "never") == nil)
        }
    }

    @Test func batchWritesReportConflictsById() async throws {
        try await MongoTestSupport.withStore { store, _ in
            try await store.save(Self.item("one"), expectedVersion: 0)
            try await store.save(Self.item("two"), expectedVersion: 0)
            let writes = [
                ItemWrite(item: Self.item("new", version: 1), expectedVersion: 0),
                ItemWrite(item: Self.item("one", name: "moved", version: 2), expectedVersion: 1),
                ItemWrite(item: Self.item("two", name: "stale", version: 4), expectedVersion: 3),
                ItemWrite(item: Self.item("one", name: "again", version: 1), expectedVersion: 0),
            ]
            #expect(try await store.save(writes) == ["two", "one"] as Set)
            // "one" is both applied (the update) and refused (the insert): what is stored
            // is the update.
            #expect(try await store.item(id: "one")?.name == "moved")
            #expect(try await store.item(id: "two")?.name == "Lamp")
            #expect(try await store.item(id: "new") == Self.item("new", version: 1))
            let found = try await store.items(ids: ["one", "two", "new", "absent"])
            #expect(Set(found.keys) == ["one", "two", "new"])
            #expect(try await store.save([]) == [])

            let clean = [
                ItemWrite(item: Self.item("one", name: "third", version: 3), expectedVersion: 2),
                ItemWrite(item: Self.item("two", name: "second", version: 2), expectedVersion: 1),
            ]
            #expect(try await store.save(clean) == [])
            #expect(try await store.item(id: "two")?.name == "second")
        }
    }

    @Test func queriesFilterSortAndPage() async throws {
        try await MongoTestSupport.withStore { store, _ in
            var all: [Item] = []
            for index in 0..<23 {
                let item = Self.item(
                    String(format: "item-%02d", 22 - index), name: index % 2 == 0 ? "Even" : "Odd",
                    category: index % 3 == 0 ? .reading : .motor, condition: index % 4 == 0 ? .fatal : .new,
                    status: index % 5 == 0 ? .withClient : .inStock, owner: index % 5 == 0 ? "c\(index)" : nil
                )
                all.append(item)
            }
            #expect(try await store.save(all.map { ItemWrite(item: $0, expectedVersion: 0) }) == [])
            let sorted = all.sorted { $0.id < $1.id }
            let cases: [(ItemFilter, (Item) -> Bool)] = [
                (.name("Even"), { $0.name == "Even" }),
                (.category(.reading), { $0.category == .reading }),
                (.condition(.fatal), { $0.condition == .fatal }),
                (.status(.withClient), { $0.status == .withClient }),
                (.name("Nobody"), { _ in false }),
            ]
            for (filter, matches) in cases {
                let expected = sorted.filter(matches)
                let whole = try await store.items(matching: filter, limit: 1000, after: nil)
                #expect(whole.items == expected, "\(filter)")
                #expect(whole.next == nil)
                // Page through three at a time: every item once, in order.
                var paged: [Item] = []
                var after: String? = nil
                var pages = 0
                repeat {
                    let page = try await store.items(matching: filter, limit: 3, after: after)
                    #expect(page.items.count <= 3)
                    paged += page.items
                    after = page.next
                    pages += 1
                } while after != nil && pages < 100
                #expect(paged == expected, "\(filter)")
                #expect(pages == max(1, (expected.count + 2) / 3))
            }
            let exact = try await store.items(matching: .category(.reading), limit: 8, after: nil)
            #expect(exact.items.count == 8)
            #expect(exact.next == nil)
            #expect(try await store.items(matching: .name("Odd"), limit: 5, after: "item-99").items == [])
            #expect(try await store.items(matching: .name("Odd"), limit: 0, after: nil).items == [])
        }
    }

    @Test func historyMergesCollectionsBySequence() async throws {
        try await MongoTestSupport.withStore { store, _ in
            #expect(try await store.history(itemId: "w") == nil)
            let item = Self.item("w", status: .withClient, owner: "ann")
            try await store.save(item, expectedVersion: 0)
            // Recorded out of order and spread over every collection.
            let events = Self.everyEvent(itemId: "w")
            #expect(try await store.record(events.reversed()) == events.count)
            #expect(try await store.record(Self.everyEvent(itemId: "other")) == events.count)
            let history = try await store.history(itemId: "w")
            #expect(history?.item == item)
            #expect(history?.events == events)
        }
    }

    @Test func concurrentCallersShareThePool() async throws {
        try await MongoTestSupport.withStore { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask { try await store.save(Self.item("c\(index)"), expectedVersion: 0) }
                }
                try await group.waitForAll()
            }
            let page = try await store.items(matching: .name("Lamp"), limit: 100, after: nil)
            #expect(page.items.count == 40)
        }
    }

    /// pymongo, an independent client, reads what we wrote: field names, types and values.
    @Test func pymongoReadsOurCollections() async throws {
        guard Python.available(["pymongo"]) else {
            print("skipped: python3 cannot import pymongo (scripts/install-test-deps.sh)")
            return
        }
        try await MongoTestSupport.withStore { store, configuration in
            let loan = Loan(
                clientId: "ben", principal: 100_00, interestPercent: 10, startDate: Self.date,
                dueDate: Self.date.adding(days: 30)!)
            try await store.save(
                Self.item("p", category: .jewelry, status: .pawned, loan: loan), expectedVersion: 0)
            let events = Self.everyEvent(itemId: "p")
            _ = try await store.record(events)
            let script = """
                import sys, json, pymongo
                client = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=5000)
                db = client[sys.argv[2]]
                def plain(d):
                    return {k: ([type(v).__name__, v] if not isinstance(v, dict) else plain(v))
                            for k, v in d.items() if k != "_id"}
                out = {"items": [plain(d) for d in db.items.find()]}
                for name in ["addActions", "buyActions", "sellActions", "pawnActions", "redeemActions", "forfeitActions"]:
                    out[name] = [plain(d) for d in db[name].find().sort("sequence", 1)]
                indexes = {}
                for name in ["items", "pawnActions"]:
                    indexes[name] = sorted([list(i["key"].keys()), bool(i.get("unique"))] for i in db[name].list_indexes())
                out["indexes"] = indexes
                print(json.dumps(out, default=str))
                """
            let output = try await MongoTestSupport.python(
                script, [configuration.uri, configuration.database])
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])

            let items = try #require(json["items"] as? [[String: Any]])
            try #require(items.count == 1)
            let item = items[0]
            #expect(Self.field(item, "id") == ["str", "p"])
            #expect(Self.field(item, "category") == ["str", "Jewelry"])
            #expect(Self.field(item, "state") == ["str", "Good"])
            #expect(Self.field(item, "status") == ["str", "pawned"])
            #expect(Self.field(item, "price") == ["Int64", "2500"])
            #expect(Self.field(item, "version") == ["Int64", "1"])
            #expect(Self.field(item, "ageInMonths") == ["int", "3"])
            #expect(item["owner"] == nil)
            let loanFields = try #require(item["loan"] as? [String: Any])
            #expect(Self.field(loanFields, "clientId") == ["str", "ben"])
            #expect(Self.field(loanFields, "principal") == ["Int64", "10000"])
            #expect(Self.field(loanFields, "interestPercent") == ["int", "10"])
            #expect(Self.field(loanFields, "dueDate") == ["str", "2024-05-31"])

            let pawns = try #require(json["pawnActions"] as? [[String: Any]])
            try #require(pawns.count == 2)
            #expect(
                Set(pawns[0].keys) == [
                    "eventId", "itemId", "action", "clientId", "price", "tax", "limitDays", "date",
                    "sequence", "outcome", "traceId",
                ])
            #expect(Self.field(pawns[0], "eventId") == ["str", "p-pawn-ok"])
            #expect(Self.field(pawns[0], "itemId") == ["str", "p"])
            #expect(Self.field(pawns[0], "action") == ["str", "pawn"])
            #expect(Self.field(pawns[0], "price") == ["Int64", "10000"])
            #expect(Self.field(pawns[0], "tax") == ["int", "10"])
            #expect(Self.field(pawns[0], "date") == ["str", "2024-05-01"])
            #expect(Self.field(pawns[0], "sequence") == ["Int64", "6"])
            #expect(Self.field(pawns[0], "outcome") == ["str", "applied"])
            #expect(Self.field(pawns[0], "traceId") == ["str", "4bf92f3577b34da6a3ce929d0e0e4733"])
            #expect(pawns[1]["traceId"] == nil)
            #expect(Self.field(pawns[1], "outcome") == ["str", "rejected"])
            let rejection = try #require(pawns[1]["rejection"] as? [String: Any])
            #expect(Self.field(rejection, "code") == ["str", "invalidField"])
            #expect(Self.field(rejection, "message") == ["str", "price must not be negative"])
            #expect(Self.field(rejection, "field") == ["str", "price"])

            let adds = try #require(json["addActions"] as? [[String: Any]])
            #expect(adds.count == 2)
            #expect(Self.field(adds[0], "state") == ["str", "New"])
            #expect(Self.field(adds[0], "owner") == ["str", "ann"])
            for name in ["buyActions", "sellActions", "redeemActions", "forfeitActions"] {
                #expect((json[name] as? [[String: Any]])?.count == 2, "\(name)")
            }
            let sells = try #require(json["sellActions"] as? [[String: Any]])
            #expect(Self.field(sells[0], "profit") == ["Int64", "15000"])

            let indexes = try #require(json["indexes"] as? [String: [[Any]]])
            let itemIndexes = indexes["items"]?.map { "\($0[0])/\($0[1])" } ?? []
            #expect(itemIndexes.contains { $0.contains("\"id\"") && $0.hasSuffix("/1") })
            for field in ["name", "category", "state", "status"] {
                #expect(itemIndexes.contains { $0.contains("\"\(field)\"") }, "index on \(field)")
            }
            let pawnIndexes = indexes["pawnActions"]?.map { "\($0[0])/\($0[1])" } ?? []
            #expect(pawnIndexes.contains { $0.contains("\"eventId\"") && $0.hasSuffix("/1") })
            #expect(pawnIndexes.contains { $0.contains("\"itemId\"") })
        }
    }

    /// A field as `[python type name, value as text]`.
    static func field(_ document: [String: Any], _ key: String) -> [String]? {
        guard let pair = document[key] as? [Any], pair.count == 2, let type = pair[0] as? String else {
            return nil
        }
        return [type, "\(pair[1])"]
    }
}
