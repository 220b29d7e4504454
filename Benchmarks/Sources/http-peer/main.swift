// The HTTP peer: Hummingbird 2 with the same two handlers as http-ours.
//   GET  /item/fetch/{id}  a fixed JSON body from memory
//   POST /echo             the request's JSON body back
// Usage: http-peer PORT
import Hummingbird

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18600
let item =
    #"{"item":{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12,"status":"inStock","version":1},"buys":[],"sells":[],"pawns":[],"redeems":[],"forfeits":[],"rejected":[]}"#

let router = Router()
router.get("/item/fetch/:id") { _, _ -> Response in
    Response(
        status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: item)))
}
router.post("/echo") { request, _ -> Response in
    let body = try await request.body.collect(upTo: 1 << 20)
    return Response(
        status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body)
    )
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
