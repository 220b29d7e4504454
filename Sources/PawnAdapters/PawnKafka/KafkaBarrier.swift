/// The ordering barrier a record carries: the high watermark, when its publish began, of
/// its partition number on every ordered topic. Its header text is `topic=offset` pairs
/// joined by commas (topic names cannot hold either character).
public struct KafkaBarrier: Sendable, Hashable {
    /// The high watermark per topic.
    public var marks: [String: Int64]

    /// A barrier of `marks`.
    public init(marks: [String: Int64]) { self.marks = marks }

    /// The header's text, topics in name order.
    public var headerValue: String {
        marks.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The barrier in `text`; `nil` when it is not well formed (such a record waits for nothing).
    public init?(headerValue text: String) {
        var marks: [String: Int64] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let offset = Int64(parts[1]), offset >= 0 else { return nil }
            marks[String(parts[0])] = offset
        }
        self.marks = marks
    }
}
