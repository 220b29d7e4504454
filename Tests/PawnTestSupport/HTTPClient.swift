import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A response as a client sees it.
public struct Reply: Sendable {
    /// The status code.
    public let status: Int
    /// Header fields, names lowercased.
    public let headers: [String: String]
    /// The body.
    public let body: Data

    /// The body as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }
    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
    /// `error.code` of an error body.
    public var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    /// `error.field` of an error body.
    public var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
}

/// A client for the platform under test, on URLSession.
public struct Client: Sendable {
    /// `http://host:port`.
    public let base: String
    let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        return URLSession(configuration: configuration)
    }()

    /// GET `path`.
    public func get(_ path: String) async throws -> Reply { try await send("GET", path) }

    /// POST `json` to `path`.
    public func post(
        _ path: String, _ json: String, contentType: String = "application/json",
        headers: [String: String] = [:]
    ) async throws
        -> Reply
    {
        try await send(
            "POST", path, body: Data(json.utf8),
            headers: headers.merging(["Content-Type": contentType]) { a, _ in a })
    }

    /// Any request.
    public func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:])
        async throws -> Reply
    {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name).lowercased()] = String(describing: value)
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// A client of the server at `base`.
    public init(base: String) { self.base = base }
}
