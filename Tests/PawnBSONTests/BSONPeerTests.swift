import Foundation
import PawnBSON
import PawnDomain
import PawnMongo
import PawnTestSupport
import Testing

/// Python's `bson` module (pymongo's, with its C extension) as an independent peer: it
/// writes the same documents, and our bytes must equal its bytes; it reads ours back.
@Suite(.enabled(if: BSONPeer.available))
struct BSONPeerTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    /// Runs `script` with our bytes on standard input, off the cooperative pool.
    static func python(_ script: String, input: [UInt8]) async throws -> String {
        try await offPool {
            let result = try Command.run(Command.find("python3")!, ["-c", script], input: input)
            guard result.status == 0 else { throw Command.Failure(result) }
            return result.text
        }
    }

    @Test func ourBytesEqualPythonsAndPythonReadsThem() async throws {
        let ours = BSONSamples.everyType.bytes
        let script =
            BSONSamples.everyTypeInPython + """

                import sys, bson
                ours = sys.stdin.buffer.read()
                print(bson.encode(doc).hex())
                decoded = bson.decode(ours)
                print(list(decoded.keys()) == list(doc.keys()))
                print(bson.encode(decoded).hex())
                print(type(decoded["int64"]).__name__, type(decoded["int32"]).__name__, decoded["datetime"])
                """
        let lines = try await Self.python(script, input: ours).split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(lines[0] == Self.hex(ours), "pymongo's bytes differ from ours")
        #expect(lines[1] == "True")
        #expect(lines[2] == Self.hex(ours), "pymongo read ours and wrote something else")
        #expect(lines[3] == "Int64 int 2023-11-14 22:13:20.123000")
        // And we read pymongo's bytes to the same document.
        #expect(try BSONDocument(bytes: Self.bytes(hex: lines[0])) == BSONSamples.everyType)
    }

    @Test func pythonReadsOurEncodedDomainTypes() async throws {
        let item = try BSONEncoder().encode(BSONSamples.pawnedItem)
        let script = """
            import sys, bson, json
            d = bson.decode(sys.stdin.buffer.read())
            print(json.dumps({k: type(v).__name__ for k, v in d.items()}))
            print(json.dumps({k: v for k, v in d["loan"].items()}))
            """
        let lines = try await Self.python(script, input: item.bytes).split(separator: "\n")
        try #require(lines.count == 2)
        let types = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
        #expect(
            types == [
                "id": "str", "name": "str", "category": "str", "price": "Int64", "state": "str",
                "ageInMonths": "int", "status": "str", "loan": "dict", "costBasis": "Int64",
                "version": "Int64",
                "appliedEventIds": "list",
            ])
        let loan = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(loan?["dueDate"] as? String == "2024-03-30")
        #expect(loan?["principal"] as? Int == 8000)
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

/// Whether the peer can run; says why not when it cannot.
enum BSONPeer {
    static var available: Bool {
        if Python.available(["bson"]) { return true }
        print("skipped: python3 with pymongo's bson module is not installed (scripts/install-test-deps.sh)")
        return false
    }
}
