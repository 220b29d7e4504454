// The command line: the commands, their help, and how the process ends.
import Foundation
import PawnLog
import PawnSettings

/// How `pawnshop` exits (documented in README and Docs/Operations.md).
enum ExitCode: Int32 {
    /// A clean shutdown (SIGINT or SIGTERM), or `--help`.
    case ok = 0
    /// Something failed at run time: a server unreachable at start, a port in use.
    case failure = 1
    /// The command line or configuration is wrong (sysexits' EX_USAGE): an unknown command
    /// or flag, a bad value, a missing required setting.
    case usage = 64
}

/// Prints `message` on standard error as one line and exits with `code`.
func fail(_ message: String, _ code: ExitCode = .failure) -> Never {
    Log.flush()
    FileHandle.standardError.write(Data("pawnshop: \(message)\n".utf8))
    exit(code.rawValue)
}

/// A usage error: the settings' own message, exit 64.
func usageError(_ error: SettingsError) -> Never { fail(error.description, .usage) }

/// The commands.
enum Command: String, CaseIterable {
    case allInOne = "all-in-one"
    case dispatcher
    case worker
    case feeder
    case parked

    /// A line for the command list.
    var summary: String {
        switch self {
        case .allInOne: "dispatcher and workers in one process, in memory unless given servers (the default)"
        case .dispatcher: "the HTTP API and the gRPC service workers join"
        case .worker: "a worker: consumes events, serves reads over gRPC, joins a dispatcher"
        case .feeder: "the fraud list from an S3 object into Redis, every interval"
        case .parked: "list|redrive: the parking lot's dead letters (records Kafka refused for good)"
        }
    }

    /// Its configuration keys.
    var keys: [SettingKey] {
        switch self {
        case .allInOne: Keys.allInOneKeys
        case .dispatcher: Keys.dispatcherKeys
        case .worker: Keys.workerKeys
        case .feeder: Keys.feederKeys
        case .parked: Keys.parkedKeys
        }
    }

    /// `pawnshop help COMMAND`.
    var help: String {
        let verbs = self == .parked ? " " + ParkedVerb.allCases.map(\.rawValue).joined(separator: "|") : ""
        return """
            usage: pawnshop \(rawValue)\(verbs) [OPTIONS]

            \(summary)

            options (flags > environment > --config FILE / PAWNSHOP_CONFIG > defaults):
            \(Settings.usage(keys + [Self.configKey]))

            exit codes: 0 clean shutdown, 1 runtime failure (a server unreachable at start), 64 usage error
            """
    }

    /// `--config`, listed with the others (it is read by the loader itself).
    private static let configKey = SettingKey(
        "config", flag: "--config", environment: "PAWNSHOP_CONFIG", kind: .string, defaultDescription: "none",
        help: "a JSON object with the keys above")

    /// `pawnshop help`.
    static var overview: String {
        let width = allCases.map(\.rawValue.count).max() ?? 0
        let lines = allCases.map {
            "  \($0.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.summary)"
        }
        return """
            usage: pawnshop [COMMAND] [OPTIONS]
                   pawnshop help [COMMAND]

            commands:
            \(lines.joined(separator: "\n"))

            Without a command, pawnshop runs all-in-one. `pawnshop help COMMAND` or
            `pawnshop COMMAND --help` lists a command's options.
            exit codes: 0 clean shutdown, 1 runtime failure, 64 usage error
            """
    }
}

/// What the command line asks for.
enum Invocation: Equatable {
    /// Run `command` with these flags.
    case run(Command, arguments: [String])
    /// `pawnshop parked VERB` with these flags.
    case parked(ParkedVerb, arguments: [String])
    /// Print help: the overview (`nil`) or one command's.
    case help(Command?)

    /// Reads the arguments after the program's name; throws a usage error.
    static func parse(_ arguments: [String]) throws(SettingsError) -> Invocation {
        var arguments = arguments
        var command = Command.allInOne
        var chosen = false
        if let first = arguments.first, !first.hasPrefix("-") {
            if first == "help" {
                guard arguments.count <= 2 else {
                    throw SettingsError(
                        key: arguments[2], source: "command line", message: "help takes one command")
                }
                guard let name = arguments.dropFirst().first else { return .help(nil) }
                guard let asked = Command(rawValue: name) else {
                    throw SettingsError(
                        key: name, source: "command line", message: "unknown command; see pawnshop help")
                }
                return .help(asked)
            }
            guard let named = Command(rawValue: first) else {
                throw SettingsError(
                    key: first, source: "command line", message: "unknown command; see pawnshop help")
            }
            command = named
            chosen = true
            arguments.removeFirst()
        }
        if arguments.contains("--help") || arguments.contains("-h") { return .help(chosen ? command : nil) }
        if command == .parked {
            let verbs = ParkedVerb.allCases.map(\.rawValue).joined(separator: " or ")
            guard let first = arguments.first, !first.hasPrefix("-") else {
                throw SettingsError(key: "parked", source: "command line", message: "needs \(verbs)")
            }
            guard let verb = ParkedVerb(rawValue: first) else {
                throw SettingsError(
                    key: first, source: "command line", message: "unknown; parked takes \(verbs)")
            }
            return .parked(verb, arguments: Array(arguments.dropFirst()))
        }
        return .run(command, arguments: arguments)
    }
}
