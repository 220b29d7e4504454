// Our side of the HTTP comparison: PawnShop's HTTP/1.1 server with the same two handlers
// as http-peer. Usage: http-ours PORT
import PawnHTTP1
import PawnIO

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18601
let item = Array(
    #"{"item":{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12,"status":"inStock","version":1},"buys":[],"sells":[],"pawns":[],"redeems":[],"forfeits":[],"rejected":[]}"#
        .utf8)

var router = Router()
router.add(.get, "/item/fetch/{id}") { _, _ in
    HTTPResponse(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: item)
}
router.add(.post, "/echo") { request, _ in
    HTTPResponse(
        status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: request.body)
}
let group = try EventLoopGroup()
let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), group: group, handler: router)
try server.start()
print("http-ours listening on \(port)")
while true { try await Task.sleep(for: .seconds(3600)) }
