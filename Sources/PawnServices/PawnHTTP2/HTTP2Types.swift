import PawnHPACK

/// HTTP/2 error codes (RFC 9113 §7).
public enum HTTP2ErrorCode: UInt32, Sendable, Hashable, CustomStringConvertible {
    /// Graceful: no error.
    case noError = 0x0
    /// A protocol violation.
    case protocolError = 0x1
    /// An internal error of the sender.
    case internalError = 0x2
    /// The flow-control protocol was violated.
    case flowControlError = 0x3
    /// SETTINGS were not acknowledged in time.
    case settingsTimeout = 0x4
    /// A frame arrived on a half-closed stream.
    case streamClosed = 0x5
    /// A frame of the wrong size.
    case frameSizeError = 0x6
    /// The stream was refused before any processing (safe to retry).
    case refusedStream = 0x7
    /// The stream is no longer needed.
    case cancel = 0x8
    /// The header compression state cannot be kept.
    case compressionError = 0x9
    /// A CONNECT tunnel failed.
    case connectError = 0xa
    /// The peer is behaving in a way that may be abusive.
    case enhanceYourCalm = 0xb
    /// The transport's security is not enough.
    case inadequateSecurity = 0xc
    /// The peer must use HTTP/1.1 for this request.
    case http11Required = 0xd

    /// A code from the wire; unknown codes are treated as INTERNAL_ERROR (§7).
    init(wire: UInt32) { self = HTTP2ErrorCode(rawValue: wire) ?? .internalError }

    public var description: String {
        switch self {
        case .noError: "NO_ERROR"
        case .protocolError: "PROTOCOL_ERROR"
        case .internalError: "INTERNAL_ERROR"
        case .flowControlError: "FLOW_CONTROL_ERROR"
        case .settingsTimeout: "SETTINGS_TIMEOUT"
        case .streamClosed: "STREAM_CLOSED"
        case .frameSizeError: "FRAME_SIZE_ERROR"
        case .refusedStream: "REFUSED_STREAM"
        case .cancel: "CANCEL"
        case .compressionError: "COMPRESSION_ERROR"
        case .connectError: "CONNECT_ERROR"
        case .enhanceYourCalm: "ENHANCE_YOUR_CALM"
        case .inadequateSecurity: "INADEQUATE_SECURITY"
        case .http11Required: "HTTP_1_1_REQUIRED"
        }
    }
}

/// Frame types (RFC 9113 §6).
public enum HTTP2FrameType: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// DATA (§6.1).
    case data = 0x0
    /// HEADERS (§6.2).
    case headers = 0x1
    /// PRIORITY (§6.3).
    case priority = 0x2
    /// RST_STREAM (§6.4).
    case rstStream = 0x3
    /// SETTINGS (§6.5).
    case settings = 0x4
    /// PUSH_PROMISE (§6.6).
    case pushPromise = 0x5
    /// PING (§6.7).
    case ping = 0x6
    /// GOAWAY (§6.8).
    case goAway = 0x7
    /// WINDOW_UPDATE (§6.9).
    case windowUpdate = 0x8
    /// CONTINUATION (§6.10).
    case continuation = 0x9

    /// The type's name as RFC 9113 spells it (`RST_STREAM`).
    public var description: String {
        switch self {
        case .data: "DATA"
        case .headers: "HEADERS"
        case .priority: "PRIORITY"
        case .rstStream: "RST_STREAM"
        case .settings: "SETTINGS"
        case .pushPromise: "PUSH_PROMISE"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        case .windowUpdate: "WINDOW_UPDATE"
        case .continuation: "CONTINUATION"
        }
    }
}

/// Frame flags.
enum HTTP2Flags {
    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4
    static let padded: UInt8 = 0x8
    static let priority: UInt8 = 0x20
}

/// The settings one side announces (RFC 9113 §6.5.2), with this implementation's defaults.
public struct HTTP2Settings: Sendable, Hashable {
    /// SETTINGS_HEADER_TABLE_SIZE: the decoder's dynamic table size.
    public var headerTableSize: Int = 4096
    /// SETTINGS_ENABLE_PUSH (always off here).
    public var enablePush: Bool = false
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    public var maxConcurrentStreams: Int = 100
    /// SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window.
    public var initialWindowSize: Int = 65_535
    /// SETTINGS_MAX_FRAME_SIZE.
    public var maxFrameSize: Int = 16_384
    /// SETTINGS_MAX_HEADER_LIST_SIZE.
    public var maxHeaderListSize: Int = 16 * 1024

    public init() {}

    /// The settings a peer has before it says otherwise (§6.5.2 initial values).
    static var protocolDefaults: HTTP2Settings {
        var settings = HTTP2Settings()
        settings.enablePush = true
        settings.maxConcurrentStreams = Int(UInt32.max)
        settings.maxHeaderListSize = Int(UInt32.max)
        return settings
    }
}

/// What the connection tells its owner.
public enum HTTP2Event: Sendable, Hashable {
    /// A header block: request or response headers, or trailers.
    case headers(streamID: UInt32, fields: [HeaderField], endStream: Bool)
    /// Data received (already counted for flow control).
    case data(streamID: UInt32, bytes: [UInt8], endStream: Bool)
    /// The stream was reset, by the peer or by us (a stream error).
    case streamReset(streamID: UInt32, code: HTTP2ErrorCode, byPeer: Bool)
    /// The peer is going away: streams above `lastStreamID` were not processed.
    case goAway(lastStreamID: UInt32, code: HTTP2ErrorCode, debug: String)
    /// A PING acknowledgement with its payload.
    case pingAcknowledged(UInt64)
    /// The connection failed; a GOAWAY is queued and the owner should close after writing.
    case connectionError(HTTP2ConnectionError)
}

/// Limits against abusive peers. Counters of frames that do no useful work are decayed by
/// useful work; passing a limit is answered with GOAWAY(ENHANCE_YOUR_CALM).
public struct HTTP2AbuseLimits: Sendable, Hashable {
    /// Streams the peer reset (or that we reset) without a completed exchange.
    public var maxResets: Int = 1_000
    /// DATA frames with no payload and no END_STREAM, PRIORITY frames, in a row.
    public var maxEmptyFrames: Int = 1_000
    /// PING and SETTINGS frames that need an answer, in a row.
    public var maxControlFrames: Int = 1_000
    /// CONTINUATION frames of one header block.
    public var maxContinuations: Int = 64
    /// Bytes of output queued before the peer reads them (answers to a flood).
    public var maxQueuedOutput: Int = 4 * 1024 * 1024

    public init() {}
}

/// Why an HTTP/2 connection failed (RFC 9113 §5.4.1): each case names the rule the peer
/// broke. Its ``code`` goes in the GOAWAY frame, its ``description`` in the debug data.
public enum HTTP2ConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The client did not start with the connection preface (§3.4).
    case invalidPreface
    /// The peer's first frame was not SETTINGS (§3.4).
    case firstFrameNotSettings
    /// A frame longer than our SETTINGS_MAX_FRAME_SIZE (§4.2).
    case frameTooLarge(length: Int)
    /// A frame other than CONTINUATION of `streamID` while a header block was open (§6.10).
    case expectedContinuation(streamID: UInt32)
    /// CONTINUATION with no header block open (§6.10).
    case continuationWithoutHeaderBlock
    /// A frame that must name a stream (DATA, HEADERS, PRIORITY, RST_STREAM) on stream 0.
    case frameOnStreamZero(HTTP2FrameType)
    /// A frame of the connection (PING, GOAWAY, SETTINGS) on a stream.
    case connectionFrameOnStream(HTTP2FrameType)
    /// A frame whose length its type does not allow (RST_STREAM 4, PING 8, GOAWAY ≥ 8,
    /// WINDOW_UPDATE 4, SETTINGS a multiple of 6, a SETTINGS ACK empty, a padded frame ≥ 1).
    case invalidFrameLength(HTTP2FrameType, length: Int)
    /// Padding longer than the frame (§6.1).
    case paddingTooLong
    /// A frame on a stream that was never opened (§5.1).
    case idleStream(HTTP2FrameType, streamID: UInt32)
    /// HEADERS on a stream the peer had closed (§5.1).
    case closedStream(streamID: UInt32)
    /// HEADERS from a server opening a stream of its own (push is disabled).
    case streamOpenedByServer
    /// PUSH_PROMISE, which we disable (§8.4).
    case pushPromiseRefused
    /// A SETTINGS value out of its range (§6.5.2): `name` is the setting.
    case invalidSetting(name: String)
    /// A WINDOW_UPDATE of 0 on the connection (§6.9).
    case zeroWindowIncrement
    /// A flow-control window above 2^31−1 (§6.9.1); stream 0 is the connection.
    case windowOverflow(streamID: UInt32)
    /// DATA beyond the connection's receive window (§6.9.1).
    case dataBeyondWindow
    /// A header block HPACK cannot decode (§4.3).
    case compression(HPACKError)
    /// Frames that carry nothing (empty DATA, unknown types) past the limit.
    case emptyFrameFlood
    /// PING or SETTINGS frames past the limit.
    case controlFrameFlood
    /// Stream resets past the limit (the "rapid reset" attack).
    case resetFlood
    /// A header block continued past the CONTINUATION limit.
    case endlessHeaderBlock
    /// The peer asks for answers faster than it reads them (our queued output over the limit).
    case peerNotReading

    /// The error code of the GOAWAY frame.
    public var code: HTTP2ErrorCode {
        switch self {
        case .invalidPreface, .firstFrameNotSettings, .expectedContinuation, .continuationWithoutHeaderBlock,
            .frameOnStreamZero, .connectionFrameOnStream, .paddingTooLong, .idleStream, .streamOpenedByServer,
            .pushPromiseRefused, .zeroWindowIncrement:
            .protocolError
        case .invalidSetting(let name):
            name == "SETTINGS_INITIAL_WINDOW_SIZE" ? .flowControlError : .protocolError
        case .frameTooLarge, .invalidFrameLength: .frameSizeError
        case .closedStream: .streamClosed
        case .windowOverflow, .dataBeyondWindow: .flowControlError
        case .compression: .compressionError
        case .emptyFrameFlood, .controlFrameFlood, .resetFlood, .endlessHeaderBlock, .peerNotReading:
            .enhanceYourCalm
        }
    }

    public var description: String {
        switch self {
        case .invalidPreface: "invalid connection preface"
        case .firstFrameNotSettings: "the first frame must be SETTINGS"
        case .frameTooLarge(let length): "a frame of \(length) bytes exceeds SETTINGS_MAX_FRAME_SIZE"
        case .expectedContinuation(let streamID): "expected CONTINUATION of stream \(streamID)"
        case .continuationWithoutHeaderBlock: "CONTINUATION without a header block in progress"
        case .frameOnStreamZero(let type): "\(type) on stream 0"
        case .connectionFrameOnStream(let type): "\(type) on a stream"
        case .invalidFrameLength(let type, let length): "\(type) of \(length) bytes is not a valid length"
        case .paddingTooLong: "padding longer than the frame"
        case .idleStream(let type, let streamID): "\(type) on idle stream \(streamID)"
        case .closedStream(let streamID): "HEADERS on closed stream \(streamID)"
        case .streamOpenedByServer: "a server cannot open streams here"
        case .pushPromiseRefused: "PUSH_PROMISE is not accepted (push is disabled)"
        case .invalidSetting(let name): "\(name) out of range"
        case .zeroWindowIncrement: "WINDOW_UPDATE of 0 on the connection"
        case .windowOverflow(0): "the connection window exceeds 2^31-1"
        case .windowOverflow(let streamID): "the window of stream \(streamID) exceeds 2^31-1"
        case .dataBeyondWindow: "DATA beyond the connection window"
        case .compression(let error): error.description
        case .emptyFrameFlood: "too many frames that carry nothing"
        case .controlFrameFlood: "too many PING or SETTINGS frames"
        case .resetFlood: "too many stream resets"
        case .endlessHeaderBlock: "a header block that does not end"
        case .peerNotReading: "the peer does not read what it asks for"
        }
    }
}
