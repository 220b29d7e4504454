/// AWS credentials: an access key pair and, for temporary credentials, a session token.
public struct AWSCredentials: Sendable, Hashable {
    /// The access key id (`AKIA…`).
    public var accessKeyId: String
    /// The secret access key; never logged.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?

    /// Credentials from their parts.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 (the `AWS4-HMAC-SHA256` scheme), for any service: the canonical
/// request, the string to sign, the derived signing key and the `Authorization` header.
/// Checked byte for byte against the published SigV4 test suite and S3's documented
/// examples.
public struct SigV4Signer: Sendable {
    /// A request as it will be sent. The path and query are given decoded; the signer
    /// encodes them once as SigV4 requires (RFC 3986 unreserved characters kept, UTF-8
    /// bytes percent-encoded in upper-case hex). That is S3's rule and the test suite's;
    /// other AWS services sign the path as sent on the wire encoded once more, so a caller
    /// of those must pass the path as it is sent (already encoded).
    public struct Request: Sendable {
        /// `GET`, `PUT`, …
        public var method: String
        /// The decoded path, `/` first (`/bucket/my key.txt`).
        public var path: String
        /// The decoded query parameters, in any order.
        public var query: [(name: String, value: String)]
        /// Header fields, names in any case; repeated names are joined with commas.
        public var headers: [(name: String, value: String)]
        /// The payload's SHA-256 in lower-case hex, or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String

        /// A request.
        public init(
            method: String, path: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)], payloadHash: String = SigV4Signer.emptyPayloadHash
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// Every step of a signature, for tests and for debugging a 403.
    public struct Signature: Sendable, Hashable {
        /// The canonical request (step 1).
        public var canonicalRequest: String
        /// The string to sign (step 2).
        public var stringToSign: String
        /// The signature in hex (step 4).
        public var signature: String
        /// The `Authorization` header's value.
        public var authorization: String
    }

    /// The SHA-256 of an empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Whose request.
    public var credentials: AWSCredentials
    /// The region (`us-east-1`).
    public var region: String
    /// The service (`s3`).
    public var service: String
    /// Whether to remove `.`/`..` segments and repeated slashes from the path before
    /// encoding: every service but S3 does; S3 signs object keys as they are.
    public var normalizesPath: Bool

    /// A signer; `normalizesPath` defaults to true for every service but `s3`.
    public init(credentials: AWSCredentials, region: String, service: String, normalizesPath: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath ?? (service != "s3")
    }

    /// Signs `request`, whose headers must already hold `X-Amz-Date: timestamp` (and the
    /// session token, if any): `timestamp` is `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public func sign(_ request: Request, timestamp: String) -> Signature {
        let (canonical, signedHeaders) = canonicalRequest(request)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, SHA256.hex(Array(canonical.utf8))]
            .joined(separator: "\n")
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = HMACSHA256.authenticate(Array(part.utf8), key: key)
        }
        let signature = Hex.encode(HMACSHA256.authenticate(Array(stringToSign.utf8), key: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature,
            authorization: authorization)
    }

    /// The headers to send with `request` at `date`: `X-Amz-Date`, `X-Amz-Content-SHA256`
    /// (S3 requires it), `X-Amz-Security-Token` when there is a session token, and
    /// `Authorization`, after the request's own.
    public func signedHeaders(for request: Request, atSecondsSince1970 seconds: Int64) -> [(
        name: String, value: String
    )] {
        var request = request
        let timestamp = Self.timestamp(secondsSince1970: seconds)
        // What the signer adds replaces what the caller may have set.
        let added: Set<String> = [
            "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization",
        ]
        request.headers.removeAll { added.contains($0.name.lowercased()) }
        request.headers.append(("X-Amz-Date", timestamp))
        if service == "s3" { request.headers.append(("X-Amz-Content-SHA256", request.payloadHash)) }
        if let token = credentials.sessionToken { request.headers.append(("X-Amz-Security-Token", token)) }
        let signature = sign(request, timestamp: timestamp)
        return request.headers + [("Authorization", signature.authorization)]
    }

    /// A UTC time (whole seconds since 1970) as SigV4's `yyyyMMdd'T'HHmmss'Z'`.
    public static func timestamp(secondsSince1970 seconds: Int64) -> String {
        let (days, second) = (seconds.quotientFloor(86_400), seconds - seconds.quotientFloor(86_400) * 86_400)
        // Days since 1970 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
        let z = days + 719_468
        let era = z.quotientFloor(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(year)" + two(month) + two(day)
        let time = two(second / 3600) + two(second / 60 % 60) + two(second % 60)
        return date + "T" + time + "Z"
    }

    /// The canonical request and the signed-headers list.
    func canonicalRequest(_ request: Request) -> (String, String) {
        var path = request.path.isEmpty ? "/" : request.path
        if normalizesPath { path = Self.normalize(path) }
        let canonicalPath = Self.segments(path).map(Self.encode).joined(separator: "/")
        // Encoded names and values are ASCII, so String order is byte order, as SigV4 asks.
        let pairs: [(name: String, value: String)] = request.query.map {
            (Self.encode($0.name), Self.encode($0.value))
        }
        let sorted = pairs.sorted { a, b in a.name != b.name ? a.name < b.name : a.value < b.value }
        let query = sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers {
            headers[name.lowercased(), default: []].append(Self.trim(value))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let text = [request.method, canonicalPath, query, canonicalHeaders, signed, request.payloadHash]
            .joined(separator: "\n")
        return (text, signed)
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    public static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Leading and trailing spaces removed, inner runs of spaces made one.
    private static func trim(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The path's segments between "/" scalars (not Characters: a combining mark after a
    /// slash must not swallow it).
    public static func segments(_ path: String) -> [String] {
        path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// Dot-segment removal as the SigV4 test suite and botocore do it: `.` and empty
    /// segments dropped, `..` removes the one before; a trailing slash is kept when the
    /// path ends in one (so `/a/.` gives `/a`, where RFC 3986 §5.2.4 would give `/a/`).
    private static func normalize(_ path: String) -> String {
        var kept: [String] = []
        for segment in segments(path) {
            switch segment {
            case "", ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        let trailing = path.unicodeScalars.last == "/" && !kept.isEmpty
        return "/" + kept.joined(separator: "/") + (trailing ? "/" : "")
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 stay on their day).
    fileprivate func quotientFloor(_ divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
