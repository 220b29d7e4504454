import Foundation
import PawnGRPC
import PawnIO
import PawnProtocol
import PawnTestSupport
import PawnWorker
import Testing

let h2loadAvailable = Command.find("h2load") != nil

@Suite(
    "h2load", .serialized,
    .enabled(if: h2loadAvailable, "h2load is not installed: run scripts/test.sh (nghttp2-client)"))
struct H2LoadTests {
    @Test("10,000 gRPC calls over 10 connections, zero errors")
    func tenThousandCalls() async throws {
        let (worker, _) = try await seededWorker()
        let group = try EventLoopGroup(loopCount: 2)
        let server = GRPCServer(
            configuration: .init(port: 0), group: group, services: [WorkerGRPCService(worker: worker)])
        let port = try server.start()
        let body = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pawn-h2load-\(UUID().uuidString).bin")
        try Data(GRPCFraming.frame(Wire.FetchByIdRequest(id: "ring-1"))).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        let arguments = [
            "-n", "10000", "-c", "10", "-m", "10", "-H", "content-type: application/grpc", "-H",
            "te: trailers", "-d", body.path,
            "http://127.0.0.1:\(port)/pawnshop.v1.Worker/FetchItemById",
        ]
        let result = try await offPool { try Command.run(Command.find("h2load")!, arguments) }
        await server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
        let summary =
            result.text.split(separator: "\n").first { $0.hasPrefix("requests:") }.map(String.init)
            ?? result.text
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary.contains("10000 succeeded, 0 failed, 0 errored, 0 timeout"), "\(summary)")
    }
}
