import Foundation
import PawnGRPC
import PawnIO
import PawnTestSupport
import PawnWorker
import Testing

let h2PeerAvailable = Python.available(["h2", "hpack", "hyperframe"])

@Suite(
    "HTTP/2 hostile peers (Python h2 frames)", .serialized,
    .enabled(if: h2PeerAvailable, "python3 with h2 is not installed: run scripts/test.sh"))
struct HTTP2HostilePeerTests {
    @Test("each unusual or hostile peer is answered as RFC 9113 says, and the server keeps serving")
    func hostilePeers() async throws {
        let (worker, _) = try await seededWorker()
        let group = try EventLoopGroup(loopCount: 2)
        let server = GRPCServer(
            configuration: .init(port: 0, prefaceTimeout: .seconds(2), requestTimeout: .seconds(2)),
            group: group,
            services: [WorkerGRPCService(worker: worker), TestService()])
        let port = try server.start()
        let output = try await offPool { try Python.runInteropScript("h2_hostile.py", [String(port)]) }
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
        let results = Python.jsonLines(output)
        #expect(results.count == 11, "\(output)")
        for result in results {
            let name = result["scenario"] as? String ?? "?"
            #expect(result["ok"] as? Bool == true, "\(name): \(result["detail"] ?? "")")
            #expect(result["serving"] as? Bool == true, "\(name): the server stopped serving")
        }
    }
}
