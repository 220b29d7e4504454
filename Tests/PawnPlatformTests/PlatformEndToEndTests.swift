import Foundation
import PawnHTTP1
import PawnPlatform
import PawnTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension Client {
    /// Waits until the worker has applied or rejected `eventId`; returns its status body.
    func settle(_ eventId: String) async throws -> [String: Any] {
        for _ in 0..<200 {
            let reply = try await get("/event/\(eventId)")
            if let status = reply.json["status"] as? String, status != "pending" { return reply.json }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("event \(eventId) still pending")
        return [:]
    }

    /// Posts, expects 202, waits for the outcome.
    @discardableResult
    func write(_ path: String, _ json: String) async throws -> [String: Any] {
        let reply = try await post(path, json)
        #expect(reply.status == 202, "\(path) \(json): \(reply.status) \(reply.text)")
        guard let eventId = reply.json["eventId"] as? String else { return [:] }
        return try await settle(eventId)
    }
}

/// The embedded platform on an ephemeral port.
func withPlatform(
    fraudsters: [String] = [], maxBody: Int? = nil, _ body: (Client, EmbeddedPlatform) async throws -> Void
) async throws {
    var http = HTTPServer.Configuration()
    if let maxBody { http.limits.maxBodyBytes = maxBody }
    let platform = try EmbeddedPlatform(port: 0, fraudsters: fraudsters, loops: 2, http: http)
    let port = try await platform.start()
    do {
        try await body(Client(base: "http://127.0.0.1:\(port)"), platform)
    } catch {
        await platform.stop(gracePeriod: .seconds(1))
        throw error
    }
    await platform.stop(gracePeriod: .seconds(1))
}

func addBody(
    _ id: String, name: String = "Gold ring", category: String = "Jewelry", price: Int = 10_000,
    extra: String = ""
) -> String {
    #"{"id":"\#(id)","name":"\#(name)","category":"\#(category)","price":\#(price),"state":"Good","ageInMonths":12\#(extra)}"#
}

@Suite("Platform end to end", .serialized)
struct PlatformEndToEndTests {
    @Test("a request the HTTP server refuses before routing gets the API's JSON error body")
    func parseErrorsAreJSON() async throws {
        try await withPlatform { client, _ in
            let socket = try RawSocket(port: URL(string: client.base)!.port!)
            try socket.send(
                "POST /item/add HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            let text = String(decoding: try socket.receiveAll(), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(text.contains("Content-Type: application/json; charset=utf-8\r\n"))
            #expect(
                text.hasSuffix(
                    #"{"error":{"code":"badRequest","message":"both Content-Length and Transfer-Encoding"}}"#)
            )
        }
    }

    @Test("a full lifecycle, read back with its history in order")
    func lifecycle() async throws {
        try await withPlatform { client, _ in
            #expect(try await client.write("/item/add", addBody("ring-1"))["status"] as? String == "applied")
            try await client.write(
                "/item/action/sell",
                #"{"itemId":"ring-1","clientId":"ana","price":15000,"date":"2024-03-01"}"#)
            try await client.write(
                "/item/action/pawn",
                #"{"itemId":"ring-1","clientId":"ana","price":5000,"tax":10,"limitDays":30,"date":"2024-03-02"}"#
            )
            try await client.write(
                "/item/action/redeem", #"{"itemId":"ring-1","clientId":"ana","date":"2024-03-20"}"#)
            try await client.write(
                "/item/action/buy", #"{"itemId":"ring-1","clientId":"ana","price":9000,"date":"2024-04-01"}"#)
            try await client.write(
                "/item/action/sell",
                #"{"itemId":"ring-1","clientId":"ben","price":16000,"date":"2024-04-02"}"#)
            try await client.write(
                "/item/action/pawn",
                #"{"itemId":"ring-1","clientId":"ben","price":4000,"tax":5,"limitDays":10,"date":"2024-04-03"}"#
            )
            try await client.write("/item/action/forfeit", #"{"itemId":"ring-1","date":"2024-04-20"}"#)

            let reply = try await client.get("/item/fetch/ring-1")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json; charset=utf-8")
            let item = try #require(reply.json["item"] as? [String: Any])
            #expect(
                item["status"] as? String == "inStock" && item["version"] as? Int == 8
                    && item["state"] as? String == "Good")
            let sells = try #require(reply.json["sells"] as? [[String: Any]])
            #expect(sells.map { $0["clientId"] as? String } == ["ana", "ben"])
            #expect(sells.map { $0["profit"] as? Int } == [5_000, 7_000])
            let pawns = try #require(reply.json["pawns"] as? [[String: Any]])
            #expect(pawns.map { $0["dueDate"] as? String } == ["2024-04-01", "2024-04-13"])
            #expect((reply.json["redeems"] as? [[String: Any]])?.count == 1)
            #expect((reply.json["buys"] as? [[String: Any]])?.first?["price"] as? Int == 9_000)
            #expect((reply.json["forfeits"] as? [[String: Any]])?.first?["date"] as? String == "2024-04-20")
            #expect((reply.json["rejected"] as? [Any])?.isEmpty == true)
            // The original's query form.
            #expect(try await client.get("/item/fetch?id=ring-1").json["item"] != nil)
        }
    }

    @Test("a rejected action is in the history and in GET /event")
    func rejectedAction() async throws {
        try await withPlatform { client, _ in
            try await client.write("/item/add", addBody("watch-1"))
            let reply = try await client.post(
                "/item/action/redeem", #"{"itemId":"watch-1","clientId":"ana","date":"2024-03-20"}"#)
            let eventId = try #require(reply.json["eventId"] as? String)
            let status = try await client.settle(eventId)
            #expect(status["status"] as? String == "rejected")
            #expect(status["code"] as? String == "actionNotAllowed")
            #expect((status["reason"] as? String)?.contains("inStock") == true)
            let history = try await client.get("/item/fetch/watch-1").json
            let rejected = try #require(history["rejected"] as? [[String: Any]])
            #expect(
                rejected.count == 1 && rejected[0]["eventId"] as? String == eventId
                    && rejected[0]["action"] as? String == "redeem")
            // A second add of the same id is rejected too.
            #expect(
                try await client.write("/item/add", addBody("watch-1"))["code"] as? String
                    == "itemAlreadyExists")
            #expect(try await client.get("/event/never-seen").status == 404)
            #expect(try await client.get("/event/bad%20id").status == 400)
        }
    }

    @Test("fetch by name, category, state and status, page by page")
    func queries() async throws {
        try await withPlatform { client, _ in
            for index in 0..<25 {
                let category = index % 2 == 0 ? "Motor" : "Reading"
                try await client.write(
                    "/item/add",
                    addBody(
                        String(format: "item-%02d", index), name: index < 5 ? "Vespa" : "Book \(index)",
                        category: category))
            }
            var seen: [String] = []
            var after: String? = nil
            repeat {
                let reply = try await client.get(
                    "/item/fetch?category=Motor&limit=5" + (after.map { "&after=\($0)" } ?? ""))
                #expect(reply.status == 200)
                seen += (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                after = reply.json["next"] as? String
            } while after != nil
            #expect(seen == (0..<25).filter { $0 % 2 == 0 }.map { String(format: "item-%02d", $0) })
            #expect((try await client.get("/item/fetch?name=Vespa").json["items"] as? [Any])?.count == 5)
            #expect(
                (try await client.get("/item/fetch?state=Good&limit=1000").json["items"] as? [Any])?.count
                    == 25)
            #expect(
                (try await client.get("/item/fetch?status=pawned").json["items"] as? [Any])?.isEmpty == true)
            #expect(try await client.get("/item/fetch?status=lost").errorField == "status")
            #expect(try await client.get("/item/fetch?category=Motor&limit=0").errorField == "limit")
            #expect(try await client.get("/item/fetch?category=Motor&limit=1001").errorField == "limit")
            #expect(try await client.get("/item/fetch?category=Motor&name=x").status == 400)
            #expect(try await client.get("/item/fetch").status == 400)
        }
    }

    @Test("hostile JSON: deep nesting, out-of-range numbers, invalid UTF-8, duplicate keys are 400s")
    func hostileJSON() async throws {
        try await withPlatform { client, _ in
            func post(_ bytes: [UInt8]) async throws -> Reply {
                try await client.send(
                    "POST", "/item/add", body: Data(bytes), headers: ["Content-Type": "application/json"])
            }
            let deep =
                Array(#"{"id":"#.utf8) + [UInt8](repeating: 0x5B, count: 100_000)
                + [UInt8](repeating: 0x5D, count: 100_000) + Array("}".utf8)
            let invalidUTF8 =
                Array(#"{"id":"x","name":""#.utf8) + [0xC3, 0x28, 0xFF]
                + Array(#"","category":"Jewelry","price":1,"state":"Good","ageInMonths":1}"#.utf8)
            var cases: [(String, [UInt8], String)] = [
                ("100,000-deep nesting", deep, "malformedJSON"),
                ("invalid UTF-8", invalidUTF8, "malformedJSON"),
            ]
            for number in ["1e400", "-1e400", "99999999999999999999", "9223372036854775808", "1e19"] {
                cases.append(
                    (
                        "price \(number)",
                        Array(addBody("x").replacingOccurrences(of: "10000", with: number).utf8),
                        "invalidType"
                    ))
            }
            // Two values for one field: which one a parser keeps differs between parsers (a
            // proxy may see the other one), so neither is taken.
            cases.append(
                ("duplicate price", Array(addBody("x", extra: #","price":1"#).utf8), "duplicateField"))
            cases.append(
                (
                    "duplicate id, escaped", Array(addBody("x", extra: #","\u0069d":"y""#).utf8),
                    "duplicateField"
                ))
            for (name, body, code) in cases {
                let reply = try await post(body)
                #expect(reply.status == 400, "\(name): \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.errorCode == code, "\(name): \(reply.text.prefix(200))")
            }
            // A nested object may repeat a key of the outer one (unknown fields are ignored).
            let nested = addBody("n", extra: #","note":{"price":1,"id":"z"}"#)
            #expect(try await client.post("/item/add", nested).status == 202)
            #expect(try await client.get("/health/live").status == 200)
        }
    }

    @Test("every error status of SPEC §3, with a JSON body")
    func errors() async throws {
        try await withPlatform(fraudsters: ["Mallory"], maxBody: 4096) { client, platform in
            func check(_ reply: Reply, _ status: Int, _ code: String, field: String? = nil) {
                #expect(reply.status == status, "\(reply.text)")
                #expect(reply.errorCode == code, "\(reply.text)")
                if let field { #expect(reply.errorField == field, "\(reply.text)") }
                #expect(reply.headers["content-type"] == "application/json; charset=utf-8")
            }
            check(try await client.post("/item/add", "{not json"), 400, "malformedJSON")
            check(try await client.post("/item/add", ""), 400, "malformedJSON")
            check(
                try await client.post("/item/add", addBody("x", category: "Food")), 400, "invalidEnumValue",
                field: "category")
            check(
                try await client.post(
                    "/item/add", #"{"id":"x","name":"n","category":"Motor","price":1,"ageInMonths":1}"#), 400,
                "missingField", field: "state")
            check(
                try await client.post(
                    "/item/add",
                    #"{"id":"x","name":"n","category":"Motor","price":"1","state":"New","ageInMonths":1}"#),
                400, "invalidType", field: "price")
            check(
                try await client.post(
                    "/item/add",
                    #"{"id":"x","name":"n","category":"Motor","price":1.5,"state":"New","ageInMonths":1}"#),
                400, "invalidType", field: "price")
            check(
                try await client.post("/item/add", addBody("x", price: -1)), 400, "invalidField",
                field: "price")
            check(try await client.post("/item/add", addBody("bad id")), 400, "invalidField", field: "itemId")
            check(
                try await client.post(
                    "/item/action/pawn",
                    #"{"itemId":"x","clientId":"c","price":5,"tax":101,"limitDays":3,"date":"2024-01-01"}"#),
                400, "invalidField", field: "tax")
            check(
                try await client.post(
                    "/item/action/buy", #"{"itemId":"x","clientId":"c","price":5,"date":"2024-02-30"}"#), 400,
                "invalidDate", field: "date")
            check(
                try await client.post("/item/add", addBody("x"), contentType: "text/plain"), 415,
                "unsupportedMediaType")
            check(
                try await client.post("/item/add", String(repeating: " ", count: 5000)), 413, "bodyTooLarge")
            check(try await client.get("/nothing/here"), 404, "notFound")
            check(try await client.get("/item/fetch/missing"), 404, "itemNotFound")
            let wrongMethod = try await client.get("/item/add")
            check(wrongMethod, 405, "methodNotAllowed")
            #expect(wrongMethod.headers["allow"] == "POST")
            check(
                try await client.post(
                    "/item/action/buy",
                    #"{"itemId":"x","clientId":" mallory ","price":5,"date":"2024-01-01"}"#), 403,
                "fraudulentClient", field: "clientId")
            check(
                try await client.post("/item/add", addBody("x", extra: #","owner":"MALLORY""#)), 403,
                "fraudulentClient", field: "owner")

            let socket = try RawSocket(port: Int(URL(string: client.base)!.port!))
            try socket.send(
                "GET /health/live HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 17_000)
                    + "\r\n\r\n")
            let text = String(decoding: try socket.receiveAll(), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 431 ") && text.contains(#""code":"headersTooLarge""#))
            #expect(platform.store.counts.items == 0)  // nothing bad reached the workers
        }
    }

    @Test("an Idempotency-Key makes a retried POST return the first answer")
    func idempotency() async throws {
        try await withPlatform { client, platform in
            let body = addBody("lamp-1")
            let first = try await client.post("/item/add", body, headers: ["Idempotency-Key": "k-1"])
            let second = try await client.post("/item/add", body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 202 && second.status == 202)
            #expect(first.body == second.body)
            #expect(platform.log.records(topic: "items").count == 1)
            let other = try await client.post(
                "/item/add", addBody("lamp-2"), headers: ["Idempotency-Key": "k-1"])
            #expect(other.status == 422 && other.errorCode == "idempotencyKeyReused")
            // Without a key, the same body is a new event (and the add is then rejected).
            let third = try await client.post("/item/add", body)
            #expect(third.status == 202 && third.body != first.body)
        }
    }

    @Test func healthAndMetrics() async throws {
        try await withPlatform { client, platform in
            #expect(try await client.get("/health/live").status == 200)
            let ready = try await client.get("/health/ready")
            #expect(ready.status == 200 && ready.json["workers"] as? Int == 2)
            _ = try await client.get("/item/fetch/none")
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(
                metrics.text.contains(
                    #"pawnshop_http_requests_total{route="/item/fetch/{id}",method="GET",status="404"} 1"#))
            #expect(metrics.text.contains("pawnshop_http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("pawnshop_workers 2"))
            platform.log.setReachable(false)
            let notReady = try await client.get("/health/ready")
            #expect(notReady.status == 503 && notReady.json["eventLog"] as? Bool == false)
            let refused = try await client.post("/item/add", addBody("x"))
            #expect(refused.status == 503 && refused.errorCode == "eventLogUnavailable")
            platform.log.setReachable(true)
        }
    }

    @Test(.enabled(if: curlAvailable, "curl is not installed: run scripts/test.sh"))
    func curlDrivesTheAPI() async throws {
        try await withPlatform { client, _ in
            let curl = Command.find("curl")!
            let added = try Command.run(
                curl,
                [
                    "-sS", "-X", "POST", "\(client.base)/item/add", "-H", "Content-Type: application/json",
                    "-d", addBody("desk-1"),
                ])
            #expect(added.text.contains(#""itemId":"desk-1""#))
            let eventId = try #require(
                (try JSONSerialization.jsonObject(with: Data(added.stdout)) as? [String: Any])?["eventId"]
                    as? String)
            _ = try await client.settle(eventId)
            let fetched = try Command.run(
                curl, ["-sS", "-w", "%{http_code}", "\(client.base)/item/fetch/desk-1"])
            #expect(fetched.text.hasSuffix("200") && fetched.text.contains(#""id":"desk-1""#))
            let status = try Command.run(
                curl,
                [
                    "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
                    "\(client.base)/item/fetch/desk-1",
                ])
            #expect(status.text == "405")
        }
    }
}
