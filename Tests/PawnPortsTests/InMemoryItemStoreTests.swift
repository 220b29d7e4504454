import PawnDomain
import PawnPorts
import Testing

@Suite("In-memory item store")
struct InMemoryItemStoreTests {
    func item(_ id: String, _ category: Category = .motor, version: Int64 = 1) -> Item {
        Item(
            id: id, name: "Thing \(id)", category: category, price: 100, condition: .good, ageInMonths: 1,
            version: version)
    }

    @Test func updatesAreConditionalOnTheVersion() async throws {
        let store = InMemoryItemStore()
        try await store.save(item("a"), expectedVersion: 0)
        await #expect(throws: ItemStoreError.self) {
            try await store.save(item("a", version: 2), expectedVersion: 0)
        }
        try await store.save(item("a", version: 2), expectedVersion: 1)
        #expect(try await store.item(id: "a")?.version == 2)
        await #expect(throws: ItemStoreError.self) {
            try await store.save(item("a", version: 3), expectedVersion: 1)
        }
    }

    @Test func anEventIdIsRecordedOnce() async throws {
        let store = InMemoryItemStore()
        let event = Event(eventId: "e1", itemId: "a", action: .forfeit(Forfeit(date: .min)))
        #expect(try await store.record(StoredEvent(event: event, outcome: .applied, sequence: 1)))
        #expect(try await !store.record(StoredEvent(event: event, outcome: .applied, sequence: 2)))
        #expect(try await store.event(id: "e1")?.sequence == 1)
    }

    @Test func historiesComeInSequenceOrder() async throws {
        let store = InMemoryItemStore()
        try await store.save(item("a"), expectedVersion: 0)
        for sequence in [5, 1, 3] as [Int64] {
            let event = Event(eventId: "e\(sequence)", itemId: "a", action: .forfeit(Forfeit(date: .min)))
            try await store.record(StoredEvent(event: event, outcome: .applied, sequence: sequence))
        }
        #expect(try await store.history(itemId: "a")?.events.map(\.sequence) == [1, 3, 5])
        #expect(try await store.history(itemId: "missing") == nil)
    }

    @Test func queriesFilterLimitAndPage() async throws {
        let store = InMemoryItemStore()
        for index in 0..<10 {
            try await store.save(item("i\(index)", index < 6 ? .motor : .reading), expectedVersion: 0)
        }
        let first = try await store.items(matching: .category(.motor), limit: 4, after: nil)
        #expect(first.items.map(\.id) == ["i0", "i1", "i2", "i3"] && first.next == "i3")
        let second = try await store.items(matching: .category(.motor), limit: 4, after: first.next)
        #expect(second.items.map(\.id) == ["i4", "i5"] && second.next == nil)
        #expect(
            try await store.items(matching: .name("Thing i7"), limit: 10, after: nil).items.map(\.id) == [
                "i7"
            ])
        #expect(try await store.items(matching: .status(.pawned), limit: 10, after: nil).items.isEmpty)
        #expect(
            try await store.items(matching: .condition(.good), limit: 100, after: "i8").items.map(\.id) == [
                "i9"
            ])
    }

    @Test func fraudNamesAreTrimmedAndCaseFolded() async throws {
        let list = InMemoryFraudList(["  Mallory ", "eve"])
        #expect(try await list.contains("MALLORY"))
        #expect(try await list.contains(" Eve\t"))
        #expect(try await !list.contains("bob"))
        list.replace(with: ["bob"])
        #expect(try await list.contains("Bob"))
        #expect(try await !list.contains("eve"))
    }
}
