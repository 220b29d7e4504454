import PawnIO
import PawnPorts
import PawnTestSupport
import Testing

@testable import PawnFeeder

/// A source the test controls: a list and its version, or a failure.
final class ScriptedSource: FraudListSource {
    let list: Locked<(Set<String>, String)>
    let failure = Locked<FraudListError?>(nil)
    init(list: (Set<String>, String)) { self.list = Locked(list) }
    func fetch(ifChangedFrom version: String?) async throws(FraudListError) -> FraudListFetch {
        if let failure = failure.withLock({ $0 }) { throw failure }
        let (names, current) = list.withLock { $0 }
        return version == current ? .unchanged : .list(names, version: current)
    }
    var description: String { "memory" }
}

@Suite("Feeder rounds (in memory)")
struct FeederRoundTests {
    @Test("the feeder keeps a list it could not store and stores it when the store is back")
    func feederRetriesTheStore() async throws {
        let source = ScriptedSource(list: (["a", "b"], "v1"))
        let store = FlakyFraudStore()
        let feeder = Feeder(source: source, store: store, interval: .seconds(60), log: { _ in })
        store.down.withLock { $0 = true }
        guard case .failed = await feeder.runOnce() else {
            Issue.record("a round with the store down did not fail")
            return
        }
        store.down.withLock { $0 = false }
        #expect(await feeder.runOnce() == .loaded(names: 2, added: 2, removed: 0))
        #expect(await feeder.runOnce() == .unchanged)
        source.list.withLock { $0 = (["b", "c"], "v2") }
        #expect(await feeder.runOnce() == .loaded(names: 2, added: 1, removed: 1))
        #expect(await feeder.statistics == .init(loads: 2, unchanged: 1, failures: 1, names: 2))
    }

    @Test(
        "a source's failure is kept as the port's typed error, for the command to tell a refusal from an outage"
    )
    func sourceFailures() async throws {
        let source = ScriptedSource(list: (["a"], "v1"))
        let store = FlakyFraudStore()
        let feeder = Feeder(source: source, store: store, interval: .seconds(60), log: { _ in })
        source.failure.withLock { $0 = FraudListError(.refused, "access denied") }
        guard case .failed = await feeder.runOnce() else { return unexpected("a refused fetch did not fail") }
        #expect(await feeder.lastError?.code == .refused)
        source.failure.withLock { $0 = nil }
        #expect(await feeder.runOnce() == .loaded(names: 1, added: 1, removed: 0))
        #expect(await feeder.lastError == nil)
        #expect(store.names.withLock { $0 } == ["a"])
    }
}
