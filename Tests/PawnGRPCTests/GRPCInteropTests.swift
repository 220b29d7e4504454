import Foundation
import PawnDomain
import PawnGRPC
import PawnIO
import PawnPorts
import PawnProtocol
import PawnTestSupport
import PawnWire
import PawnWorker
import Testing

@Suite(
    "gRPC interop with Python grpcio", .serialized,
    .enabled(
        if: grpcPeersAvailable, "python3 with grpcio and grpcio-tools is not installed: run scripts/test.sh"))
struct GRPCInteropTests {
    @Test("a stock gRPC client calls every rpc of our worker")
    func pythonClientCallsOurServer() async throws {
        let (worker, _) = try await seededWorker()
        let group = try EventLoopGroup(loopCount: 1)
        let server = GRPCServer(
            configuration: .init(port: 0), group: group,
            services: [
                WorkerGRPCService(worker: worker), GRPCHealthService(services: ["pawnshop.v1.Worker"]),
                TestService(),
            ])
        let port = try server.start()
        let stubs = try Python.generateStubs()
        let output = try await offPool {
            try Python.runInteropScript("grpc_client.py", [String(port), stubs.path])
        }
        let lines = Python.jsonLines(output)
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()

        var byCall: [String: [String: Any]] = [:]
        for line in lines { byCall[line["call"] as! String] = line }
        func code(_ call: String) -> String? { byCall[call]?["code"] as? String }
        let fetched = try #require(byCall["FetchItemById"]?["value"] as? [String: Any], "\(lines)")
        let item = try #require(fetched["item"] as? [String: Any])
        #expect(
            item["id"] as? String == "ring-1" && item["category"] as? String == "Jewelry"
                && item["status"] as? String == "ITEM_STATUS_PAWNED")
        #expect(
            item["price"] as? Int == 45_000 && item["version"] as? Int == 3
                && item["state"] as? String == "Good")
        #expect(
            fetched["sells"] as? Int == 1 && fetched["pawns"] as? [Int] == [30]
                && fetched["rejected"] as? [String] == ["notPawner"])
        #expect(code("FetchItemById missing") == "NOT_FOUND")
        #expect(code("FetchItemById invalid") == "INVALID_ARGUMENT")
        let page = try #require(byCall["FetchItemsByCategory"]?["value"] as? [String: Any])
        #expect(page["ids"] as? [String] == ["ring-1", "watch-1"] && page["next"] as? String == "watch-1")
        #expect(byCall["FetchItemsByName"]?["value"] as? [String] == ["ring-1"])
        #expect(byCall["FetchItemsByState"]?["value"] as? Int == 3)
        #expect(byCall["FetchItemsByStatus"]?["value"] as? [String] == ["book-1"])
        #expect(code("FetchItemsByCategory unknown enum") == "INVALID_ARGUMENT")
        #expect(
            (byCall["GetEvent"]?["value"] as? [String: String]) == [
                "status": "EVENT_STATUS_REJECTED", "code": "notPawner",
            ])
        #expect(byCall["Health"]?["value"] as? String == "SERVING")
        #expect(byCall["Health worker"]?["value"] as? String == "SERVING")
        #expect(code("Health unknown") == "NOT_FOUND")
        #expect(code("unknown method") == "UNIMPLEMENTED")
        #expect(code("unknown service") == "UNIMPLEMENTED")
        #expect(code("malformed message") == "INVALID_ARGUMENT")
        #expect(
            (byCall["malformed message"]?["details"] as? String)?.contains("pawnshop.v1.FetchByIdRequest.id")
                == true)
        #expect(code("deadline") == "DEADLINE_EXCEEDED")
        #expect(code("3 MiB request") == "OK")
        #expect(code("5 MiB request") == "RESOURCE_EXHAUSTED")
        #expect(byCall["metadata"]?["value"] as? String == "hi from python bin AAEC")
        #expect(byCall["after all that, still serving"]?["value"] as? String == "ring-1")
    }
}
