import PawnHTTP1
import PawnIO

/// Request counts by route, method and status, a latency histogram by route, and labelled
/// latency histograms of the dispatcher's own calls (``Family``: the event log's publishes,
/// gRPC calls to workers and from them), exposed in the Prometheus text format. A histogram's
/// `_count` by its `outcome` or `code` label is the calls' rate and errors.
public final class Metrics: Sendable {
    /// A labelled histogram family.
    public struct Family: Hashable, Sendable {
        /// Its name (`pawnshop_event_publish_duration_seconds`).
        public let name: String
        /// Its help text.
        public let help: String

        /// Write events handed to the event log (Kafka, or the parking lot), by topic and outcome
        /// (`accepted`, `parked`, `failed`).
        public static let publish = Family(
            name: "pawnshop_event_publish_duration_seconds",
            help:
                "Time to hand a write event to the event log, by topic and outcome (accepted, parked, failed)."
        )
        /// gRPC calls the dispatcher makes to workers, by method and status code.
        public static let grpcClient = Family(
            name: "pawnshop_grpc_client_duration_seconds",
            help: "gRPC calls to workers, by method and status code (OK, NOT_FOUND, UNAVAILABLE, ...).")
        /// gRPC calls workers make to the dispatcher (Join, Heartbeat, Leave), by method and status code.
        public static let grpcServer = Family(
            name: "pawnshop_grpc_server_duration_seconds",
            help: "gRPC calls served to workers (Join, Heartbeat, Leave), by method and status code.")
    }

    private struct Series: Hashable {
        let family: Family
        let labels: String
    }
    /// Histogram bucket bounds, in seconds.
    static let bounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Histogram {
        var buckets = [Int](repeating: 0, count: Metrics.bounds.count)
        var sum = 0.0
        var count = 0

        mutating func record(_ seconds: Double) {
            for (index, bound) in Metrics.bounds.enumerated() where seconds <= bound {
                buckets[index] += 1
            }
            sum += seconds
            count += 1
        }

        /// The `_bucket`, `_sum` and `_count` lines of `name` with `labels` (`route="/x"`).
        func lines(_ name: String, _ labels: String) -> String {
            var text = ""
            for (index, bound) in Metrics.bounds.enumerated() {
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(buckets[index])\n"
            }
            text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(count)\n"
            text += "\(name)_sum{\(labels)} \(sum)\n"
            text += "\(name)_count{\(labels)} \(count)\n"
            return text
        }
    }

    private struct State: ~Copyable {
        var requests: [Key: Int] = [:]
        var latency: [String: Histogram] = [:]
        var calls: [Series: Histogram] = [:]
    }

    private let state = Locked(State())

    public init() {}

    /// The methods that get a series of their own; any other token a client sends counts as
    /// `other`, so that a peer cannot grow `/metrics` (routes are bounded too: a request that
    /// matches none counts as `unmatched`).
    public static let namedMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ]

    /// Records one request.
    public func observe(route: String?, method: HTTPMethod, status: Int, seconds: Double) {
        let route = route ?? "unmatched"
        let method = Self.namedMethods.contains(method.rawValue) ? method.rawValue : "other"
        state.withLock { state in
            state.requests[Key(route: route, method: method, status: status), default: 0] += 1
            state.latency[route, default: Histogram()].record(seconds)
        }
    }

    /// Records one call of `family` with `labels` (names and values; the values come from
    /// a bounded set: topics, methods of our services, status codes, outcomes).
    public func observe(_ family: Family, _ labels: KeyValuePairs<String, String>, seconds: Double) {
        let text = labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
        state.withLock { state in
            state.calls[Series(family: family, labels: text), default: Histogram()].record(seconds)
        }
    }

    /// A label value as the text format needs it: backslash, quote and newline escaped.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The exposition text, with `gauges` (name, help, value) and labelled gauge `series`
    /// (name, help, samples of label text and value) appended.
    public func render(
        gauges: [(String, String, Double)] = [],
        series: [(String, String, [(labels: String, value: Double)])] = []
    ) -> String {
        state.withLock { state in
            var text = "# HELP pawnshop_http_requests_total HTTP requests by route, method and status.\n"
            text += "# TYPE pawnshop_http_requests_total counter\n"
            for (key, count) in state.requests.sorted(by: {
                ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
            }) {
                text +=
                    "pawnshop_http_requests_total{route=\"\(key.route)\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
            }
            text += "# HELP pawnshop_http_request_duration_seconds Time to answer a request, by route.\n"
            text += "# TYPE pawnshop_http_request_duration_seconds histogram\n"
            for (route, histogram) in state.latency.sorted(by: { $0.key < $1.key }) {
                text += histogram.lines("pawnshop_http_request_duration_seconds", "route=\"\(route)\"")
            }
            let families = Dictionary(grouping: state.calls.keys, by: \.family)
            for family in families.keys.sorted(by: { $0.name < $1.name }) {
                text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) histogram\n"
                for series in families[family]!.sorted(by: { $0.labels < $1.labels }) {
                    text += state.calls[series]!.lines(family.name, series.labels)
                }
            }
            for (name, help, value) in gauges {
                text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
            }
            for (name, help, samples) in series {
                text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
                for sample in samples { text += "\(name){\(sample.labels)} \(sample.value)\n" }
            }
            return text
        }
    }
}
