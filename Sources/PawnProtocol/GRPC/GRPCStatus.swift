/// A gRPC status: one of the 17 codes and a message (gRPC's doc/statuscodes.md).
public struct GRPCStatus: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status codes of gRPC, numbered as on the wire.
    public enum Code: Int, Sendable, Hashable, CaseIterable {
        /// Success.
        case ok = 0
        /// The caller cancelled the call.
        case cancelled = 1
        /// An error of unknown kind.
        case unknown = 2
        /// The request is invalid whatever the server's state (a malformed message, a bad field).
        case invalidArgument = 3
        /// The deadline passed before the call completed.
        case deadlineExceeded = 4
        /// The requested entity does not exist.
        case notFound = 5
        /// The entity to create already exists.
        case alreadyExists = 6
        /// The caller may not do this.
        case permissionDenied = 7
        /// A limit was reached (a message too large, a quota).
        case resourceExhausted = 8
        /// The system is not in the state the call needs.
        case failedPrecondition = 9
        /// The call was aborted (a concurrency conflict).
        case aborted = 10
        /// A value is past the valid range.
        case outOfRange = 11
        /// The service or method is not implemented here.
        case unimplemented = 12
        /// An invariant broke inside the server.
        case internalError = 13
        /// The service cannot be reached now; retrying may succeed.
        case unavailable = 14
        /// Data was lost or corrupted.
        case dataLoss = 15
        /// The caller has no valid credentials.
        case unauthenticated = 16

        /// A code from the wire; an unknown number is UNKNOWN, as the spec asks.
        public init(wire: Int) { self = Code(rawValue: wire) ?? .unknown }

        /// The code's name as gRPC spells it (`DEADLINE_EXCEEDED`).
        public var name: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internalError: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }
    }

    /// What happened.
    public var code: Code
    /// A sentence for people (sent percent-encoded as `grpc-message`).
    public var message: String

    /// A status with a code and an optional message.
    public init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    /// Success, with no message.
    public static let ok = GRPCStatus(.ok)

    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }

    /// `grpc-message` is percent-encoded (gRPC's PROTOCOL-HTTP2.md): bytes outside
    /// 0x20…0x7E, and `%`, become `%XX` of their UTF-8.
    public static func percentEncode(_ message: String) -> String {
        var out = ""
        for byte in message.utf8 {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    /// The inverse of ``percentEncode(_:)``; malformed escapes are kept as they are.
    public static func percentDecode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
