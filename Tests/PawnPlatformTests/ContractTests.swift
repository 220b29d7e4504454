import Foundation
import PawnPlatform
import PawnTestSupport
import Testing

let contractToolsAvailable =
    Python.available(["openapi_spec_validator", "yaml"]) && Command.find("schemathesis") != nil

@Suite(
    "OpenAPI contract", .serialized,
    .enabled(
        if: contractToolsAvailable,
        "schemathesis or openapi-spec-validator is not installed: run scripts/test.sh"))
struct ContractTests {
    /// Docs/openapi.yaml is a valid OpenAPI 3.1 document, and schemathesis finds no
    /// response that breaks it and no 5xx, over every operation of the running platform.
    @Test func theServerKeepsItsContract() async throws {
        let platform = try EmbeddedPlatform(port: 0, loops: 2)
        let port = try await platform.start()
        try await platform.seedDemo()
        let result = try await offPool {
            try Command.run(
                Command.find("python3")!,
                [
                    Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/contract.py").path,
                    "http://127.0.0.1:\(port)", "20",
                ])
        }
        await platform.stop(gracePeriod: .seconds(1))
        let summary = result.text.split(separator: "\n").last.map(String.init) ?? ""
        print("contract: \(summary)")
        #expect(result.status == 0, "\(result.text.suffix(4000))\(result.stderr.suffix(2000))")
        #expect(summary.contains(#""server_errors": 0"#))
    }
}
