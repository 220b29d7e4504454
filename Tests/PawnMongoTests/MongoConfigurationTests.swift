import PawnMongo
import PawnPorts
import Testing

@Suite struct MongoConfigurationTests {
    @Test func defaults() throws {
        let configuration = try MongoConfiguration(values: ["uri": "mongodb://127.0.0.1:27017"])
        #expect(configuration.database == "auction-db")
        #expect(configuration.poolSize == 8)
    }

    @Test(arguments: [
        (["database": "x"], "uri"),
        (["uri": "http://host"], "uri"),
        (["uri": "mongodb://h", "database": "a.b"], "database"),
        (["uri": "mongodb://h", "database": ""], "database"),
        (["uri": "mongodb://h", "poolSize": "0"], "poolSize"),
        (["uri": "mongodb://h", "poolSize": "many"], "poolSize"),
        (["uri": "mongodb://h", "serverSelectionTimeoutMs": "-1"], "serverSelectionTimeoutMs"),
    ])
    func badValuesNameTheKey(values: [String: String], key: String) {
        #expect(throws: MongoConfigurationError.self) { try MongoConfiguration(values: values) }
        do throws(MongoConfigurationError) {
            _ = try MongoConfiguration(values: values)
        } catch {
            #expect(error.key == key)
            #expect(error.description.contains(key))
        }
    }

    /// No server listens on port 1: the store must fail as unavailable, quickly, not hang.
    @Test func unreachableServerIsUnavailable() async throws {
        let configuration = try MongoConfiguration(
            uri: "mongodb://127.0.0.1:1", database: "pawn-unreachable", poolSize: 2,
            serverSelectionTimeoutMilliseconds: 300)
        do throws(ItemStoreError) {
            let store = try await MongoItemStore.start(configuration)
            store.close()
            Issue.record("started against nothing")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("createIndexes"))
        }
    }

    @Test func badURIIsAnErrorNotACrash() {
        #expect(throws: ItemStoreError.self) {
            try MongoClientPool(try MongoConfiguration(uri: "mongodb://host:notaport"))
        }
    }
}
