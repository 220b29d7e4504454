import PawnDomain
import PawnPorts
import PawnWire

/// Feeds the input after its first byte, as a record's value, to the worker's decoding of
/// log records into domain events (PawnWire's `WireMapping.event(from:)`, which
/// `Worker.process` calls for every record it polls), the first byte choosing the topic
/// (`Harness.topics`, by its index modulo the count). A decoded event then goes through the
/// state machine as the worker applies it to a new item (PawnDomain's `transition`:
/// validation and the lifecycle), which never traps.
///
/// Errors are expected and ignored. A decoded event must come from the topic its action is
/// published to, and publishing it again (`WireMapping.record(for:)`) must give a record
/// that decodes to the same event (WireMappingTests.roundTrip).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = input.first else { return 0 }
    let topics = Harness.topics
    let record = LogRecord(
        topic: topics[Int(first) % topics.count], partition: 0, offset: 7, key: "ring-1",
        value: Array(input.dropFirst()), headers: [Topics.eventIdHeader: "e-1"])
    let event: Event
    do {
        event = try WireMapping.event(from: record)
    } catch {
        return 0
    }
    _ = transition(nil, event)

    let (topic, value) = WireMapping.record(for: event)
    guard topic == record.topic else { fatalError("a \(event.action.kind) event read from \(record.topic)") }
    var again = record
    again.value = value
    do {
        guard try WireMapping.event(from: again) == event else {
            fatalError("publishing \(event) again gives another event")
        }
    } catch {
        fatalError("publishing \(event) again gives an undecodable record: \(error)")
    }
    return 0
}

private enum Harness {
    /// The six action topics, then one that is not. Seeds (scripts/fuzz-seeds.sh) start with
    /// these indices: append, never reorder.
    static let topics = Topics.actionTopics + ["elsewhere"]
}
