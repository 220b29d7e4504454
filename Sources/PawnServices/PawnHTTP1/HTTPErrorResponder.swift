/// How a server or a router words an answer it gives on its own (a malformed request, a
/// timeout, an unknown route, a wrong method): the status, a machine-readable code and a
/// sentence in, the response out. The application chooses the body's format; the
/// transport knows none.
public typealias HTTPErrorResponder =
    @Sendable (_ status: HTTPStatus, _ code: String, _ message: String) ->
    HTTPResponse

/// The error answers a transport gives when the application names none.
public enum HTTPErrorResponses {
    /// `text/plain; charset=utf-8` with the message as the body.
    public static let plainText: HTTPErrorResponder = { status, _, message in
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: Array((message + "\n").utf8))
    }
}

extension HTTPStatus {
    /// The machine-readable code of an error answer with this status when nothing more
    /// specific applies (`badRequest`, `notFound`, `requestTimeout`, …).
    public var errorCode: String {
        switch code {
        case 400: "badRequest"
        case 403: "forbidden"
        case 404: "notFound"
        case 405: "methodNotAllowed"
        case 408: "requestTimeout"
        case 413: "bodyTooLarge"
        case 415: "unsupportedMediaType"
        case 417: "expectationFailed"
        case 431: "headersTooLarge"
        case 501: "notImplemented"
        case 503: "unavailable"
        case 505: "versionNotSupported"
        default: "error"
        }
    }
}
