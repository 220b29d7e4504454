import PawnHTTP1
import PawnIO
import Testing

/// The router on its own: no sockets, requests in, responses out.
@Suite("Router")
struct RouterTests {
    func request(_ method: HTTPMethod, _ path: String) -> HTTPRequest {
        HTTPRequest(method: method, target: path, path: path, query: [], headers: HTTPHeaders(), body: [])
    }

    func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    func router(observer: (@Sendable (String?, HTTPMethod, Int, Double) -> Void)? = nil) -> Router {
        let json: HTTPErrorResponder = { status, code, message in
            HTTPResponse(status: status, headers: [:], body: Array("\(code): \(message)".utf8))
        }
        var router = Router(errorResponse: json, observer: observer)
        router.add(.get, "/item/fetch/{id}") { _, parameters in
            HTTPResponse(status: .ok, headers: [:], body: Array("one \(parameters["id"] ?? "-")".utf8))
        }
        router.add(.get, "/item/fetch") { _, _ in
            HTTPResponse(status: .ok, headers: [:], body: Array("many".utf8))
        }
        router.add(.post, "/item/add") { _, _ in HTTPResponse(status: .accepted, headers: [:], body: []) }
        router.add(.get, "/a/{x}/b/{y}") { _, p in
            HTTPResponse(status: .ok, headers: [:], body: Array("\(p["x"]!)-\(p["y"]!)".utf8))
        }
        return router
    }

    @Test("literal and parameter segments; the longer path is not matched by the shorter route")
    func matching() async {
        let router = router()
        #expect(text(await router.handle(request(.get, "/item/fetch/ring-1"))) == "one ring-1")
        #expect(text(await router.handle(request(.get, "/item/fetch"))) == "many")
        #expect(text(await router.handle(request(.get, "/a/1/b/2"))) == "1-2")
        #expect(await router.handle(request(.get, "/item/fetch/ring-1/extra")).status == .notFound)
        #expect(await router.handle(request(.get, "/a/1/c/2")).status == .notFound)
        #expect(
            await router.handle(request(.get, "/item/fetch/")).status == .ok,
            "a trailing slash is the same path")
    }

    @Test(
        "an unknown path is 404 and a known path with another method is 405 with Allow, both worded by the responder"
    )
    func notFoundAndWrongMethod() async {
        let router = router()
        let missing = await router.handle(request(.get, "/nowhere"))
        #expect(missing.status == .notFound)
        #expect(text(missing) == "notFound: no route for /nowhere")
        let wrong = await router.handle(request(.delete, "/item/add"))
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "POST")
        #expect(text(wrong).hasPrefix("methodNotAllowed: DELETE is not allowed on /item/add"))
    }

    @Test("HEAD is answered by the GET route")
    func headFallsBackToGet() async {
        #expect(text(await router().handle(request(.head, "/item/fetch"))) == "many")
    }

    @Test("the observer sees the route template, not the path, and nil for unmatched requests")
    func observerSeesTemplates() async {
        let seen = Locked<[(String?, Int)]>([])
        let router = router { route, _, status, seconds in
            #expect(seconds >= 0)
            seen.withLock { $0.append((route, status)) }
        }
        _ = await router.handle(request(.get, "/item/fetch/ring-9"))
        _ = await router.handle(request(.get, "/nowhere"))
        _ = await router.handle(request(.put, "/item/add"))
        let calls = seen.withLock { $0 }
        #expect(calls.map(\.0) == ["/item/fetch/{id}", nil, nil])
        #expect(calls.map(\.1) == [200, 404, 405])
    }
}
