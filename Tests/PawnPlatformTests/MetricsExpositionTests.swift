import Foundation
import PawnTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/metrics` after traffic, read by Prometheus's own parser (PyPI prometheus-client).
@Suite(
    "The metrics exposition, parsed by prometheus_client",
    .enabled(if: Python.available(["prometheus_client.parser"]), "python3 cannot import prometheus_client"))
struct MetricsExpositionTests {
    @Test(
        "no parse error; HTTP by route template, publishes by topic and outcome, gRPC both ways by method and code"
    )
    func parsed() async throws {
        try await withPlatform { client, _ in
            try await client.write("/item/add", addBody("metrics-1"))
            #expect(try await client.get("/item/fetch/metrics-1").status == 200)
            #expect(try await client.get("/item/fetch/absent").status == 404)
            #expect(try await client.post("/item/action/buy", #"{"itemId": 1}"#).status == 400)
            let text = try await client.get("/metrics").text
            let families = try await PeerReadings.prometheusFamilies(text)
            let byName = Dictionary(families.map { ($0["name"] as? String ?? "", $0) }) { a, _ in a }
            func samples(_ family: String) -> [[String: Any]] {
                (byName[family]?["samples"] as? [[String: Any]]) ?? []
            }
            func labels(_ sample: [String: Any]) -> [String: String] {
                sample["labels"] as? [String: String] ?? [:]
            }

            #expect(
                byName["pawnshop_http_requests"]?["type"] as? String == "counter", "\(byName.keys.sorted())")
            #expect(samples("pawnshop_http_requests").contains { labels($0)["route"] == "/item/fetch/{id}" })
            for family in [
                "pawnshop_http_request_duration_seconds", "pawnshop_event_publish_duration_seconds",
                "pawnshop_grpc_client_duration_seconds", "pawnshop_grpc_server_duration_seconds",
            ] {
                #expect(
                    byName[family]?["type"] as? String == "histogram", "\(family): \(byName.keys.sorted())")
            }
            let publishes = samples("pawnshop_event_publish_duration_seconds").filter {
                $0["name"] as? String == "pawnshop_event_publish_duration_seconds_count"
            }
            #expect(
                publishes.contains {
                    labels($0) == ["topic": "items", "outcome": "accepted"] && $0["value"] as? Double == 1
                })
            let calls = samples("pawnshop_grpc_client_duration_seconds").filter {
                $0["name"] as? String == "pawnshop_grpc_client_duration_seconds_count"
            }.map(labels)
            #expect(calls.contains(["method": "FetchItemById", "code": "OK"]), "\(calls)")
            #expect(calls.contains(["method": "FetchItemById", "code": "NOT_FOUND"]), "\(calls)")
            let served = samples("pawnshop_grpc_server_duration_seconds").map(labels)
            #expect(served.contains { $0["method"] == "Join" && $0["code"] == "OK" }, "\(served)")
            #expect(byName["pawnshop_workers"]?["type"] as? String == "gauge")
            // Totals since start are counters (the parser names their families without `_total`).
            for counter in ["pawnshop_log_lines_dropped", "pawnshop_spans_dropped"] {
                #expect(byName[counter]?["type"] as? String == "counter", "\(counter)")
            }
        }
    }
}
