// Write→readable latency under open-loop load (#17): adds at a constant RATE for SECONDS,
// spread round-robin over the dispatchers, each write due at start + i / RATE whatever
// happened to the writes before it. Sender connections only POST; once a 202 is in, a few
// checker connections ask for the item (`GET /item/fetch/{id}`) again and again, each write
// after a pause of a fifth of its age (1 to 20 ms), until it is there. The latency of a write
// runs from the moment it was due, not from when a sender was free to send it, so a slow
// platform cannot hide its queue (no coordinated omission); it is over by at most the pause
// between two looks (≤ 20 % of it).
// Prints `write-latency: RATE/s …: N due, A accepted, …; p50 ms, p99 ms, p99.9 ms, max ms`
// and the send lag (how late writes left: the generator's own lateness, p50 and p99).
// Usage: pawn-bench write-latency --targets 127.0.0.1:8080[,host:port…] --rate 1000
//        [--seconds 20] [--connections 64] [--checkers 32]
import Foundation
import Glibc
import PawnIO

/// A blocking HTTP/1.1 keep-alive connection with just what this benchmark sends and reads:
/// requests with Content-Length bodies, answers with Content-Length bodies.
private final class BlockingConnection {
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    deinit { if fd >= 0 { close(fd) } }

    private func connectIfNeeded() -> Bool {
        if fd >= 0 { return true }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return false
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        fd = socket
        buffer.removeAll()
        return true
    }

    private func reset() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer.removeAll()
    }

    /// Sends `request` and returns the answer's status and body; nil when the connection
    /// failed (it is then reopened by the next call).
    func exchange(_ request: [UInt8]) -> (status: Int, body: [UInt8])? {
        guard connectIfNeeded() else { return nil }
        var sent = 0
        while sent < request.count {
            let written = request.withUnsafeBytes {
                send(fd, $0.baseAddress! + sent, request.count - sent, 0)
            }
            guard written > 0 else {
                reset()
                return nil
            }
            sent += written
        }
        guard let answer = readAnswer() else {
            reset()
            return nil
        }
        return answer
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    private func readAnswer() -> (status: Int, body: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { buffer[$0..<$0 + 4].elementsEqual(separator) }
            }
            if headEnd == nil && !fill() { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        var length = 0
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return (status, body)
    }
}

private struct LatencyState {
    var next = 0
    var latencies: [Double] = []
    var sendLags: [Double] = []
    var accepted = 0
    var refused = 0
    var failed = 0
    var unreadable = 0
    var polls = 0
    /// Accepted writes not yet seen by a GET, oldest first from `head`.
    var pending: [Pending] = []
    var head = 0
    var sending = true
}

/// An accepted write the checkers look for.
private struct Pending {
    var id: String
    var target: Int
    var due: ContinuousClock.Instant
    var nextPoll: ContinuousClock.Instant
}

/// How long a checker waits before asking for a write again: a fifth of its age so far,
/// between 1 and 20 ms (the figures' resolution; polling every write each millisecond was
/// thousands of GETs a second, which slowed the platform it measured).
private func pollInterval(age: Duration) -> Duration {
    min(.milliseconds(20), max(.milliseconds(1), age / 5))
}

func benchWriteLatency(_ arguments: [String]) {
    let targets: [(String, Int)] = option("--targets", arguments).split(separator: ",").map { target in
        let parts = target.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            fail("--targets takes host:port[,host:port…]")
        }
        return (String(parts[0]), port)
    }
    let rate = Double(option("--rate", arguments, "1000"))!
    let duration = Double(option("--seconds", arguments, "20"))!
    let connections = Int(option("--connections", arguments, "64"))!
    let checkers = Int(option("--checkers", arguments, "32"))!
    let total = Int(rate * duration)
    let run = UInt32.random(in: 0 ... .max)
    let state = Locked(LatencyState())
    let start = ContinuousClock.now
    let group = DispatchGroup()
    let senders = DispatchGroup()
    // Senders: each write leaves when it is due (or as soon as a sender is free), and once
    // its 202 is in, the checkers look for it.
    for index in 0..<connections {
        group.enter()
        senders.enter()
        let target = index % targets.count
        let (host, port) = targets[target]
        let thread = Thread {
            defer {
                senders.leave()
                group.leave()
            }
            let connection = BlockingConnection(host: host, port: port)
            while true {
                let write = state.withLock { state -> Int? in
                    guard state.next < total else { return nil }
                    defer { state.next += 1 }
                    return state.next
                }
                guard let write else { return }
                let due = start + .nanoseconds(Int64(Double(write) / rate * 1e9))
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                let lag = (ContinuousClock.now - due).seconds * 1_000
                let id = "lat-\(run)-\(write)"
                let body = Array(
                    #"{"id":"\#(id)","name":"Lamp","category":"Decoration","price":1000,"state":"Good","ageInMonths":1}"#
                        .utf8)
                let post =
                    Array(
                        "POST /item/add HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                            .utf8) + body
                guard let answer = connection.exchange(post) else {
                    state.withLock { $0.failed += 1 }
                    continue
                }
                guard answer.status == 202 else {
                    state.withLock { $0.refused += 1 }
                    continue
                }
                let now = ContinuousClock.now
                state.withLock { state in
                    state.accepted += 1
                    state.sendLags.append(lag)
                    state.pending.append(
                        Pending(
                            id: id, target: target, due: due, nextPoll: now + pollInterval(age: now - due)))
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    DispatchQueue.global().async {
        senders.wait()
        state.withLock { $0.sending = false }
    }
    // Checkers: take the oldest pending write, ask for it when its next poll is due, and put
    // it back at the end when it is not there yet.
    for _ in 0..<checkers {
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            let links = targets.map { BlockingConnection(host: $0.0, port: $0.1) }
            while true {
                let taken = state.withLock { state -> (Pending?, Bool) in
                    guard state.head < state.pending.count else { return (nil, state.sending) }
                    let entry = state.pending[state.head]
                    state.head += 1
                    if state.head > 4_096 && state.head * 2 > state.pending.count {
                        state.pending.removeFirst(state.head)
                        state.head = 0
                    }
                    return (entry, true)
                }
                guard var entry = taken.0 else {
                    guard taken.1 else { return }  // nothing pending and nothing more to come
                    usleep(500)
                    continue
                }
                let wait = entry.nextPoll - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                let (host, _) = targets[entry.target]
                let get = Array("GET /item/fetch/\(entry.id) HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)
                let fetched = links[entry.target].exchange(get)
                let now = ContinuousClock.now
                let age = now - entry.due
                state.withLock { state in
                    state.polls += 1
                    if fetched?.status == 200 {
                        state.latencies.append(age.seconds * 1_000)
                    } else if age > .seconds(30) {
                        state.unreadable += 1
                    } else {
                        entry.nextPoll = now + pollInterval(age: age)
                        state.pending.append(entry)
                    }
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
    let elapsed = seconds(since: start)
    let result = state.withLock { $0 }
    let sorted = result.latencies.sorted()
    let lags = result.sendLags.sorted()
    func percentile(_ values: [Double], _ p: Double) -> String {
        values.isEmpty ? "-" : format(values[min(values.count - 1, Int(Double(values.count) * p))])
    }
    print(
        "write-latency: \(Int(rate))/s for \(format(duration)) s over \(targets.count) dispatcher(s), \(connections) connections, \(checkers) checkers (\(result.polls) GETs): \(total) due, \(result.accepted) accepted, \(result.refused) refused, \(result.failed) failed, \(result.unreadable) never readable, in \(format(elapsed)) s; p50 \(percentile(sorted, 0.5)) ms, p99 \(percentile(sorted, 0.99)) ms, p99.9 \(percentile(sorted, 0.999)) ms, max \(sorted.last.map(format) ?? "-") ms; send lag p50 \(percentile(lags, 0.5)) ms, p99 \(percentile(lags, 0.99)) ms"
    )
}
