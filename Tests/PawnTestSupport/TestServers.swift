import Foundation

/// The real servers `scripts/servers.sh start` runs for the integration tests, found
/// through the environment it prints (`scripts/servers.sh env`). `nil` when the variable
/// is unset: the test then skips and says why.
public enum TestServers {
    /// `host:port` of the Kafka-compatible broker (`PAWN_TEST_KAFKA`).
    public static var kafka: String? { value("PAWN_TEST_KAFKA") }
    /// The MongoDB URI (`PAWN_TEST_MONGO`).
    public static var mongo: String? { value("PAWN_TEST_MONGO") }
    /// `host:port` of Redis (`PAWN_TEST_REDIS`).
    public static var redis: String? { value("PAWN_TEST_REDIS") }

    /// Prints why a test skips when `name`'s server is not configured.
    public static func skipReason(_ name: String, _ variable: String) -> String {
        let reason =
            "skipped: \(variable) is not set (scripts/servers.sh start, then export $(scripts/servers.sh env)) — no \(name) to test against"
        print(reason)
        return reason
    }

    private static func value(_ name: String) -> String? {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
        return text
    }
}
