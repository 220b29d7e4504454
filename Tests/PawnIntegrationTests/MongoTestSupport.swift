import Foundation
import PawnMongo
import PawnPorts
import PawnTestSupport

/// A store on a database of its own for each test, dropped at the end.
enum MongoTestSupport {
    /// Evaluated once, so that the reason for skipping is printed once.
    static let available: Bool = {
        if TestServers.mongo != nil { return true }
        _ = TestServers.skipReason("MongoDB", "PAWN_TEST_MONGO")
        return false
    }()

    static func withStore(_ body: (MongoItemStore, MongoConfiguration) async throws -> Void) async throws {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        let configuration = try MongoConfiguration(
            uri: TestServers.mongo!, database: "pawn-test-\(suffix)", poolSize: 4,
            serverSelectionTimeoutMilliseconds: 5_000)
        let store = try await MongoItemStore.start(configuration)
        do {
            try await body(store, configuration)
        } catch {
            try? await store.dropDatabase()
            store.close()
            throw error
        }
        try await store.dropDatabase()
        store.close()
    }

    /// Runs a python3 script with arguments, off the cooperative pool; returns its output.
    static func python(_ script: String, _ arguments: [String]) async throws -> String {
        try await offPool {
            let result = try Command.run(Command.find("python3")!, ["-c", script] + arguments)
            guard result.status == 0 else { throw Command.Failure(result) }
            return result.text
        }
    }
}
