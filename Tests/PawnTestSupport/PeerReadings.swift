import Foundation

/// What independent peers read from our services' output: a Prometheus exposition through
/// PyPI prometheus-client, an OTLP receiver's printed export requests.
public enum PeerReadings {
    /// A peer's refusal: its exit status and what it printed on standard error.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// The families of `text` as prometheus-client's parser reads them
    /// (Tests/Interop/prometheus_parse.py): `[{"name", "type", "samples": [{"name", "labels",
    /// "value"}]}]`. The parser runs off the cooperative pool; a parse error throws.
    public static func prometheusFamilies(_ text: String) async throws -> [[String: Any]] {
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/prometheus_parse.py").path
        let python = Command.find("python3")!
        let result = try await offPool { try Command.run(python, [script], input: Array(text.utf8)) }
        guard result.status == 0 else {
            throw Refused(description: "prometheus_parse.py exited \(result.status): \(result.stderr)")
        }
        guard
            let families = try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [[String: Any]]
        else { throw Refused(description: "prometheus_parse.py printed no list: \(result.text)") }
        return families
    }

    /// Every span in the lines Tests/Interop/otlp_receiver.py printed (one JSON export
    /// request per line), flattened out of their resource and scope lists.
    public static func otlpSpans(_ lines: [String]) -> [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .flatMap { ($0["resourceSpans"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["scopeSpans"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["spans"] as? [[String: Any]]) ?? [] }
    }
}
