// pawn-bench: micro-benchmarks of the pure modules, for release builds.
//
//   swift run -c release pawn-bench [codec|domain|all] [--seconds S]
//   swift run -c release pawn-bench kafka-produce|kafka-consume|pipeline|raw-mongo|ordering|write-latency …  (scripts/bench-kafka.sh)
//
// Each case runs for about S seconds (default 1) after a warm-up and prints ns/op and,
// for the codec, MB/s of encoded bytes. The "Benchmarks" package compares these same
// cases with swift-protobuf; this executable needs nothing but the toolchain.
import Glibc
import PawnDomain
import PawnIO
import PawnProtocol

struct Options {
    var suites: Set<String> = ["codec", "domain"]
    var seconds = 1.0

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        var chosen: Set<String> = []
        while let argument = rest.popFirst() {
            switch argument {
            case "--seconds":
                guard let value = rest.popFirst().flatMap(Double.init), value > 0 else {
                    fail("--seconds needs a positive number")
                }
                seconds = value
            case "codec", "domain": chosen.insert(argument)
            case "all": chosen.formUnion(["codec", "domain"])
            case "-h", "--help":
                print("usage: pawn-bench [codec|domain|all] [--seconds S]")
                exit(0)
            default: fail("unknown argument '\(argument)'; try --help")
            }
        }
        if !chosen.isEmpty { suites = chosen }
    }
}

func fail(_ message: String) -> Never {
    print("pawn-bench: \(message)")
    exit(2)
}

/// Keeps a value alive so the optimiser cannot delete the work that made it.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Runs `body` repeatedly for about `seconds`; returns nanoseconds per call.
func measure(seconds: Double, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    for _ in 0..<1_000 { body() }  // warm-up
    var iterations = 1_000
    while true {
        let start = clock.now
        for _ in 0..<iterations { body() }
        let elapsed = start.duration(to: clock.now)
        let nanos = elapsed.seconds * 1e9
        if nanos >= seconds * 1e9 || iterations >= 1 << 30 { return nanos / Double(iterations) }
        iterations = nanos < 1e6 ? iterations * 10 : Int(Double(iterations) * seconds * 1.1e9 / nanos)
    }
}

func report(_ name: String, nsPerOp: Double, bytes: Int? = nil) {
    var line = name.padding(toLength: 44) + format(nsPerOp).leftPadding(toLength: 12) + " ns/op"
    if let bytes {
        let mbPerSecond = Double(bytes) / nsPerOp * 1e9 / 1e6
        line += format(mbPerSecond).leftPadding(toLength: 10) + " MB/s  (\(bytes) bytes)"
    }
    print(line)
}

func format(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return String(scaled)
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
    func leftPadding(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}

// MARK: - Codec

/// An item with 100 events in its history: 25 buys, 25 sells, 20 pawns, 15 redeems,
/// 10 forfeits and 5 rejected events, with realistic ids, dates and amounts.
func itemWithHistory() -> Wire.ItemWithHistory {
    let item = Wire.Item(
        id: "item-7f3a9c2e", name: "Vintage Omega Seamaster wristwatch", category: .jewelry, price: 245_000,
        state: .good, ageInMonths: 480, status: .pawned, owner: nil,
        loan: Wire.Loan(
            clientId: "client-000123", principal: 90_000, interestPercent: 12, startDate: "2024-05-01",
            dueDate: "2024-07-30"),
        version: 101, costBasis: 180_000)
    var history = Wire.ItemWithHistory(item: item)
    for i in 0..<25 {
        history.buys.append(
            Wire.Buy(
                clientId: "client-\(100_000 + i)", itemId: item.id, price: 150_000 + Int64(i) * 1_000,
                date: "2023-01-\(10 + i % 18)", eventId: "0b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
        history.sells.append(
            Wire.Sell(
                clientId: "client-\(200_000 + i)", itemId: item.id, price: 190_000 + Int64(i) * 1_000,
                date: "2023-02-\(10 + i % 18)", profit: 40_000,
                eventId: "1b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<20 {
        history.pawns.append(
            Wire.Pawn(
                clientId: "client-\(300_000 + i)", itemId: item.id, price: 90_000, tax: 12,
                date: "2023-03-\(10 + i % 18)", limitDays: 90,
                eventId: "2b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<15 {
        history.redeems.append(
            Wire.Redeem(
                clientId: "client-\(300_000 + i)", itemId: item.id, date: "2023-04-\(10 + i % 18)",
                eventId: "3b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<10 {
        history.forfeits.append(
            Wire.Forfeit(
                itemId: item.id, date: "2023-06-\(10 + i % 18)",
                eventId: "4b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)"))
    }
    for i in 0..<5 {
        history.rejected.append(
            Wire.RejectedEvent(
                eventId: "5b1c2d3e-0000-4000-8000-\(100_000_000_000 + i)", itemId: item.id, action: .sell,
                code: "actionNotAllowed", reason: "cannot sell item item-7f3a9c2e: it is pawned, not inStock",
                clientId: "client-\(400_000 + i)", date: "2023-07-01"))
    }
    return history
}

/// A page of 100 items, as FetchItemsByCategory returns.
func itemsPage() -> Wire.FetchItemsResponse {
    var page = Wire.FetchItemsResponse(next: "item-10099")
    for i in 0..<100 {
        let withClient = i % 3 == 0
        var item = Wire.Item(
            id: "item-\(10_000 + i)", name: "Item number \(i) of the catalogue", category: .electronics)
        item.price = 1_000 + Int64(i) * 37
        item.state = .good
        item.ageInMonths = Int32(i)
        item.status = withClient ? .withClient : .inStock
        item.owner = withClient ? "client-\(i)" : nil
        item.version = 3
        item.costBasis = 900
        page.items.append(item)
    }
    return page
}

func benchCodec(seconds: Double) {
    print("codec (PawnProtocol, hand-written proto3)")
    for (name, encodeOnce, decodeOnce, size) in [
        codecCase("ItemWithHistory, 100 events", itemWithHistory()),
        codecCase("FetchItemsResponse, 100 items", itemsPage()),
    ] {
        report("  encode \(name)", nsPerOp: measure(seconds: seconds, encodeOnce), bytes: size)
        report("  decode \(name)", nsPerOp: measure(seconds: seconds, decodeOnce), bytes: size)
    }
}

func codecCase<M: ProtoMessage>(_ name: String, _ message: M) -> (String, () -> Void, () -> Void, Int) {
    let bytes = message.serializedBytes()
    guard (try? M(serializedBytes: bytes)) == message else { fail("\(name) does not round-trip") }
    return (
        name, { blackHole(message.serializedBytes()) }, { blackHole(try? M(serializedBytes: bytes)) },
        bytes.count
    )
}

// MARK: - Domain

func benchDomain(seconds: Double) {
    print("domain (PawnDomain state machine)")
    let day = CalendarDate(iso8601: "2024-01-01")!
    let add = Event(
        eventId: "e0", itemId: "item-1",
        action: .add(AddItem(name: "Gold ring", category: .jewelry, price: 10_000, condition: .good)))
    let item = try! apply(nil, add).get()
    let sell = Event(
        eventId: "e1", itemId: "item-1", action: .sell(Sell(clientId: "client-1", price: 15_000, date: day)))
    report(
        "  apply sell to an item in stock",
        nsPerOp: measure(seconds: seconds) { blackHole(apply(item, sell)) })
    let lifecycle: [Event] = [
        add, sell,
        Event(
            eventId: "e2", itemId: "item-1",
            action: .pawn(
                Pawn(clientId: "client-1", principal: 5_000, interestPercent: 10, limitDays: 30, date: day))),
        Event(
            eventId: "e3", itemId: "item-1",
            action: .redeem(Redeem(clientId: "client-1", date: day.adding(days: 10)!))),
        Event(
            eventId: "e4", itemId: "item-1",
            action: .buy(Buy(clientId: "client-1", price: 9_000, date: day.adding(days: 11)!))),
    ]
    report(
        "  apply a 5-event lifecycle",
        nsPerOp: measure(seconds: seconds) {
            var current: Item? = nil
            for event in lifecycle { current = try? apply(current, event).get() }
            blackHole(current)
        })
    report(
        "  parse an ISO-8601 date-time",
        nsPerOp: measure(seconds: seconds) { blackHole(CalendarDate(iso8601: "2024-02-29T23:30:00-01:00")) })
}

switch CommandLine.arguments.dropFirst().first {
case "kafka-produce":
    await benchProduce(CommandLine.arguments)
    exit(0)
case "kafka-consume":
    await benchConsume(CommandLine.arguments)
    exit(0)
case "pipeline":
    await benchPipeline(CommandLine.arguments)
    exit(0)
case "raw-mongo":
    benchRawMongo(CommandLine.arguments)
    exit(0)
case "ordering":
    await benchOrdering(CommandLine.arguments)
    exit(0)
case "write-latency":
    benchWriteLatency(CommandLine.arguments)
    exit(0)
default:
    break
}
let options = Options(CommandLine.arguments)
if options.suites.contains("codec") { benchCodec(seconds: options.seconds) }
if options.suites.contains("domain") { benchDomain(seconds: options.seconds) }
