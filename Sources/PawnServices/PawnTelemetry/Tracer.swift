import Dispatch
import Foundation
import PawnIO
import PawnLog
import PawnProtocol
import PawnTrace
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The process's tracer: starts spans, and exports the finished ones over OTLP/HTTP from a
/// thread of its own (``configure(_:)``; off until then, and off without an endpoint).
///
/// A span is started for every request and call (``start(_:kind:parent:attributes:)`` always
/// gives a context to pass on); it is recorded only when tracing is on and the sampler says
/// so. Finished spans wait in a queue of at most ``queueLimit``; a span that does not fit is
/// dropped and counted, so a slow or absent collector never holds a request up.
public enum Tracer {
    /// The most finished spans held for export; one more is dropped.
    public static let queueLimit = 2_048
    /// The most spans in one export request.
    public static let batchLimit = 512

    private static let state = Locked<(configuration: TracingConfiguration?, exporter: SpanExporter?)>(
        (nil, nil))
    private static let on = Atomic<Bool>(false)

    /// Starts exporting to `configuration`'s endpoint (no-op when it has none). Call once,
    /// at start-up; a second call replaces the exporter, whose thread ends after the batch it
    /// may be sending (spans still queued for it are dropped).
    public static func configure(_ configuration: TracingConfiguration) {
        let exporter = configuration.enabled ? SpanExporter(configuration: configuration) : nil
        let previous = state.withLock { state in
            defer { state = (configuration, exporter) }
            return state.exporter
        }
        on.store(exporter != nil, ordering: .releasing)
        previous?.stop()
    }

    /// Stops exporting and forgets the configuration, as before ``configure(_:)`` (tests end
    /// with it, so that nothing of theirs outlives them).
    public static func reset() {
        let previous = state.withLock { state in
            defer { state = (nil, nil) }
            return state.exporter
        }
        on.store(false, ordering: .releasing)
        previous?.stop()
    }

    /// Whether spans are recorded.
    public static var isEnabled: Bool { on.load(ordering: .acquiring) }

    /// Spans exported, dropped (the queue was full) and lost to failed exports, since start.
    public static var statistics: (exported: Int, dropped: Int, failed: Int) {
        guard let exporter = state.withLock({ $0.exporter }) else { return (0, 0, 0) }
        return exporter.statistics
    }

    /// A span named `name` of `kind`, child of `parent` (by default the current task's context),
    /// or the root of a new trace without one. Recorded when tracing is on and sampled; its
    /// ``ActiveSpan/context`` is what to pass on either way.
    public static func start(
        _ name: String, kind: SpanKind, parent: TraceContext? = TraceContext.current,
        attributes: [(String, AttributeValue)] = []
    ) -> ActiveSpan {
        var ids = FastRandom()
        let traceID = parent?.traceID ?? .random(using: &ids)
        var recording = false
        // Off, a caller's decision is passed on as it came; a new trace is not sampled (no one
        // records its root, so a parent-based sampler downstream records none of it either).
        // The random flag (bit 1) is set for a trace id this process drew.
        var flags: UInt8 = parent?.flags ?? 0x02
        if isEnabled, let sampler = state.withLock({ $0.configuration?.sampler }) {
            recording = sampler.shouldSample(traceID: traceID, parent: parent)
            flags = recording ? flags | 0x01 : flags & ~0x01
        }
        let context = TraceContext(
            traceID: traceID, spanID: .random(using: &ids), flags: flags, traceState: parent?.traceState ?? ""
        )
        return ActiveSpan(
            context: context, parentSpanID: parent?.spanID, name: name, kind: kind, recording: recording,
            attributes: attributes)
    }

    /// Hands a finished span to the exporter.
    static func finished(_ span: FinishedSpan) {
        state.withLock { $0.exporter }?.enqueue(span)
    }

    /// Exports what is queued, waiting at most `timeout` (before the process exits).
    public static func flush(timeout: Duration = .seconds(5)) {
        state.withLock { $0.exporter }?.flush(timeout: timeout)
    }

    /// The wall clock, nanoseconds since the Unix epoch.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}

/// A span that has started: its context to pass on, and attributes to add before ``end(status:_:)``.
public struct ActiveSpan: Sendable {
    /// This span's context: its trace and its own id (the parent of what it calls).
    public let context: TraceContext
    /// Whether it is recorded (tracing on and sampled).
    public let recording: Bool
    let parentSpanID: SpanID?
    let name: String
    let kind: SpanKind
    let start: UInt64
    /// What the operation is about; more can be added until it ends.
    public var attributes: [(String, AttributeValue)]

    init(
        context: TraceContext, parentSpanID: SpanID?, name: String, kind: SpanKind, recording: Bool,
        attributes: [(String, AttributeValue)]
    ) {
        self.context = context
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.recording = recording
        self.attributes = attributes
        start = recording ? Tracer.now() : 0
    }

    /// Ends the span with `status` and `more` attributes; a recorded span goes to the exporter.
    public func end(status: SpanStatus = .unset, _ more: [(String, AttributeValue)] = []) {
        guard recording else { return }
        Tracer.finished(
            FinishedSpan(
                context: context, parentSpanID: parentSpanID, name: name, kind: kind, startNanoseconds: start,
                endNanoseconds: Tracer.now(), attributes: attributes + more, status: status))
    }
}

/// The queue of finished spans and the thread that POSTs them, a batch at a time.
final class SpanExporter: Sendable {
    let configuration: TracingConfiguration
    private let queue = Locked<[FinishedSpan]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let exported = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    /// Held while a batch is taken and sent, so that a flush and the thread do not interleave.
    private let sending = Locked(())
    private let session: URLSession
    /// When a failed export was last logged: a collector that is down is logged once a minute.
    private let lastWarning = Locked<ContinuousClock.Instant?>(nil)
    private static let logger = Logger(["component": "tracing"])
    private let stopped = Atomic<Bool>(false)

    init(configuration: TracingConfiguration) {
        self.configuration = configuration
        let settings = URLSessionConfiguration.ephemeral
        settings.timeoutIntervalForRequest = 10
        session = URLSession(configuration: settings)
        OwnedThread(name: "pawn-otlp") { [self] in run() }.detach()
    }

    var statistics: (exported: Int, dropped: Int, failed: Int) {
        (exported.load(ordering: .relaxed), dropped.load(ordering: .relaxed), failed.load(ordering: .relaxed))
    }

    func enqueue(_ span: FinishedSpan) {
        let (accepted, count) = queue.withLock { queue -> (Bool, Int) in
            guard queue.count < Tracer.queueLimit else { return (false, queue.count) }
            queue.append(span)
            return (true, queue.count)
        }
        if !accepted {
            dropped.add(1, ordering: .relaxed)
        } else if count == Tracer.batchLimit {
            wake.signal()
        }
    }

    private func run() {
        while !stopped.load(ordering: .acquiring) {
            // A batch a second, or sooner when one is full.
            _ = wake.wait(timeout: .now() + 1)
            if stopped.load(ordering: .acquiring) { break }
            sendAll()
        }
        session.invalidateAndCancel()
    }

    /// Ends the thread (after the batch it may be sending); what is queued is not sent.
    func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
    }

    func flush(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !queue.withLock({ $0.isEmpty }) {
            sendAll()
        }
    }

    private func sendAll() {
        sending.withLock { _ in
            while true {
                let batch = queue.withLock { queue -> [FinishedSpan] in
                    let batch = Array(queue.prefix(Tracer.batchLimit))
                    queue.removeFirst(batch.count)
                    return batch
                }
                guard !batch.isEmpty else { return }
                if post(configuration.exportRequest(batch).serializedBytes()) {
                    exported.add(batch.count, ordering: .relaxed)
                } else {
                    failed.add(batch.count, ordering: .relaxed)
                }
            }
        }
    }

    /// POSTs one body and waits for the answer (on the exporter's own thread).
    private func post(_ body: [UInt8]) -> Bool {
        guard let endpoint = configuration.endpoint, let url = URL(string: endpoint) else { return false }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        let outcome = Locked<(status: Int, error: String?)>((0, nil))
        session.dataTask(with: request) { _, response, error in
            outcome.withLock {
                $0 = (
                    (response as? HTTPURLResponse)?.statusCode ?? 0,
                    error.map { "\($0.localizedDescription)" }
                )
            }
            done.signal()
        }.resume()
        done.wait()
        let (status, error) = outcome.withLock { $0 }
        if (200..<300).contains(status) { return true }
        let now = ContinuousClock.now
        let due = lastWarning.withLock { last in
            guard last.map({ now - $0 >= .seconds(60) }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return false }
        Self.logger.warning(
            "cannot export spans to \(endpoint): \(error ?? "HTTP \(status)")",
            ["otlp_endpoint": .string(endpoint)])
        return false
    }
}
