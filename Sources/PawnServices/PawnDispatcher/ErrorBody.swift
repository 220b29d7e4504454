import PawnHTTP1

/// The JSON error body of SPEC §3: `{"error": {"code": …, "message": …, "field": …}}`.
public enum ErrorBody {
    /// A response with the error body and `Content-Type: application/json; charset=utf-8`.
    public static func response(_ status: HTTPStatus, code: String, message: String, field: String? = nil)
        -> HTTPResponse
    {
        var json = "{\"error\":{\"code\":" + JSONText.quote(code) + ",\"message\":" + JSONText.quote(message)
        if let field { json += ",\"field\":" + JSONText.quote(field) }
        json += "}}"
        return HTTPResponse(
            status: status, headers: ["Content-Type": JSONText.contentType], body: Array(json.utf8))
    }

    /// ``response(_:code:message:field:)`` as the HTTP server and router take it.
    public static let responder: HTTPErrorResponder = { status, code, message in
        response(status, code: code, message: message)
    }
}

/// Small JSON text helpers for bodies built without an encoder.
public enum JSONText {
    /// `application/json; charset=utf-8`.
    public static let contentType = "application/json; charset=utf-8"

    /// `value` as a JSON string literal, quotes included (the response bodies' escaping).
    public static func quote(_ value: String) -> String {
        let sink = JSONSink()
        sink.string(value)
        return String(decoding: sink.bytes, as: UTF8.self)
    }
}
