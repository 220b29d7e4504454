import Foundation
import PawnTestSupport
import Testing

/// The `pawnshop` executable's command line, run as a process.
@Suite("Command line")
struct CommandLineTests {
    func pawnshop(_ arguments: [String]) async throws -> Command.Result {
        try await offPool { try Command.run(ChildProcess.pawnshopPath, arguments) }
    }

    @Test("pawnshop help worker lists the worker's options, flags in full, each default once")
    func helpWorker() async throws {
        let result = try await pawnshop(["help", "worker"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.text
        #expect(text.hasPrefix("usage: pawnshop worker [OPTIONS]"))
        for flag in [
            "--dispatcher VALUE", "--token VALUE", "--kafka-session-timeout-ms N", "--mongo-database VALUE",
        ] {
            #expect(text.contains("  \(flag) "), "\(flag) missing or cut: \(text)")
        }
        #expect(!text.contains("--grpc-port"), "the dispatcher's options are not the worker's")
        for line in text.split(separator: "\n") where line.hasPrefix("  --") {
            let defaults = line.components(separatedBy: "default").count - 1
            #expect(defaults <= 1, "a default printed twice: \(line)")
        }
        #expect(text.contains("--token VALUE") && text.contains("(required, or --token-file)"))
        #expect(text.contains("--token-file VALUE"))
        #expect(text.contains("64 usage error"))
        #expect(try await pawnshop(["worker", "--help"]).text == text)
    }

    @Test("pawnshop all-in-one --help, and the overview lists every command including all-in-one")
    func allInOne() async throws {
        let help = try await pawnshop(["all-in-one", "--help"])
        #expect(help.status == 0)
        #expect(help.text.hasPrefix("usage: pawnshop all-in-one [OPTIONS]"))
        #expect(help.text.contains("  --workers N "))
        let overview = try await pawnshop(["help"])
        #expect(overview.status == 0)
        for command in ["all-in-one", "dispatcher", "worker", "feeder"] {
            #expect(overview.text.contains("  \(command)  "), "\(command) missing: \(overview.text)")
        }
    }

    @Test("pawnshop all-in-one runs the platform, like pawnshop alone")
    func allInOneRuns() async throws {
        let process = try ChildProcess.pawnshop([
            "all-in-one", "--port", "0", "--workers", "1", "--loops", "1",
        ])
        let line = try await process.waitForLine(containing: "PawnShop is serving on", timeout: .seconds(30))
        #expect(line.contains("1 workers"))
        process.signal(SIGTERM)
        let status = await process.wait()
        #expect(
            status == 0,
            "a clean shutdown exits 0, not \(status.map(String.init) ?? "still running after 20 s"): \(process.output.suffix(10))"
        )
    }

    @Test(
        "an unknown command, an unknown flag, a bad value or a missing required setting: one line and exit 64"
    )
    func usageErrors() async throws {
        let cases: [([String], String)] = [
            (["frob"], "invalid frob (from command line): unknown command"),
            (["help", "frob"], "invalid frob (from command line): unknown command"),
            (["--colour", "blue"], "invalid --colour (from command line): unknown flag"),
            (
                ["worker", "--token", "t", "--port", "x"],
                "invalid port (from flag --port): \"x\" is not an integer"
            ),
            (
                ["worker", "--token", "t", "--port", "70000"],
                "invalid port (from flag --port): 70000 is not in 0…65535"
            ),
            (
                ["worker", "--token", "t", "--dispatcher", "nowhere"],
                "invalid dispatcher (from flag --dispatcher)"
            ),
            (
                ["worker", "--token", "t", "--dispatcher", "a:50051,b"],
                "invalid dispatcher (from flag --dispatcher): \"b\" is not host:port"
            ),
            (
                ["worker", "--token", "t", "--host", "0.0.0.0"],
                "invalid advertise (from flag --advertise"
            ),
            (
                ["worker", "--token", "t", "--host", "0.0.0.0", "--advertise", "0.0.0.0:50061"],
                "invalid advertise (from flag --advertise): \"0.0.0.0:50061\" is not a host:port dispatchers can reach"
            ),
            (
                ["worker", "--token", "t", "--kafka-options", "batch.num.messages"],
                "invalid kafkaOptions (from flag --kafka-options): \"batch.num.messages\" is not key=value"
            ),
            (
                ["dispatcher"],
                "invalid token (from flag --token, environment PAWNSHOP_JOIN_TOKEN or the config file): is required"
            ),
            (["worker", "--token"], "invalid token (from flag --token): needs a value"),
            (
                ["dispatcher", "--token-file", "/nonexistent/token"],
                "invalid tokenFile (from flag --token-file): cannot read /nonexistent/token"
            ),
            (
                ["worker", "--token", "t", "--token-file", "/dev/null"],
                "invalid tokenFile (from flag --token-file): give the token or a token file, not both"
            ),
            (
                ["worker", "--token-file", "/dev/null"],
                "invalid tokenFile (from flag --token-file): /dev/null holds no token"
            ),
            (["parked"], "invalid parked (from command line): needs list or redrive"),
            (["parked", "--count", "5"], "invalid parked (from command line): needs list or redrive"),
            (
                ["parked", "purge"],
                "invalid purge (from command line): unknown; parked takes list or redrive"
            ),
            (["parked", "list", "--count", "0"], "invalid count (from flag --count)"),
        ]
        for (arguments, expected) in cases {
            let result = try await pawnshop(arguments)
            #expect(result.status == 64, "\(arguments) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }

    @Test("a server unreachable at start: exit 1, naming it")
    func unreachableServer() async throws {
        let result = try await pawnshop([
            "worker", "--token", "t", "--port", "0", "--mongo", "mongodb://127.0.0.1:1",
        ])
        #expect(result.status == 1, "exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("cannot reach MongoDB at mongodb://127.0.0.1:1 (from flag --mongo)"))
    }

    @Test("--token-file: the token read from a file (its first line) is the one workers must present")
    func tokenFromAFile() async throws {
        let token = "file-token-\(UInt32.random(in: 0 ... .max))"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(token).txt").path
        try Data("\(token)\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dispatcher = try ChildProcess.pawnshop([
            "dispatcher", "--port", "0", "--grpc-port", "0", "--token-file", path, "--loops", "1",
        ])
        let banner = try await dispatcher.waitForLine(containing: "workers join gRPC on")
        let grpc = try #require(number(after: "workers join gRPC on 127.0.0.1:", in: banner))
        func worker(_ id: String, _ secret: String) throws -> ChildProcess {
            try ChildProcess.pawnshop([
                "worker", "--id", id, "--port", "0", "--dispatcher", "127.0.0.1:\(grpc)", "--token", secret,
                "--loops", "1",
            ])
        }
        let right = try worker("w-right", token)
        _ = try await right.waitForLine(containing: "joined", timeout: .seconds(30))
        let wrong = try worker("w-wrong", token + "x")
        _ = try await wrong.waitForLine(containing: "refused", timeout: .seconds(30))
        for process in [wrong, right, dispatcher] {
            process.signal(SIGTERM)
            _ = await process.wait()
        }
    }
}
