// Implements one port, FraudList, with a plain text file (one name a line, re-read when it
// changes), runs the platform with it, and shows a listed client refused with 403.
import Foundation
import PawnIO
import PawnPlatform
import PawnPorts

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A fraud list kept in a local file. Any type conforming to `FraudList` will do: the
/// dispatcher only asks `contains`.
final class FileFraudList: FraudList {
    let path: String
    private let cache = Locked<(modified: Date?, names: Set<String>)>((nil, []))

    init(path: String) { self.path = path }

    func contains(_ client: String) async throws(FraudListError) -> Bool {
        do {
            return try lookUp(client)
        } catch {
            // The port's error says what kind of failure it was; the dispatcher answers 503.
            throw FraudListError(.unavailable, "cannot read \(path): \(error)")
        }
    }

    private func lookUp(_ client: String) throws -> Bool {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes[.modificationDate] as? Date
        let stale = cache.withLock { $0.modified != modified }
        if stale {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let names = Set(
                text.split(whereSeparator: \.isNewline).map { FraudNames.normalize(String($0)) }.filter {
                    !$0.isEmpty
                })
            cache.withLock { $0 = (modified, names) }
        }
        return cache.withLock { $0.names.contains(FraudNames.normalize(client)) }
    }
}

let listPath = FileManager.default.temporaryDirectory.appendingPathComponent("fraudsters-\(getpid()).txt")
    .path
try "Mallory\n  eve  \n".write(toFile: listPath, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(atPath: listPath) }

let platform = try EmbeddedPlatform(
    port: 0, workerCount: 1, fraudList: FileFraudList(path: listPath), loops: 1)
let port = try await platform.start()
print("platform on http://127.0.0.1:\(port) with a fraud list read from \(listPath)")

func buy(_ client: String) async throws -> (Int, String) {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/item/action/buy")!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(
        #"{"itemId":"ring-1","clientId":"\#(client)","price":100,"date":"2024-01-01"}"#.utf8)
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

for client in ["ana", "mallory", "EVE"] {
    let (status, body) = try await buy(client)
    print("\(client): \(status) \(body)")
}
await platform.stop(gracePeriod: .seconds(1))
