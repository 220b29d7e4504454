import Foundation

/// Python peers (grpcio, h2) run as separate processes.
public enum Python {
    /// `python3`'s path when it can import every module in `modules`.
    public static func available(_ modules: [String]) -> Bool {
        guard let python = Command.find("python3") else { return false }
        let check = try? Command.run(python, ["-c", "import " + modules.joined(separator: ", ")])
        return check?.status == 0
    }

    /// Generates Python gRPC stubs for the product's protos into a new temporary folder.
    public static func generateStubs() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pawn-stubs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let python = Command.find("python3")!
        for (include, file) in [
            ("Protos", "Protos/pawnshop.proto"),
            ("Protos/grpc/health/v1", "Protos/grpc/health/v1/health.proto"),
        ] {
            let result = try Command.run(
                python,
                [
                    "-m", "grpc_tools.protoc", "-I\(include)", "--python_out=\(directory.path)",
                    "--grpc_python_out=\(directory.path)", file,
                ],
                directory: Protoc.repositoryRoot)
            guard result.status == 0 else { throw Command.Failure(result) }
        }
        return directory
    }

    /// Runs a script of Tests/Interop with arguments; returns what it printed.
    public static func runInteropScript(_ name: String, _ arguments: [String]) throws -> String {
        let script = Protoc.repositoryRoot.appendingPathComponent("Tests/Interop/\(name)").path
        let result = try Command.run(Command.find("python3")!, [script] + arguments)
        guard result.status == 0 else { throw Command.Failure(result) }
        return result.text
    }

    /// The JSON objects of a script's output, one a line.
    public static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

extension Command {
    /// A program that exited with a failure.
    public struct Failure: Error, CustomStringConvertible {
        public let result: Command.Result
        public init(_ result: Command.Result) { self.result = result }
        public var description: String { "exit \(result.status): \(result.stderr)\(result.text)" }
    }
}
