import PawnDispatcher
import PawnHTTP1
import PawnMetrics
import Testing

/// A peer must not be able to grow `/metrics` (#14 item 2).
@Suite("Metrics labels are bounded")
struct MetricsLabelsTests {
    @Test("2,000 requests with random method tokens add one series, method=\"other\", not 2,000")
    func unknownMethodsCollapse() {
        let metrics = Metrics()
        metrics.observe(route: nil, method: "GET", status: 404, seconds: 0.001)
        let before = metrics.render().split(separator: "\n").count
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let token = String(
                (0..<8).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ".randomElement(using: &random)! })
            metrics.observe(route: nil, method: token, status: 405, seconds: 0.001)
        }
        let text = metrics.render()
        #expect(text.split(separator: "\n").count <= before + 1, "\(text.split(separator: "\n").count) lines")
        #expect(text.contains(#"method="other",status="405"} 2000"#), "\(text)")
        for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"] {
            metrics.observe(
                route: "/item/add", method: method, status: 405, seconds: 0.001)
            #expect(metrics.render().contains(#"method="\#(method)""#), "\(method) lost its own series")
        }
    }

    @Test(
        "label values: plain ones as they are, backslash, quote and newline escaped, several labels in order")
    func labelText() {
        let metrics = Metrics()
        metrics.add(.workerEvents, ["worker": "w-1", "outcome": "applied"], 3)
        metrics.add(.workerEvents, ["worker": "a\\b\"c\nd", "outcome": "rejected"])
        let text = metrics.render()
        #expect(text.contains(#"pawnshop_worker_events_total{worker="w-1",outcome="applied"} 3"#), "\(text)")
        #expect(text.contains(#"{worker="a\\b\"c\nd",outcome="rejected"} 1"#), "\(text)")
        #expect(Metrics.escape("plain ✓") == "plain ✓")
        // "\r\n" is one Character: its line feed is escaped all the same (it ended the line).
        #expect(Metrics.escape("a\r\nb") == "a\r\\nb")
    }
}
