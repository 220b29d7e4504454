import PawnProtocol
import PawnTestSupport
import Testing

/// Our codec against Google's protoc, for every message type of the schema.
@Suite(
    "Interop with protoc",
    .enabled(
        if: Protoc.isAvailable,
        "protoc is not installed: run scripts/test.sh, which installs protobuf-compiler"))
struct ProtocInteropTests {
    @Test(
        "our bytes equal protoc's, protoc decodes ours to the same text, we decode protoc's",
        arguments: Samples.all)
    func sample(_ sample: Sample) throws {
        let theirs = try Protoc.encode(sample.type, text: sample.text)
        let ours = sample.encode()
        #expect(
            firstDifference(ours, theirs) == nil,
            "our \(ours.count) bytes differ from protoc's \(theirs.count)")
        let canonical = try Protoc.decode(sample.type, theirs)
        #expect(try Protoc.decode(sample.type, ours) == canonical)
        #expect(try sample.decodesEqual(theirs))
    }

    @Test("every message type of the schema has a sample")
    func coverage() throws {
        let schema =
            try String(
                contentsOf: Protoc.repositoryRoot.appendingPathComponent("Protos/pawnshop.proto"),
                encoding: .utf8)
            + String(
                contentsOf: Protoc.repositoryRoot.appendingPathComponent(
                    "Protos/grpc/health/v1/health.proto"), encoding: .utf8)
            + [
                "common/v1/common.proto", "resource/v1/resource.proto", "trace/v1/trace.proto",
                "collector/trace/v1/trace_service.proto",
            ].map {
                try String(
                    contentsOf: Protoc.repositoryRoot.appendingPathComponent(
                        "Protos/opentelemetry/proto/\($0)"),
                    encoding: .utf8)
            }.joined()
        let names = schema.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count >= 2 && words[0] == "message" ? String(words[1]) : nil
        }
        #expect(names.count == 43)
        let sampled = Set(Samples.all.map { $0.type.split(separator: ".").last.map(String.init) ?? "" })
        for name in names { #expect(sampled.contains(name), "no sample for \(name)") }
    }

    @Test("fields and enum values from a newer schema survive a decode and re-encode")
    func unknownFieldsAreKept() throws {
        let text = #"""
            id: "r" name: "Ring" category: Antiques price: -1 state: Broken ageInMonths: 2 status: ITEM_STATUS_IN_STOCK
            owner: "o" loan { clientId: "c" principal: 1 } version: 1 costBasis: 2
            provenance: "estate sale" codes: [1, 4294967295] delta: -99 ratio: 0.25 blob: "\001\002"
            previousLoan { clientId: "old" principal: 7 } tags: "a" tags: "b" checksum: 18446744073709551615
            """#
        let future = try Protoc.encode("pawnshop.future.Item", text: text)
        let item = try Wire.Item(serializedBytes: future)
        #expect(item.category == .unrecognized(7))
        #expect(item.state == .unrecognized(-3))
        #expect(item.owner == "o" && item.loan?.principal == 1)
        #expect(!item.unknownFields.isEmpty)
        let again = item.serializedBytes()
        #expect(again == future)
        #expect(
            try Protoc.decode("pawnshop.future.Item", again) == Protoc.decode("pawnshop.future.Item", future))

        // Unknown fields inside a nested message, and after repeated fields.
        let historyText = #"item { \#(text) } buys { clientId: "b" price: 3 } note: "kept""#
        let history = try Protoc.encode("pawnshop.future.ItemWithHistory", text: historyText)
        let decoded = try Wire.ItemWithHistory(serializedBytes: history)
        #expect(
            decoded.buys.count == 1 && !decoded.unknownFields.isEmpty
                && !(decoded.item?.unknownFields.isEmpty ?? true))
        #expect(decoded.serializedBytes() == history)
    }

    @Test("an unpacked repeated field decodes like a packed one")
    func unpackedRepeated() throws {
        let text = #"workerId: "w" partitions: 5 partitions: -1 partitions: 300"#
        let unpacked = try Protoc.encode("pawnshop.future.HeartbeatRequest", text: text)
        let packed = try Protoc.encode("pawnshop.v1.HeartbeatRequest", text: text)
        #expect(unpacked != packed)
        let fromUnpacked = try Wire.HeartbeatRequest(serializedBytes: unpacked)
        #expect(fromUnpacked.partitions == [5, -1, 300])
        #expect(try Wire.HeartbeatRequest(serializedBytes: packed) == fromUnpacked)
        #expect(fromUnpacked.serializedBytes() == packed)
        // Packed and unpacked runs of the same field concatenate.
        #expect(
            try Wire.HeartbeatRequest(serializedBytes: packed + unpacked).partitions == [
                5, -1, 300, 5, -1, 300,
            ])
    }

    @Test("a repeated singular message field merges, as protoc does")
    func singularMessagesMerge() throws {
        let first = try Protoc.encode("pawnshop.v1.AddItem", text: #"item { id: "a" price: 5 }"#)
        let second = try Protoc.encode("pawnshop.v1.AddItem", text: #"item { name: "n" }"#)
        let merged = try Wire.AddItem(serializedBytes: first + second)
        #expect(merged.item == Wire.Item(id: "a", name: "n", price: 5))
        #expect(
            try Protoc.decode("pawnshop.v1.AddItem", first + second)
                == Protoc.decode("pawnshop.v1.AddItem", merged.serializedBytes()))
    }

    @Test("protoc's raw decoder sees our field numbers and wire types")
    func rawDecode() throws {
        let raw = try Protoc.decodeRaw(Samples.zoo.serializedBytes())
        #expect(raw.contains("536870911: 42"))
        #expect(raw.contains("20: 300"))
        #expect(raw.contains("7: 0xdeadbeef"))
    }
}

/// The first offset at which two byte strings differ, or `nil` when they are equal; keeps
/// failure messages short for large messages.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    for index in 0..<min(a.count, b.count) where a[index] != b[index] { return index }
    return a.count == b.count ? nil : min(a.count, b.count)
}
