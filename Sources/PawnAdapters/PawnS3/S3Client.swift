import Foundation
import PawnIO
import PawnSigV4

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where an S3-compatible service is and how to reach it.
public struct S3Configuration: Sendable {
    /// How a bucket is named in the URL.
    public enum Addressing: String, Sendable {
        /// `https://endpoint/bucket/key`: MinIO, moto, Ceph and most self-hosted servers.
        case path
        /// `https://bucket.endpoint/key`: AWS's default.
        case virtualHost
    }

    /// The service's base URL (`https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`).
    public var endpoint: URL
    /// The region signatures are scoped to.
    public var region: String
    /// Whose requests.
    public var credentials: AWSCredentials
    /// Path or virtual-host style.
    public var addressing: Addressing
    /// How long a request may take before it fails with ``S3Error/Code/timeout``.
    public var timeout: Duration

    /// A configuration; the endpoint must be an `http` or `https` URL with a host.
    public init(
        endpoint: URL, region: String = "us-east-1", credentials: AWSCredentials,
        addressing: Addressing = .path, timeout: Duration = .seconds(30)
    ) throws(S3Error) {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = endpoint.host, !host.isEmpty
        else {
            throw S3Error(.invalidConfiguration, "endpoint \(endpoint.absoluteString) is not an http(s) URL")
        }
        guard !region.isEmpty else { throw S3Error(.invalidConfiguration, "region is empty") }
        guard !credentials.accessKeyId.isEmpty, !credentials.secretAccessKey.isEmpty else {
            throw S3Error(.invalidConfiguration, "the access key id and the secret access key are required")
        }
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.addressing = addressing
        self.timeout = timeout
    }
}

/// Why an S3 request failed.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, as it appears on the wire and in JSON.
        public let rawValue: String

        /// A code named `rawValue`; codes this version does not know are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The configuration cannot work (no host, no credentials).
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// 403: the signature or the credentials were refused (S3's `SignatureDoesNotMatch`,
        /// `InvalidAccessKeyId`, `AccessDenied`).
        public static let accessDenied = Code(rawValue: "accessDenied")
        /// 404: no such bucket or key.
        public static let notFound = Code(rawValue: "notFound")
        /// The request took longer than the configured timeout.
        public static let timeout = Code(rawValue: "timeout")
        /// The endpoint could not be reached (refused, unresolvable, TLS failure).
        public static let unreachable = Code(rawValue: "unreachable")
        /// Any other answer: a 5xx, an unexpected status.
        public static let failed = Code(rawValue: "failed")

        public var description: String { rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence for people, with S3's own error code and message when it sent them.
    public var message: String
    /// The HTTP status, when the server answered.
    public var status: Int?

    /// An error.
    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// Whether trying again later may succeed.
    public var isRetryable: Bool { code == .timeout || code == .unreachable || code == .failed }

    public var description: String { status.map { "\(message) (HTTP \($0))" } ?? message }
}

/// An object downloaded to a temporary file, which is removed when this value goes away.
/// The body never sits in memory whole: read it with ``forEachLine(_:)``.
public final class S3Download: Sendable {
    /// The temporary file holding the body.
    public let file: URL
    /// The object's entity tag, for the next conditional GET.
    public let etag: String?
    /// The body's length in bytes.
    public let size: Int

    init(file: URL, etag: String?, size: Int) {
        self.file = file
        self.etag = etag
        self.size = size
    }

    deinit { try? FileManager.default.removeItem(at: file) }

    /// Calls `body` with the bytes of each line of the file (split on LF, the LF left out),
    /// read in 64 KiB chunks.
    public func forEachLine(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw S3Error(.failed, "cannot read the downloaded object at \(file.path)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        while let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try body(pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try body(pending[...]) }
    }
}

/// What a conditional GET found.
public enum S3GetResult: Sendable {
    /// The object's ETag is the one given: nothing was downloaded.
    case notModified
    /// The object, in a temporary file.
    case downloaded(S3Download)
}

/// A minimal S3 client: signed GET and PUT of objects, over Foundation's URLSession
/// (HTTPS included), with SigV4 signatures of our own. A GET's body is streamed into a
/// temporary file of ours as it arrives; the file is removed with its ``S3Download``, or at
/// once when the transfer fails.
public final class S3Client: Sendable {
    /// The configuration.
    public let configuration: S3Configuration
    private let session: URLSession
    private let transfers = S3Transfers()
    private let signer: SigV4Signer

    /// A client.
    public init(configuration: S3Configuration) {
        self.configuration = configuration
        let settings = URLSessionConfiguration.ephemeral
        settings.urlCache = nil
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        let seconds = configuration.timeout.seconds
        settings.timeoutIntervalForRequest = seconds
        settings.timeoutIntervalForResource = seconds
        session = URLSession(configuration: settings, delegate: transfers, delegateQueue: nil)
        signer = SigV4Signer(
            credentials: configuration.credentials, region: configuration.region, service: "s3")
    }

    deinit { session.invalidateAndCancel() }

    /// Downloads `key` of `bucket` to a temporary file, or answers ``S3GetResult/notModified``
    /// when its ETag is still `ifNoneMatch`.
    public func getObject(bucket: String, key: String, ifNoneMatch: String? = nil) async throws(S3Error)
        -> S3GetResult
    {
        var headers: [(name: String, value: String)] = []
        if let ifNoneMatch { headers.append(("If-None-Match", ifNoneMatch)) }
        let request = try makeRequest(method: "GET", bucket: bucket, key: key, headers: headers)
        let finished = try await perform(request)
        let status = finished.response?.statusCode ?? 0
        if status == 304 { return .notModified }
        guard status == 200, let file = finished.file else {
            throw Self.statusError(status, body: finished.errorBody, what: "s3://\(bucket)/\(key)")
        }
        return .downloaded(
            S3Download(
                file: file, etag: finished.response?.value(forHTTPHeaderField: "ETag"), size: finished.size))
    }

    /// Uploads `body` as `key` of `bucket`; returns the new ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8]) async throws(S3Error) -> String? {
        var request = try makeRequest(
            method: "PUT", bucket: bucket, key: key,
            headers: [], payloadHash: SHA256.hex(body))
        request.httpBody = Data(body)
        let finished = try await perform(request)
        if let file = finished.file { try? FileManager.default.removeItem(at: file) }
        guard finished.response?.statusCode == 200 else {
            throw Self.statusError(
                finished.response?.statusCode ?? 0, body: finished.errorBody, what: "s3://\(bucket)/\(key)")
        }
        return finished.response?.value(forHTTPHeaderField: "ETag")
    }

    /// Runs `request`; a transport failure becomes an ``S3Error``.
    private func perform(_ request: URLRequest) async throws(S3Error) -> S3Transfers.Finished {
        switch await transfers.run(request, on: session) {
        case .success(let finished): return finished
        case .failure(let error): throw error as? S3Error ?? Self.transportError(error, configuration)
        }
    }

    /// The signed request for `key` of `bucket`.
    func makeRequest(
        method: String, bucket: String, key: String, headers: [(name: String, value: String)],
        payloadHash: String = SigV4Signer.emptyPayloadHash, date: Date = Date()
    ) throws(S3Error) -> URLRequest {
        guard !bucket.isEmpty, !key.isEmpty else {
            throw S3Error(.invalidConfiguration, "the bucket and the key must not be empty")
        }
        let target = Self.target(configuration, bucket: bucket, key: key)
        guard let url = URL(string: target.url) else {
            throw S3Error(.invalidConfiguration, "cannot form a URL for s3://\(bucket)/\(key)")
        }
        let signed = signer.signedHeaders(
            for: SigV4Signer.Request(
                method: method, path: target.path, headers: [("Host", target.host)] + headers,
                payloadHash: payloadHash),
            at: date)
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in signed where name != "Host" { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// The URL, the `Host` header and the decoded path of an object.
    static func target(_ configuration: S3Configuration, bucket: String, key: String) -> (
        url: String, host: String, path: String
    ) {
        let endpoint = configuration.endpoint
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        var host = endpoint.host ?? ""
        if host.contains(":") { host = "[\(host)]" }
        if let port = endpoint.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            host += ":\(port)"
        }
        var base = endpoint.path
        while base.hasSuffix("/") { base.removeLast() }
        let path: String
        switch configuration.addressing {
        case .path:
            path = "\(base)/\(bucket)/\(key)"
        case .virtualHost:
            host = "\(bucket).\(host)"
            path = "\(base)/\(key)"
        }
        let encodedPath = SigV4Signer.segments(path).map(SigV4Signer.encode).joined(separator: "/")
        return ("\(scheme)://\(host)\(encodedPath)", host, path)
    }

    private static func transportError(_ error: any Error, _ configuration: S3Configuration) -> S3Error {
        let endpoint = configuration.endpoint.absoluteString
        guard let error = error as? URLError else {
            return S3Error(.unreachable, "cannot reach \(endpoint): \(error)")
        }
        switch error.code {
        case .timedOut:
            return S3Error(.timeout, "\(endpoint) did not answer within \(configuration.timeout)")
        default:
            return S3Error(.unreachable, "cannot reach \(endpoint): \(error.localizedDescription)")
        }
    }

    /// An error for an answer other than 200, with S3's `<Code>` and `<Message>` when the
    /// body carries them. (SPI for the fuzz harness `FuzzS3XML`.)
    @_spi(Fuzzing) public static func statusError(_ status: Int, body: [UInt8], what: String) -> S3Error {
        let text = String(decoding: body, as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let open = text.range(of: "<\(name)>"),
                let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
            else { return nil }
            return String(text[open.upperBound..<close.lowerBound])
        }
        let detail = [element("Code"), element("Message")].compactMap { $0 }.joined(separator: ": ")
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        switch status {
        case 401, 403:
            return S3Error(.accessDenied, "access to \(what) was refused\(suffix)", status: status)
        case 404:
            return S3Error(.notFound, "\(what) does not exist\(suffix)", status: status)
        default:
            return S3Error(.failed, "\(what) could not be fetched\(suffix)", status: status)
        }
    }
}
