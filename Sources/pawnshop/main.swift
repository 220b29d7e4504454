// The `pawnshop` executable (see CLI.swift for the commands and exit codes).
//   pawnshop [all-in-one]    dispatcher + workers in one process, in memory, over gRPC on loopback
//   pawnshop dispatcher      the HTTP API and the gRPC service workers join
//   pawnshop worker          a worker: consumes events, serves reads over gRPC, joins a dispatcher
//   pawnshop feeder          the fraud list from S3 into Redis, every interval
//   pawnshop parked list|redrive   the parking lot's dead letters
//   pawnshop help [COMMAND]  the commands, or one command's options
import Foundation
import PawnIO
import PawnLog
import PawnSettings

// Line-buffered output, so that logs reach a pipe or a file as they happen.
ProcessSetup.lineBufferStandardOutput()

let invocation: Invocation
do { invocation = try Invocation.parse(Array(CommandLine.arguments.dropFirst())) } catch { usageError(error) }

switch invocation {
case .help(let command?):
    print(command.help)
case .help(nil):
    print(Command.overview + "\n\n" + Command.allInOne.help)
case .parked(let verb, let arguments):
    do {
        let settings = try Settings.load(
            Command.parked.keys, arguments: arguments, environment: ProcessInfo.processInfo.environment)
        await runParked(verb, try ParkedOptions(settings))
    } catch {
        usageError(error)
    }
case .run(let command, let arguments):
    let settings: Settings
    do {
        settings = try Settings.load(
            command.keys, arguments: arguments, environment: ProcessInfo.processInfo.environment)
    } catch {
        usageError(error)
    }
    do {
        switch command {
        case .allInOne: await runAllInOne(try AllInOneOptions(settings))
        case .dispatcher: await runDispatcher(try DispatcherOptions(settings))
        case .worker: await runWorker(try WorkerOptions(settings))
        case .feeder: await runFeeder(try FeederOptions(settings))
        case .parked: fail("parked takes list or redrive", .usage)  // parse gives .parked(verb)
        }
    } catch {
        usageError(error)
    }
}
flushTelemetry()
exit(ExitCode.ok.rawValue)
