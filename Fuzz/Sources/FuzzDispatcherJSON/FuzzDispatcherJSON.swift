import Dispatch
import Foundation
import PawnDispatcher
import PawnHTTP1
import PawnPorts
import PawnWire

/// Feeds the input after its first byte, as an `application/json` body, to one of the
/// dispatcher's six write routes (PawnDispatcher's `Dispatcher.router`: JSON decoding,
/// enum and date parsing, validation, the fraud check, publishing), the first byte choosing
/// the route (`Harness.routes`, by its index modulo the count). Each input gets a new
/// dispatcher over an in-memory event log and an empty fraud list, without sockets (as
/// PawnDispatcherTests build theirs), so that nothing accumulates between inputs.
///
/// Asserted: the answer is 202 or 400 (the log takes every write and no client is on the
/// list, so nothing else is possible) with a JSON object for a body; after a 202 the event is
/// on its topic, once, and the worker can decode it (`WireMapping.event(from:)`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = input.first else { return 0 }
    let routes = Harness.routes
    let (path, topic) = routes[Int(first) % routes.count]
    let log = InMemoryEventLog(partitions: 1)
    let dispatcher = Dispatcher(
        log: log, fraudList: InMemoryFraudList(), workers: WorkerRegistry(onEvict: { _ in }))
    let request = HTTPRequest(
        method: .post, target: path, path: path,
        headers: ["Host": "fuzz", "Content-Type": "application/json"], body: Array(input.dropFirst()))
    let response = handle(request, with: dispatcher)

    let status = response.status.code
    guard status == 202 || status == 400 else { fatalError("\(path) answered \(response.status)") }
    guard (try? JSONSerialization.jsonObject(with: Data(response.body))) is [String: Any] else {
        fatalError("\(path) answered \(status) with a body that is not a JSON object")
    }
    if status == 202 {
        let records = log.records(topic: topic)
        guard records.count == 1 else { fatalError("\(path): 202 with \(records.count) records on \(topic)") }
        do {
            _ = try WireMapping.event(from: records[0])
        } catch {
            fatalError("\(path): the worker cannot decode the accepted event: \(error)")
        }
    }
    return 0
}

private enum Harness {
    /// The write routes and the topic each publishes to. Seeds (Fuzz/Corpus/FuzzDispatcherJSON)
    /// start with these indices as the digits 0–5 (0x30 is 0 modulo 6): append, never reorder.
    static let routes = [
        ("/item/add", Topics.items), ("/item/action/buy", Topics.buyActions),
        ("/item/action/sell", Topics.sellActions), ("/item/action/pawn", Topics.pawnActions),
        ("/item/action/redeem", Topics.redeemActions), ("/item/action/forfeit", Topics.forfeitActions),
    ]
}

/// The router's answer to `request`, waited for synchronously. The handler is async, so it
/// runs in a task on the global concurrent executor while this thread (libFuzzer's main
/// thread, not one of the executor's) blocks on a semaphore: the task never needs this
/// thread, so the wait cannot deadlock.
private func handle(_ request: HTTPRequest, with dispatcher: Dispatcher) -> HTTPResponse {
    let answer = Answer()
    Task {
        answer.response = await dispatcher.router.handle(request)
        answer.done.signal()
    }
    answer.done.wait()
    guard let response = answer.response else { fatalError("the handler task ended without an answer") }
    return response
}

/// A response handed from the task that makes it to the thread that waits for it.
/// `@unchecked Sendable`: `response` is written once, before `done.signal()`, and read only
/// after `done.wait()` returns, which orders the write before the read.
private final class Answer: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var response: HTTPResponse?
}
