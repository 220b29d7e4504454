// Adds an item that a client holds, pawns it, redeems it, and prints its history, through
// PawnShop's HTTP API. Usage: HTTPClient [BASE_URL]   (default http://127.0.0.1:8080)
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

let base = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:8080"
let itemId = "example-\(UInt32.random(in: 0 ... .max))"

struct Failure: Error, CustomStringConvertible {
    let description: String
}

/// Sends a request; returns the status and the JSON object of the answer.
func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> (Int, [String: Any])
{
    var request = URLRequest(url: URL(string: base + path)!)
    request.httpMethod = method
    if let body {
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
}

/// Posts a write, then waits until a worker has applied it.
func write(_ path: String, _ body: [String: Any]) async throws {
    let (status, accepted) = try await call("POST", path, body)
    guard status == 202, let eventId = accepted["eventId"] as? String else {
        throw Failure(description: "\(path) answered \(status): \(accepted)")
    }
    for _ in 0..<100 {
        let (_, event) = try await call("GET", "/event/\(eventId)")
        switch event["status"] as? String {
        case "applied":
            print("\(path): applied")
            return
        case "rejected":
            throw Failure(description: "\(path) was rejected: \(event["reason"] ?? "")")
        default:
            try await Task.sleep(for: .milliseconds(20))
        }
    }
    throw Failure(description: "\(path) is still pending")
}

try await write(
    "/item/add",
    [
        "id": itemId, "name": "Fender Stratocaster", "category": "Collection", "price": 80_000,
        "state": "Good",
        "ageInMonths": 240, "owner": "ana",
    ])
try await write(
    "/item/action/pawn",
    [
        "itemId": itemId, "clientId": "ana", "price": 30_000, "tax": 8, "limitDays": 30, "date": "2024-04-01",
    ])
try await write("/item/action/redeem", ["itemId": itemId, "clientId": "ana", "date": "2024-04-20"])

let (status, history) = try await call("GET", "/item/fetch/\(itemId)")
guard status == 200, let item = history["item"] as? [String: Any] else {
    throw Failure(description: "fetch answered \(status)")
}
print(
    "item \(item["id"]!): \(item["name"]!), \(item["status"]!), owner \(item["owner"] ?? "none"), version \(item["version"]!)"
)
for pawn in history["pawns"] as? [[String: Any]] ?? [] {
    print(
        "  pawned by \(pawn["clientId"]!) for \(pawn["price"]!) cents on \(pawn["date"]!), due \(pawn["dueDate"]!)"
    )
}
for redeem in history["redeems"] as? [[String: Any]] ?? [] {
    print("  redeemed by \(redeem["clientId"]!) on \(redeem["date"]!)")
}
