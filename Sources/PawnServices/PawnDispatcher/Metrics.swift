import PawnHTTP1
import PawnIO

/// Request counts by route, method and status, and a latency histogram by route, exposed
/// in the Prometheus text format.
public final class Metrics: Sendable {
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
    }

    private struct State: ~Copyable {
        var requests: [Key: Int] = [:]
        var latency: [String: Histogram] = [:]
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
            var histogram = state.latency[route] ?? Histogram()
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound {
                histogram.buckets[index] += 1
            }
            histogram.sum += seconds
            histogram.count += 1
            state.latency[route] = histogram
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
                for (index, bound) in Self.bounds.enumerated() {
                    text +=
                        "pawnshop_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(histogram.buckets[index])\n"
                }
                text +=
                    "pawnshop_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(histogram.count)\n"
                text += "pawnshop_http_request_duration_seconds_sum{route=\"\(route)\"} \(histogram.sum)\n"
                text +=
                    "pawnshop_http_request_duration_seconds_count{route=\"\(route)\"} \(histogram.count)\n"
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
