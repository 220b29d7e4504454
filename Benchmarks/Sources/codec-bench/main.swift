// The codec comparison: PawnProtocol's hand-written codec against swift-protobuf's
// generated code for the same schema, on the same messages:
//   - an ItemWithHistory with 100 events, and
//   - a FetchItemsResponse of 100 items.
// Prints one line per case: `case ours-ns peer-ns bytes ours-allocations peer-allocations`
// (allocations per operation, counted by CMallocCounter). Usage: codec-bench [seconds]
// `codec-bench --write DIR` writes the two messages' encodings to DIR instead (for the C++
// protobuf anchor, Benchmarks/cpp/codec_anchor.cc). `codec-bench SECONDS peer-first` measures
// swift-protobuf first in each pair (Benchmarks/run.sh alternates the order).
import CMallocCounter
import Glibc
import PawnProtocol
import SwiftProtobuf

let arguments = Array(CommandLine.arguments.dropFirst())
let seconds = Double(arguments.first ?? "") ?? 1.0

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Nanoseconds per call of `body`, over about `seconds`, after a warm-up.
func measure(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    for _ in 0..<1_000 { body() }
    var iterations = 1_000
    while true {
        let start = clock.now
        for _ in 0..<iterations { body() }
        let elapsed = start.duration(to: clock.now)
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        if nanos >= seconds * 1e9 { return nanos / Double(iterations) }
        iterations = nanos < 1e6 ? iterations * 10 : Int(Double(iterations) * seconds * 1.1e9 / nanos)
    }
}

// MARK: - The same data, built for both codecs

struct Row {
    let buy: (String, Int64, String, String)
}

func ours() -> (Wire.ItemWithHistory, Wire.FetchItemsResponse) {
    var history = Wire.ItemWithHistory(
        item: Wire.Item(
            id: "item-7f3a9c2e", name: "Vintage Omega Seamaster wristwatch", category: .jewelry,
            price: 245_000,
            state: .good, ageInMonths: 480, status: .pawned,
            loan: Wire.Loan(
                clientId: "client-000123", principal: 90_000, interestPercent: 12, startDate: "2024-05-01",
                dueDate: "2024-07-30"),
            version: 101, costBasis: 180_000))
    for i in 0..<25 {
        history.buys.append(
            Wire.Buy(
                clientId: "client-\(100_000 + i)", itemId: "item-7f3a9c2e", price: 150_000 + Int64(i),
                date: "2023-01-15", eventId: "0b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
        history.sells.append(
            Wire.Sell(
                clientId: "client-\(200_000 + i)", itemId: "item-7f3a9c2e", price: 190_000 + Int64(i),
                date: "2023-02-15", profit: 40_000, eventId: "1b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)")
        )
    }
    for i in 0..<20 {
        history.pawns.append(
            Wire.Pawn(
                clientId: "client-\(300_000 + i)", itemId: "item-7f3a9c2e", price: 90_000, tax: 12,
                date: "2023-03-15", limitDays: 90, eventId: "2b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<15 {
        history.redeems.append(
            Wire.Redeem(
                clientId: "client-\(300_000 + i)", itemId: "item-7f3a9c2e", date: "2023-04-15",
                eventId: "3b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<10 {
        history.forfeits.append(
            Wire.Forfeit(
                itemId: "item-7f3a9c2e", date: "2023-06-15",
                eventId: "4b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<5 {
        history.rejected.append(
            Wire.RejectedEvent(
                eventId: "5b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)", itemId: "item-7f3a9c2e",
                action: .sell, code: "actionNotAllowed",
                reason: "cannot sell item item-7f3a9c2e: it is pawned, not inStock",
                clientId: "client-\(400_000 + i)", date: "2023-07-01"))
    }
    var page = Wire.FetchItemsResponse(next: "item-10099")
    for i in 0..<100 {
        var item = Wire.Item(
            id: "item-\(10_000 + i)", name: "Item number \(i) of the catalogue", category: .electronics)
        item.price = 1_000 + Int64(i) * 37
        item.state = .good
        item.ageInMonths = Int32(i)
        item.status = i % 3 == 0 ? .withClient : .inStock
        item.owner = i % 3 == 0 ? "client-\(i)" : nil
        item.version = 3
        item.costBasis = 900
        page.items.append(item)
    }
    return (history, page)
}

/// The same messages as swift-protobuf values: decoded from our encoding, which the
/// interop tests prove byte-identical to protoc's.
func peer(_ history: Wire.ItemWithHistory, _ page: Wire.FetchItemsResponse) throws -> (
    Pawnshop_V1_ItemWithHistory, Pawnshop_V1_FetchItemsResponse
) {
    let peerHistory = try Pawnshop_V1_ItemWithHistory(serializedBytes: history.serializedBytes())
    let peerPage = try Pawnshop_V1_FetchItemsResponse(serializedBytes: page.serializedBytes())
    guard try peerHistory.serializedBytes() as [UInt8] == history.serializedBytes(),
        try peerPage.serializedBytes() as [UInt8] == page.serializedBytes()
    else { fatalError("the two codecs do not agree on the bytes") }
    return (peerHistory, peerPage)
}

let (history, page) = ours()
let (peerHistory, peerPage) = try peer(history, page)
let historyBytes = history.serializedBytes()
let pageBytes = page.serializedBytes()

if arguments.first == "--write", arguments.count == 2 {
    for (name, bytes) in [("ItemWithHistory-100", historyBytes), ("FetchItemsResponse-100", pageBytes)] {
        let path = "\(arguments[1])/\(name).bin"
        guard let file = fopen(path, "wb"), fwrite(bytes, 1, bytes.count, file) == bytes.count else {
            fatalError("cannot write \(path)")
        }
        fclose(file)
    }
    exit(0)
}

/// Heap allocations per call of `body`, over 1,000 calls.
func allocations(_ body: () -> Void) -> Double {
    body()
    let before = pawn_allocation_count()
    for _ in 0..<1_000 { body() }
    return Double(pawn_allocation_count() - before) / 1_000
}

func line(_ name: String, _ ours: @escaping () -> Void, _ peer: @escaping () -> Void, _ bytes: Int) {
    let peerMeasuredFirst = arguments.contains("peer-first") ? measure(peer) : nil
    let oursNs = measure(ours)
    let peerNs = peerMeasuredFirst ?? measure(peer)
    let (oursAllocations, peerAllocations) = (allocations(ours), allocations(peer))
    print(
        "\(name) \(format2(oursNs)) \(format2(peerNs)) \(bytes) \(format2(oursAllocations)) \(format2(peerAllocations))"
    )
}

func format2(_ value: Double) -> String { String((value * 10).rounded() / 10) }

line(
    "encode-ItemWithHistory-100", { blackHole(history.serializedBytes()) },
    { blackHole(try! peerHistory.serializedBytes() as [UInt8]) }, historyBytes.count)
line(
    "decode-ItemWithHistory-100",
    { blackHole(try? Wire.ItemWithHistory(serializedBytes: historyBytes)) },
    { blackHole(try? Pawnshop_V1_ItemWithHistory(serializedBytes: historyBytes)) }, historyBytes.count
)
line(
    "encode-FetchItemsResponse-100", { blackHole(page.serializedBytes()) },
    { blackHole(try! peerPage.serializedBytes() as [UInt8]) }, pageBytes.count)
line(
    "decode-FetchItemsResponse-100",
    { blackHole(try? Wire.FetchItemsResponse(serializedBytes: pageBytes)) },
    { blackHole(try? Pawnshop_V1_FetchItemsResponse(serializedBytes: pageBytes)) }, pageBytes.count)
