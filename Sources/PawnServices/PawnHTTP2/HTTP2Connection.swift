import PawnHPACK

/// An HTTP/2 connection (RFC 9113) as a value, without I/O: bytes from the peer go in
/// through ``receive(_:)`` and come out as events; commands (send headers, data, resets)
/// go in and come out as bytes through ``takeOutput()``.
///
/// It keeps the stream state machine of §5.1, connection and stream flow control with
/// automatic WINDOW_UPDATE (DATA on closed streams is credited too), SETTINGS exchange,
/// PING, GOAWAY, CONTINUATION, concurrency and size limits, and answers protocol
/// violations with the right error, on the stream or on the connection. Peers that flood
/// resets, empty frames, control frames or CONTINUATION are told ENHANCE_YOUR_CALM.
public struct HTTP2Connection: Sendable {
    /// Which end of the connection this is.
    public enum Role: Sendable {
        /// Opens streams (odd ids) and sends the preface.
        case client
        /// Answers streams the client opens.
        case server
    }

    /// The client connection preface (§3.4).
    public static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// Which end this is.
    public let role: Role
    /// The settings we announced.
    public let localSettings: HTTP2Settings
    /// The settings the peer announced (protocol defaults until it does).
    public private(set) var peerSettings = HTTP2Settings.protocolDefaults
    /// Limits against abusive peers.
    public let limits: HTTP2AbuseLimits
    /// The receive window we give the connection as a whole.
    let connectionWindowTarget: Int

    private var input: [UInt8] = []
    private var inputStart = 0
    private var output: [UInt8] = []
    private var prefaceReceived: Bool
    private var firstFrameSeen = false
    private var decoder: HPACKDecoder
    private var encoder = HPACKEncoder()
    private var streams: [UInt32: Stream] = [:]
    private var lastPeerStreamID: UInt32 = 0
    private var lastLocalStreamID: UInt32 = 0
    private var recentlyReset: [UInt32] = []
    private var connectionSendWindow = 65_535
    private var connectionReceiveWindow = 65_535
    private var continuation: PendingBlock?
    private var goAwayLastStreamID: UInt32?
    /// Whether the peer sent GOAWAY.
    public private(set) var peerWentAway = false
    /// Whether a connection error happened (the GOAWAY is queued; close after writing).
    public private(set) var isFailed = false
    private var resets = 0
    private var emptyFrames = 0
    private var controlFrames = 0
    /// A stream whose HEADERS declared a dependency on itself (§5.3.1).
    private var selfDependent: UInt32?

    private struct PendingBlock {
        var streamID: UInt32
        var block: [UInt8]
        var endStream: Bool
        var frames: Int
    }

    /// Where a stream is (RFC 9113 §5.1), with what that state needs; a closed stream is
    /// not kept (`recentlyReset` remembers the ones we reset).
    enum StreamState: Sendable, Equatable {
        /// Both sides may send. `resetWhenLocalEnds`: we need nothing more from the peer, so
        /// once our side ends the stream is reset with NO_ERROR (§8.1).
        case open(peer: PeerHalf, resetWhenLocalEnds: Bool)
        /// We sent END_STREAM; the peer may still send.
        case halfClosedLocal(peer: PeerHalf)
        /// The peer sent END_STREAM; only we may send.
        case halfClosedRemote

        /// What the peer has sent so far, while it may send; `nil` once it ended.
        var peer: PeerHalf? {
            switch self {
            case .open(let peer, _), .halfClosedLocal(let peer): peer
            case .halfClosedRemote: nil
            }
        }

        /// The peer's header block arrived: DATA may follow, the next block is trailers.
        mutating func peerSentHeaders() {
            switch self {
            case .open(_, let reset): self = .open(peer: .sentHeaders, resetWhenLocalEnds: reset)
            case .halfClosedLocal: self = .halfClosedLocal(peer: .sentHeaders)
            case .halfClosedRemote: break
            }
        }
    }

    /// What the peer's half of a stream has carried.
    enum PeerHalf: Sendable, Equatable {
        /// Nothing yet: a header block must come first.
        case awaitingHeaders
        /// Its header block: DATA may follow, and another header block is trailers.
        case sentHeaders
    }

    private enum Outbound: Sendable {
        case headers([HeaderField], endStream: Bool)
        case data([UInt8], endStream: Bool)
    }

    private struct Stream: Sendable {
        var state: StreamState
        var sendWindow: Int
        var receiveWindow: Int
        var pending: [Outbound] = []
        var pendingOffset = 0
        var peerInitiated: Bool
    }

    /// A connection for `role`, announcing `settings`; the server waits for the client's
    /// preface, the client sends it. Our SETTINGS (and a connection window update) are
    /// queued at once.
    public init(
        role: Role, settings: HTTP2Settings = HTTP2Settings(), limits: HTTP2AbuseLimits = HTTP2AbuseLimits(),
        connectionWindow: Int = 1 << 20
    ) {
        self.role = role
        localSettings = settings
        self.limits = limits
        connectionWindowTarget = max(65_535, connectionWindow)
        decoder = HPACKDecoder(
            maxTableSize: settings.headerTableSize, maxHeaderListSize: settings.maxHeaderListSize)
        prefaceReceived = role == .client
        if role == .client { output += Self.preface }
        var payload: [UInt8] = []
        for (id, value) in [
            (0x1, settings.headerTableSize), (0x2, settings.enablePush ? 1 : 0),
            (0x3, settings.maxConcurrentStreams),
            (0x4, settings.initialWindowSize), (0x5, settings.maxFrameSize),
            (0x6, settings.maxHeaderListSize),
        ] {
            Self.append16(UInt16(id), to: &payload)
            Self.append32(UInt32(value), to: &payload)
        }
        writeFrame(.settings, flags: 0, stream: 0, payload: payload)
        if connectionWindowTarget > 65_535 {
            writeWindowUpdate(stream: 0, increment: connectionWindowTarget - 65_535)
            connectionReceiveWindow = connectionWindowTarget
        }
    }

    // MARK: - Output

    /// The bytes to send to the peer, in order; the connection forgets them.
    public mutating func takeOutput() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    /// Whether there are bytes to send.
    public var hasOutput: Bool { !output.isEmpty }

    /// Whether the peer's preface (for a server) and first SETTINGS frame have arrived.
    public var peerStarted: Bool { prefaceReceived && firstFrameSeen }

    /// Streams that are open or half-closed.
    public var activeStreams: Int { streams.count }

    private mutating func writeFrame(_ type: HTTP2FrameType, flags: UInt8, stream: UInt32, payload: [UInt8]) {
        writeFrameHeader(type.rawValue, flags: flags, stream: stream, length: payload.count)
        output += payload
    }

    private mutating func writeFrameHeader(_ type: UInt8, flags: UInt8, stream: UInt32, length: Int) {
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length))
        output.append(type)
        output.append(flags)
        Self.append32(stream & 0x7FFF_FFFF, to: &output)
    }

    private mutating func writeWindowUpdate(stream: UInt32, increment: Int) {
        var payload: [UInt8] = []
        Self.append32(UInt32(increment), to: &payload)
        writeFrame(.windowUpdate, flags: 0, stream: stream, payload: payload)
    }

    private mutating func writeReset(_ stream: UInt32, _ code: HTTP2ErrorCode) {
        var payload: [UInt8] = []
        Self.append32(code.rawValue, to: &payload)
        writeFrame(.rstStream, flags: 0, stream: stream, payload: payload)
    }

    static func append16(_ value: UInt16, to buffer: inout [UInt8]) {
        buffer.append(UInt8(value >> 8))
        buffer.append(UInt8(value & 0xFF))
    }

    static func append32(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(value >> 24))
        buffer.append(UInt8((value >> 16) & 0xFF))
        buffer.append(UInt8((value >> 8) & 0xFF))
        buffer.append(UInt8(value & 0xFF))
    }

    // MARK: - Commands

    /// A new client stream id (odd, increasing), or `nil` when ids are exhausted or the
    /// peer sent GOAWAY.
    public mutating func makeStream() -> UInt32? {
        precondition(role == .client, "only clients open streams")
        let next = lastLocalStreamID == 0 ? 1 : lastLocalStreamID + 2
        guard next < 0x8000_0000, !peerWentAway, !isFailed else { return nil }
        lastLocalStreamID = next
        return next
    }

    /// Sends a header block (request or response headers, or trailers with `endStream`).
    public mutating func sendHeaders(_ streamID: UInt32, _ fields: [HeaderField], endStream: Bool) {
        guard !isFailed else { return }
        if streams[streamID] == nil {
            // A new stream we open (client) — a server only answers existing ones.
            guard role == .client, streamID <= lastLocalStreamID else { return }
            streams[streamID] = Stream(
                state: .open(peer: .awaitingHeaders, resetWhenLocalEnds: false),
                sendWindow: peerSettings.initialWindowSize,
                receiveWindow: localSettings.initialWindowSize,
                peerInitiated: false)
        }
        streams[streamID]!.pending.append(.headers(fields, endStream: endStream))
        flush(streamID)
    }

    /// Queues data; it is sent as the flow-control windows allow.
    public mutating func sendData(_ streamID: UInt32, _ bytes: [UInt8], endStream: Bool) {
        guard !isFailed, streams[streamID] != nil else { return }
        streams[streamID]!.pending.append(.data(bytes, endStream: endStream))
        flush(streamID)
    }

    /// Resets a stream (a stream error of ours, or cancellation).
    public mutating func resetStream(_ streamID: UInt32, code: HTTP2ErrorCode) {
        guard !isFailed, streams[streamID] != nil else { return }
        closeStream(streamID, reset: true)
        writeReset(streamID, code)
    }

    /// We need nothing more from the peer on this stream: once our side has ended (all
    /// queued data written, flow control permitting), the stream is reset with NO_ERROR if
    /// the peer is still sending — the way a server answers before the request is complete.
    public mutating func stopReceiving(_ streamID: UInt32) {
        guard !isFailed, let stream = streams[streamID] else { return }
        switch stream.state {
        case .halfClosedLocal:
            closeStream(streamID, reset: true)
            writeReset(streamID, .noError)
        case .open(let peer, _):
            streams[streamID]!.state = .open(peer: peer, resetWhenLocalEnds: true)
        case .halfClosedRemote:
            break  // the peer has finished; the stream closes when we do
        }
    }

    /// Sends a PING with `payload`.
    public mutating func ping(_ payload: UInt64) {
        var bytes: [UInt8] = []
        Self.append32(UInt32(payload >> 32), to: &bytes)
        Self.append32(UInt32(payload & 0xFFFF_FFFF), to: &bytes)
        writeFrame(.ping, flags: 0, stream: 0, payload: bytes)
    }

    /// Sends GOAWAY: no new streams beyond those already started; existing ones finish.
    public mutating func goAway(code: HTTP2ErrorCode = .noError, debug: String = "") {
        guard goAwayLastStreamID == nil, !isFailed else { return }
        goAwayLastStreamID = lastPeerStreamID
        var payload: [UInt8] = []
        Self.append32(lastPeerStreamID, to: &payload)
        Self.append32(code.rawValue, to: &payload)
        payload += Array(debug.utf8)
        writeFrame(.goAway, flags: 0, stream: 0, payload: payload)
    }

    /// Whether we sent GOAWAY.
    public var isGoingAway: Bool { goAwayLastStreamID != nil }

    // MARK: - Flushing queued output

    private mutating func flushAll() {
        for id in streams.keys.sorted() where !(streams[id]?.pending.isEmpty ?? true) { flush(id) }
    }

    private mutating func flush(_ streamID: UInt32) {
        while var stream = streams[streamID], !stream.pending.isEmpty {
            switch stream.pending[0] {
            case .headers(let fields, let endStream):
                var block: [UInt8] = []
                encoder.encode(fields, into: &block)
                writeHeaderBlock(streamID, block, endStream: endStream)
                stream.pending.removeFirst()
                streams[streamID] = stream
                if endStream { localEnded(streamID) }
            case .data(let bytes, let endStream):
                let remaining = bytes.count - stream.pendingOffset
                let allowed = min(
                    remaining, stream.sendWindow, connectionSendWindow, peerSettings.maxFrameSize)
                if allowed <= 0 && remaining > 0 { return }  // blocked by flow control
                let chunk = stream.pendingOffset..<(stream.pendingOffset + allowed)
                stream.pendingOffset += allowed
                stream.sendWindow -= allowed
                connectionSendWindow -= allowed
                let done = stream.pendingOffset == bytes.count
                // The payload goes straight from the queued bytes to the output, copied once.
                writeFrameHeader(
                    HTTP2FrameType.data.rawValue, flags: done && endStream ? HTTP2Flags.endStream : 0,
                    stream: streamID, length: allowed)
                output += bytes[chunk]
                if done {
                    stream.pending.removeFirst()
                    stream.pendingOffset = 0
                }
                streams[streamID] = stream
                if done && endStream { localEnded(streamID) }
            }
        }
    }

    private mutating func writeHeaderBlock(_ streamID: UInt32, _ block: [UInt8], endStream: Bool) {
        let maxFrame = peerSettings.maxFrameSize
        var offset = 0
        var first = true
        repeat {
            let size = min(maxFrame, block.count - offset)
            let last = offset + size == block.count
            var flags: UInt8 = last ? HTTP2Flags.endHeaders : 0
            if first && endStream { flags |= HTTP2Flags.endStream }
            writeFrameHeader(
                first ? HTTP2FrameType.headers.rawValue : HTTP2FrameType.continuation.rawValue, flags: flags,
                stream: streamID, length: size)
            output += block[offset..<(offset + size)]
            offset += size
            first = false
        } while offset < block.count
    }

    /// We sent END_STREAM.
    private mutating func localEnded(_ streamID: UInt32) {
        guard let stream = streams[streamID] else { return }
        switch stream.state {
        case .open(_, resetWhenLocalEnds: true):
            closeStream(streamID, reset: true)
            writeReset(streamID, .noError)
        case .open(let peer, resetWhenLocalEnds: false):
            streams[streamID]!.state = .halfClosedLocal(peer: peer)
        case .halfClosedRemote, .halfClosedLocal: closeStream(streamID, reset: false)
        }
    }

    /// The peer sent END_STREAM.
    private mutating func remoteEnded(_ streamID: UInt32) {
        guard let stream = streams[streamID] else { return }
        switch stream.state {
        case .open: streams[streamID]!.state = .halfClosedRemote
        case .halfClosedLocal, .halfClosedRemote: closeStream(streamID, reset: false)
        }
    }

    private mutating func closeStream(_ streamID: UInt32, reset: Bool) {
        streams[streamID] = nil
        if reset {
            recentlyReset.append(streamID)
            if recentlyReset.count > 1_024 { recentlyReset.removeFirst(recentlyReset.count - 1_024) }
        } else {
            // A completed exchange earns back some of the abuse budget.
            resets = max(0, resets - 1)
        }
    }

    // MARK: - Receiving

    /// Takes bytes from the peer; returns what happened. After a connection error the
    /// connection ignores further input; the owner writes the output (with its GOAWAY) and
    /// closes.
    public mutating func receive(_ bytes: [UInt8]) -> [HTTP2Event] {
        guard !isFailed else { return [] }
        input += bytes
        var events: [HTTP2Event] = []
        do throws(HTTP2ConnectionError) {
            try process(&events)
        } catch {
            fail(error, &events)
        }
        if inputStart > 0 && (inputStart == input.count || inputStart > 65_536) {
            input.removeFirst(inputStart)
            inputStart = 0
        }
        if !isFailed && output.count > limits.maxQueuedOutput {
            fail(.peerNotReading, &events)
        }
        return events
    }

    private mutating func fail(_ error: HTTP2ConnectionError, _ events: inout [HTTP2Event]) {
        isFailed = true
        var payload: [UInt8] = []
        Self.append32(lastPeerStreamID, to: &payload)
        Self.append32(error.code.rawValue, to: &payload)
        payload += Array(error.description.utf8.prefix(256))
        writeFrame(.goAway, flags: 0, stream: 0, payload: payload)
        events.append(.connectionError(error))
    }

    private mutating func process(_ events: inout [HTTP2Event]) throws(HTTP2ConnectionError) {
        if !prefaceReceived {
            let available = input.count - inputStart
            let needed = Self.preface.count
            let compared = min(available, needed)
            guard input[inputStart..<(inputStart + compared)].elementsEqual(Self.preface.prefix(compared))
            else {
                throw .invalidPreface
            }
            guard available >= needed else { return }
            inputStart += needed
            prefaceReceived = true
        }
        while input.count - inputStart >= 9 {
            let base = inputStart
            let length = Int(input[base]) << 16 | Int(input[base + 1]) << 8 | Int(input[base + 2])
            let rawType = input[base + 3]
            let flags = input[base + 4]
            let streamID =
                (UInt32(input[base + 5]) << 24 | UInt32(input[base + 6]) << 16 | UInt32(input[base + 7]) << 8
                    | UInt32(input[base + 8])) & 0x7FFF_FFFF
            guard length <= localSettings.maxFrameSize else {
                throw .frameTooLarge(length: length)
            }
            guard input.count - inputStart >= 9 + length else { return }
            let payload = Array(input[(base + 9)..<(base + 9 + length)])
            inputStart += 9 + length
            if !firstFrameSeen {
                firstFrameSeen = true
                guard rawType == HTTP2FrameType.settings.rawValue, flags & HTTP2Flags.ack == 0 else {
                    throw .firstFrameNotSettings
                }
            }
            if let pending = continuation {
                guard rawType == HTTP2FrameType.continuation.rawValue, streamID == pending.streamID else {
                    throw .expectedContinuation(streamID: pending.streamID)
                }
            }
            guard let type = HTTP2FrameType(rawValue: rawType) else {
                try countEmpty()  // unknown frame types are ignored (§4.1), but not endlessly
                continue
            }
            try handle(type, flags: flags, streamID: streamID, payload: payload, &events)
            if isFailed { return }
        }
    }

    private mutating func countEmpty() throws(HTTP2ConnectionError) {
        emptyFrames += 1
        if emptyFrames > limits.maxEmptyFrames {
            throw .emptyFrameFlood
        }
    }

    private mutating func countControl() throws(HTTP2ConnectionError) {
        controlFrames += 1
        if controlFrames > limits.maxControlFrames {
            throw .controlFrameFlood
        }
    }

    private mutating func handle(
        _ type: HTTP2FrameType, flags: UInt8, streamID: UInt32, payload: [UInt8], _ events: inout [HTTP2Event]
    ) throws(HTTP2ConnectionError) {
        switch type {
        case .data: try handleData(flags: flags, streamID: streamID, payload: payload, &events)
        case .headers: try handleHeaders(flags: flags, streamID: streamID, payload: payload, &events)
        case .continuation:
            guard var pending = continuation else {
                throw .continuationWithoutHeaderBlock
            }
            pending.block += payload
            pending.frames += 1
            guard pending.frames <= limits.maxContinuations,
                pending.block.count <= localSettings.maxHeaderListSize * 2 + 4096
            else {
                throw .endlessHeaderBlock
            }
            if flags & HTTP2Flags.endHeaders != 0 {
                continuation = nil
                try headerBlockComplete(
                    pending.streamID, pending.block, endStream: pending.endStream, &events)
            } else {
                continuation = pending
            }
        case .priority:
            guard streamID != 0 else { throw .frameOnStreamZero(.priority) }
            guard payload.count == 5 else {
                streamError(streamID, .frameSizeError, &events)
                return
            }
            if Self.read32(payload, 0) & 0x7FFF_FFFF == streamID {
                streamError(streamID, .protocolError, &events)
            }
            try countEmpty()
        case .rstStream:
            guard streamID != 0 else { throw .frameOnStreamZero(.rstStream) }
            guard payload.count == 4 else {
                throw .invalidFrameLength(.rstStream, length: payload.count)
            }
            guard !isIdle(streamID) else {
                throw .idleStream(.rstStream, streamID: streamID)
            }
            if streams[streamID] != nil {
                closeStream(streamID, reset: true)
                events.append(
                    .streamReset(
                        streamID: streamID, code: HTTP2ErrorCode(wire: Self.read32(payload, 0)), byPeer: true)
                )
            }
            resets += 1
            if resets > limits.maxResets { throw .resetFlood }
        case .settings:
            try handleSettings(flags: flags, streamID: streamID, payload: payload)
        case .pushPromise:
            throw .pushPromiseRefused
        case .ping:
            guard streamID == 0 else { throw .connectionFrameOnStream(.ping) }
            guard payload.count == 8 else { throw .invalidFrameLength(.ping, length: payload.count) }
            if flags & HTTP2Flags.ack != 0 {
                events.append(
                    .pingAcknowledged(UInt64(Self.read32(payload, 0)) << 32 | UInt64(Self.read32(payload, 4)))
                )
            } else {
                try countControl()
                writeFrame(.ping, flags: HTTP2Flags.ack, stream: 0, payload: payload)
            }
        case .goAway:
            guard streamID == 0 else { throw .connectionFrameOnStream(.goAway) }
            guard payload.count >= 8 else {
                throw .invalidFrameLength(.goAway, length: payload.count)
            }
            peerWentAway = true
            let last = Self.read32(payload, 0) & 0x7FFF_FFFF
            events.append(
                .goAway(
                    lastStreamID: last, code: HTTP2ErrorCode(wire: Self.read32(payload, 4)),
                    debug: String(decoding: payload[8...], as: UTF8.self)))
        case .windowUpdate:
            guard payload.count == 4 else {
                throw .invalidFrameLength(.windowUpdate, length: payload.count)
            }
            let increment = Int(Self.read32(payload, 0) & 0x7FFF_FFFF)
            if streamID == 0 {
                guard increment > 0 else {
                    throw .zeroWindowIncrement
                }
                connectionSendWindow += increment
                guard connectionSendWindow <= Int(Int32.max) else {
                    throw .windowOverflow(streamID: 0)
                }
                flushAll()
            } else {
                guard !isIdle(streamID) else {
                    throw .idleStream(.windowUpdate, streamID: streamID)
                }
                guard streams[streamID] != nil else { return }  // closed: ignored
                guard increment > 0 else {
                    streamError(streamID, .protocolError, &events)
                    return
                }
                streams[streamID]!.sendWindow += increment
                guard streams[streamID]!.sendWindow <= Int(Int32.max) else {
                    streamError(streamID, .flowControlError, &events)
                    return
                }
                flush(streamID)
            }
        }
    }

    /// Whether a stream id was never used.
    private func isIdle(_ streamID: UInt32) -> Bool {
        let peerInitiated = (streamID % 2 == 1) == (role == .server)
        return peerInitiated ? streamID > lastPeerStreamID : streamID > lastLocalStreamID
    }

    private mutating func streamError(
        _ streamID: UInt32, _ code: HTTP2ErrorCode, _ events: inout [HTTP2Event]
    ) {
        let wasActive = streams[streamID] != nil
        closeStream(streamID, reset: true)
        writeReset(streamID, code)
        if wasActive { events.append(.streamReset(streamID: streamID, code: code, byPeer: false)) }
    }

    private mutating func handleSettings(flags: UInt8, streamID: UInt32, payload: [UInt8])
        throws(HTTP2ConnectionError)
    {
        guard streamID == 0 else { throw .connectionFrameOnStream(.settings) }
        if flags & HTTP2Flags.ack != 0 {
            guard payload.isEmpty else {
                throw .invalidFrameLength(.settings, length: payload.count)
            }
            return
        }
        guard payload.count % 6 == 0 else {
            throw .invalidFrameLength(.settings, length: payload.count)
        }
        try countControl()
        var offset = 0
        while offset < payload.count {
            let id = UInt16(payload[offset]) << 8 | UInt16(payload[offset + 1])
            let value = Int(Self.read32(payload, offset + 2))
            offset += 6
            switch id {
            case 0x1:
                peerSettings.headerTableSize = value
                encoder.setPeerMaxTableSize(value)
            case 0x2:
                guard value <= 1 else {
                    throw .invalidSetting(name: "SETTINGS_ENABLE_PUSH")
                }
                guard role == .server || value == 0 else {
                    throw .invalidSetting(name: "SETTINGS_ENABLE_PUSH")
                }
                peerSettings.enablePush = value == 1
            case 0x3: peerSettings.maxConcurrentStreams = value
            case 0x4:
                guard value <= Int(Int32.max) else {
                    throw .invalidSetting(name: "SETTINGS_INITIAL_WINDOW_SIZE")
                }
                let delta = value - peerSettings.initialWindowSize
                peerSettings.initialWindowSize = value
                for id in streams.keys {
                    streams[id]!.sendWindow += delta
                    guard streams[id]!.sendWindow <= Int(Int32.max) else {
                        throw .windowOverflow(streamID: id)
                    }
                }
            case 0x5:
                guard (16_384...16_777_215).contains(value) else {
                    throw .invalidSetting(name: "SETTINGS_MAX_FRAME_SIZE")
                }
                peerSettings.maxFrameSize = value
            case 0x6: peerSettings.maxHeaderListSize = value
            default: break  // unknown settings are ignored (§6.5.2)
            }
        }
        writeFrame(.settings, flags: HTTP2Flags.ack, stream: 0, payload: [])
        flushAll()
    }

    private mutating func handleData(
        flags: UInt8, streamID: UInt32, payload: [UInt8], _ events: inout [HTTP2Event]
    )
        throws(HTTP2ConnectionError)
    {
        guard streamID != 0 else { throw .frameOnStreamZero(.data) }
        guard !isIdle(streamID) else {
            throw .idleStream(.data, streamID: streamID)
        }
        // Flow control counts the whole payload, padding included, even on closed streams.
        guard payload.count <= connectionReceiveWindow else {
            throw .dataBeyondWindow
        }
        connectionReceiveWindow -= payload.count
        if connectionWindowTarget - connectionReceiveWindow >= connectionWindowTarget / 2 {
            writeWindowUpdate(stream: 0, increment: connectionWindowTarget - connectionReceiveWindow)
            connectionReceiveWindow = connectionWindowTarget
        }
        let data = try Self.unpad(payload, flags: flags, priority: false)
        let endStream = flags & HTTP2Flags.endStream != 0
        guard var stream = streams[streamID] else {
            if !recentlyReset.contains(streamID) { streamError(streamID, .streamClosed, &events) }
            return
        }
        guard let peer = stream.state.peer else {
            streamError(streamID, .streamClosed, &events)
            return
        }
        guard peer == .sentHeaders else {
            streamError(streamID, .protocolError, &events)
            return
        }
        guard payload.count <= stream.receiveWindow else {
            streamError(streamID, .flowControlError, &events)
            return
        }
        stream.receiveWindow -= payload.count
        if !endStream
            && localSettings.initialWindowSize - stream.receiveWindow >= localSettings.initialWindowSize / 2
        {
            writeWindowUpdate(
                stream: streamID, increment: localSettings.initialWindowSize - stream.receiveWindow)
            stream.receiveWindow = localSettings.initialWindowSize
        }
        streams[streamID] = stream
        if data.isEmpty && !endStream {
            try countEmpty()
        } else {
            emptyFrames = 0
            controlFrames = 0
        }
        events.append(.data(streamID: streamID, bytes: data, endStream: endStream))
        if endStream { remoteEnded(streamID) }
    }

    private mutating func handleHeaders(
        flags: UInt8, streamID: UInt32, payload: [UInt8], _ events: inout [HTTP2Event]
    )
        throws(HTTP2ConnectionError)
    {
        guard streamID != 0 else { throw .frameOnStreamZero(.headers) }
        let fragment = try Self.unpad(payload, flags: flags, priority: flags & HTTP2Flags.priority != 0)
        if flags & HTTP2Flags.priority != 0,
            Self.read32(payload, flags & HTTP2Flags.padded != 0 ? 1 : 0) & 0x7FFF_FFFF == streamID
        {
            // Depending on itself is a stream error, but the block must still be decoded.
            selfDependent = streamID
        }
        let endStream = flags & HTTP2Flags.endStream != 0
        if flags & HTTP2Flags.endHeaders != 0 {
            try headerBlockComplete(streamID, fragment, endStream: endStream, &events)
        } else {
            continuation = PendingBlock(streamID: streamID, block: fragment, endStream: endStream, frames: 0)
        }
    }

    private mutating func headerBlockComplete(
        _ streamID: UInt32, _ block: [UInt8], endStream: Bool, _ events: inout [HTTP2Event]
    )
        throws(HTTP2ConnectionError)
    {
        // Decode first, whatever happens to the stream: the HPACK state must stay in step.
        var fields: [HeaderField]? = nil
        var tooLarge = false
        do {
            fields = try decoder.decode(block)
        } catch  where error.code == .headerListTooLarge {
            tooLarge = true
        } catch {
            throw .compression(error)
        }
        emptyFrames = 0
        controlFrames = 0
        let peerInitiated = (streamID % 2 == 1) == (role == .server)
        if selfDependent == streamID {
            selfDependent = nil
            if peerInitiated && streamID > lastPeerStreamID { lastPeerStreamID = streamID }
            streamError(streamID, .protocolError, &events)
            return
        }
        if streams[streamID] == nil {
            guard peerInitiated else {
                if isIdle(streamID) {
                    throw .idleStream(.headers, streamID: streamID)
                }
                return  // a late frame on a stream we closed
            }
            guard streamID > lastPeerStreamID else {
                if recentlyReset.contains(streamID) { return }
                throw .closedStream(streamID: streamID)
            }
            guard role == .server else {
                throw .streamOpenedByServer
            }
            lastPeerStreamID = streamID
            if let last = goAwayLastStreamID, streamID > last { return }  // after our GOAWAY: ignored
            if streams.values.filter(\.peerInitiated).count >= localSettings.maxConcurrentStreams {
                writeReset(streamID, .refusedStream)
                recentlyReset.append(streamID)
                return
            }
            streams[streamID] = Stream(
                state: .open(peer: .awaitingHeaders, resetWhenLocalEnds: false),
                sendWindow: peerSettings.initialWindowSize,
                receiveWindow: localSettings.initialWindowSize,
                peerInitiated: true)
        }
        guard let stream = streams[streamID] else { return }
        guard let peer = stream.state.peer else {
            streamError(streamID, .streamClosed, &events)
            return
        }
        guard let fields, !tooLarge else {
            streamError(streamID, .protocolError, &events)  // the header list is larger than we allow
            return
        }
        let isTrailers = peer == .sentHeaders
        guard Self.isWellFormed(fields, role: role, trailers: isTrailers), !isTrailers || endStream else {
            streamError(streamID, .protocolError, &events)
            return
        }
        streams[streamID]!.state.peerSentHeaders()
        events.append(.headers(streamID: streamID, fields: fields, endStream: endStream))
        if endStream { remoteEnded(streamID) }
    }

    /// RFC 9113 §8.2–8.3: lowercase names, pseudo-headers first and known, no
    /// connection-specific fields, the required pseudo-headers present.
    static func isWellFormed(_ fields: [HeaderField], role: Role, trailers: Bool) -> Bool {
        var seenRegular = false
        var pseudo: Set<String> = []
        for field in fields {
            if field.name.isEmpty || field.name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
                return false
            }
            if field.name.hasPrefix(":") {
                if seenRegular || trailers || !pseudo.insert(field.name).inserted { return false }
                let allowed: Set<String> =
                    role == .server
                    ? [":method", ":scheme", ":path", ":authority", ":protocol"] : [":status"]
                if !allowed.contains(field.name) { return false }
                if field.name == ":path" && field.value.isEmpty { return false }
            } else {
                seenRegular = true
                switch field.name {
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade":
                    return false
                case "te" where field.value != "trailers": return false
                default: break
                }
            }
        }
        if trailers { return true }
        if role == .server {
            return pseudo.contains(":method")
                && (pseudo.contains(":path")
                    || fields.contains { $0.name == ":method" && $0.value == "CONNECT" })
                && (pseudo.contains(":scheme")
                    || fields.contains { $0.name == ":method" && $0.value == "CONNECT" })
        }
        return pseudo.contains(":status")
    }

    /// The payload without padding (and without the priority fields).
    private static func unpad(_ payload: [UInt8], flags: UInt8, priority: Bool) throws(HTTP2ConnectionError)
        -> [UInt8]
    {
        var start = 0
        var end = payload.count
        if flags & HTTP2Flags.padded != 0 {
            guard let padLength = payload.first else {
                throw .invalidFrameLength(.data, length: 0)
            }
            start = 1
            end -= Int(padLength)
        }
        if priority { start += 5 }
        guard end >= start else { throw .paddingTooLong }
        return Array(payload[start..<end])
    }

    static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        guard offset + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
