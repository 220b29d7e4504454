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
enum HTTP2FrameType: UInt8 {
    case data = 0x0
    case headers = 0x1
    case priority = 0x2
    case rstStream = 0x3
    case settings = 0x4
    case pushPromise = 0x5
    case ping = 0x6
    case
        goAway = 0x7
    case windowUpdate = 0x8
    case continuation = 0x9
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
    case connectionError(code: HTTP2ErrorCode, message: String)
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
