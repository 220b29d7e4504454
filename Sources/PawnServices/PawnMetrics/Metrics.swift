import PawnIO

/// Counters and histograms a service records as it works, exposed in the Prometheus text
/// format (version 0.0.4): HTTP requests by route, method and status with a latency
/// histogram by route, and labelled ``Family`` series — the event log's publishes, gRPC calls
/// both ways, a worker's events, batches and store writes. A histogram's `_count` by its
/// `outcome` or `code` label is the calls' rate and errors.
///
/// Label values must come from bounded sets (topics, methods of our services, status and
/// rejection codes, worker ids): a series is kept for every distinct label set.
public final class Metrics: Sendable {
    /// A labelled family of series: a counter, or a histogram with its bucket bounds.
    public struct Family: Hashable, Sendable {
        /// What its series count.
        public enum Kind: Hashable, Sendable {
            /// A running total.
            case counter
            /// Observations in buckets whose upper bounds these are, ascending.
            case histogram([Double])
        }
        /// Its name (`pawnshop_event_publish_duration_seconds`).
        public let name: String
        /// Its help text.
        public let help: String
        /// A counter or a histogram.
        public let kind: Kind

        /// A family called `name`, described by `help`; a histogram of seconds unless told.
        public init(name: String, help: String, kind: Kind = .histogram(Metrics.seconds)) {
            self.name = name
            self.help = help
            self.kind = kind
        }

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
        /// gRPC calls a service answers, by method and status code: workers' Join, Heartbeat and
        /// Leave on a dispatcher, a dispatcher's reads on a worker.
        public static let grpcServer = Family(
            name: "pawnshop_grpc_server_duration_seconds",
            help:
                "gRPC calls served, by method and status code (a dispatcher serves Join, Heartbeat, Leave; a worker the reads)."
        )
        /// Events a worker took from the event log, by worker and outcome (`applied`,
        /// `rejected`, `replay`: already recorded, a redelivery).
        public static let workerEvents = Family(
            name: "pawnshop_worker_events_total",
            help: "Events a worker processed, by worker and outcome (applied, rejected, replay).",
            kind: .counter)
        /// Events a worker rejected, by worker and rejection code (SPEC's codes).
        public static let workerRejections = Family(
            name: "pawnshop_worker_rejections_total",
            help: "Events a worker rejected, by worker and rejection code.", kind: .counter)
        /// Batches a worker failed to store (nothing committed; it rejoins and takes them again).
        public static let workerBatchesFailed = Family(
            name: "pawnshop_worker_batches_failed_total",
            help: "Batches a worker failed to store, by worker (their records come back after a rejoin).",
            kind: .counter)
        /// Events per batch a worker applies.
        public static let workerBatchSize = Family(
            name: "pawnshop_worker_batch_size",
            help: "Events in each batch a worker took from the event log and stored, by worker.",
            kind: .histogram([1, 2, 5, 10, 25, 50, 100, 250, 500]))
        /// The store round trips of one batch (reads of recorded events and items, the writes).
        public static let workerStoreWrite = Family(
            name: "pawnshop_worker_store_write_duration_seconds",
            help:
                "Time to store one batch (its reads of recorded events and items, then its writes), by worker and store (mongodb, memory)."
        )
    }

    /// Bucket bounds for durations, in seconds: 0.5 ms to 5 s.
    public static let seconds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    private struct Series: Hashable {
        let family: Family
        let labels: String
    }

    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Histogram {
        let bounds: [Double]
        var buckets: [Int]
        var sum = 0.0
        var count = 0

        init(_ bounds: [Double]) {
            self.bounds = bounds
            buckets = [Int](repeating: 0, count: bounds.count)
        }

        mutating func record(_ value: Double) {
            for (index, bound) in bounds.enumerated() where value <= bound {
                buckets[index] += 1
            }
            sum += value
            count += 1
        }

        /// The `_bucket`, `_sum` and `_count` lines of `name` with `labels` (`route="/x"`).
        func lines(_ name: String, _ labels: String) -> String {
            let prefix = labels.isEmpty ? "" : labels + ","
            var text = ""
            for (index, bound) in bounds.enumerated() {
                text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(buckets[index])\n"
            }
            text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)\n"
            let braces = labels.isEmpty ? "" : "{\(labels)}"
            text += "\(name)_sum\(braces) \(sum)\n"
            text += "\(name)_count\(braces) \(count)\n"
            return text
        }
    }

    private struct State: ~Copyable {
        var requests: [Key: Int] = [:]
        var latency: [String: Histogram] = [:]
        var histograms: [Series: Histogram] = [:]
        var counters: [Series: Double] = [:]
    }

    private let state = Locked(State())

    public init() {}

    /// The methods that get a series of their own; any other token a client sends counts as
    /// `other`, so that a peer cannot grow `/metrics` (routes are bounded too: a request that
    /// matches none counts as `unmatched`).
    public static let namedMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ]

    /// Records one HTTP request: its route template (`nil` when none matched), its method
    /// token, its status and how long it took.
    public func observe(route: String?, method: String, status: Int, seconds: Double) {
        let route = route ?? "unmatched"
        let method = Self.namedMethods.contains(method) ? method : "other"
        state.withLock { state in
            state.requests[Key(route: route, method: method, status: status), default: 0] += 1
            state.latency[route, default: Histogram(Self.seconds)].record(seconds)
        }
    }

    /// Records one observation (`seconds`, or any value the family's buckets measure) in the
    /// histogram `family` with `labels` (names and values; the values from a bounded set).
    public func observe(_ family: Family, _ labels: KeyValuePairs<String, String>, seconds: Double) {
        guard case .histogram(let bounds) = family.kind else { return }
        let series = Series(family: family, labels: Self.text(labels))
        state.withLock { state in
            state.histograms[series, default: Histogram(bounds)].record(seconds)
        }
    }

    /// Adds `amount` to the counter `family` with `labels`; a counter with `amount` zero
    /// appears in the exposition at 0.
    public func add(_ family: Family, _ labels: KeyValuePairs<String, String>, _ amount: Int = 1) {
        guard case .counter = family.kind, amount >= 0 else { return }
        let series = Series(family: family, labels: Self.text(labels))
        state.withLock { state in state.counters[series, default: 0] += Double(amount) }
    }

    /// `name="value",…`: built by appending, once per observation (interpolation and a
    /// joined array were most of an observation's cost on the read path).
    private static func text(_ labels: KeyValuePairs<String, String>) -> String {
        var text = ""
        text.reserveCapacity(64)
        for (index, label) in labels.enumerated() {
            if index > 0 { text += "," }
            text += label.key
            text += "=\""
            text += escape(label.value)
            text += "\""
        }
        return text
    }

    /// A label value as the text format needs it: backslash, quote and newline escaped.
    public static func escape(_ value: String) -> String {
        // Almost every value has nothing to escape: returned as it is, without a walk over
        // its characters.
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        // By scalar, not Character: "\r\n" is one Character, and its line feed must be escaped.
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": escaped.append(contentsOf: "\\\"".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// The exposition text, with `gauges` (name, help, value) and labelled gauge `series`
    /// (name, help, samples of label text and value) appended; one whose name ends in `_total`
    /// is typed a counter (a running total since start). The HTTP families appear once a
    /// request was recorded.
    public func render(
        gauges: [(String, String, Double)] = [],
        series: [(String, String, [(labels: String, value: Double)])] = []
    ) -> String {
        state.withLock { state in
            var text = ""
            if !state.requests.isEmpty {
                text += "# HELP pawnshop_http_requests_total HTTP requests by route, method and status.\n"
                text += "# TYPE pawnshop_http_requests_total counter\n"
                for (key, count) in state.requests.sorted(by: {
                    ($0.key.route, $0.key.method, $0.key.status) < (
                        $1.key.route, $1.key.method, $1.key.status
                    )
                }) {
                    text +=
                        "pawnshop_http_requests_total{route=\"\(key.route)\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
                }
                text += "# HELP pawnshop_http_request_duration_seconds Time to answer a request, by route.\n"
                text += "# TYPE pawnshop_http_request_duration_seconds histogram\n"
                for (route, histogram) in state.latency.sorted(by: { $0.key < $1.key }) {
                    text += histogram.lines("pawnshop_http_request_duration_seconds", "route=\"\(route)\"")
                }
            }
            let histograms = Dictionary(grouping: state.histograms.keys, by: \.family)
            for family in histograms.keys.sorted(by: { $0.name < $1.name }) {
                text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) histogram\n"
                for series in histograms[family]!.sorted(by: { $0.labels < $1.labels }) {
                    text += state.histograms[series]!.lines(family.name, series.labels)
                }
            }
            let counters = Dictionary(grouping: state.counters.keys, by: \.family)
            for family in counters.keys.sorted(by: { $0.name < $1.name }) {
                text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) counter\n"
                for series in counters[family]!.sorted(by: { $0.labels < $1.labels }) {
                    let braces = series.labels.isEmpty ? "" : "{\(series.labels)}"
                    text += "\(family.name)\(braces) \(state.counters[series]!)\n"
                }
            }
            func type(_ name: String) -> String { name.hasSuffix("_total") ? "counter" : "gauge" }
            for (name, help, value) in gauges {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(type(name))\n\(name) \(value)\n"
            }
            for (name, help, samples) in series {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(type(name))\n"
                for sample in samples { text += "\(name){\(sample.labels)} \(sample.value)\n" }
            }
            return text
        }
    }
}
