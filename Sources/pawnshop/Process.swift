// What every command shares: the loops, the start-up lines.
import PawnIO

/// The event loops: `loops` threads, or one per core.
func makeGroup(loops: Int?) -> EventLoopGroup {
    do { return try loops.map { try EventLoopGroup(loopCount: $0) } ?? EventLoopGroup() } catch {
        fail("cannot start the event loops: \(error)")
    }
}

/// `http://host:port`, with an IPv6 host in brackets.
func url(_ host: String, _ port: Int) -> String {
    "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
}

/// Says so when a separate process keeps its events in its own memory.
func warnIfAlone(_ command: String, _ adapters: AdapterOptions) {
    guard adapters.kafka == nil else { return }
    print(
        "pawnshop \(command): no --kafka given: events stay in this process's memory, so a separate dispatcher and worker do not see each other's writes"
    )
}

/// A few requests to try, printed at start.
func printExamples(_ base: String) {
    print(
        """
        Try:
          curl -s -X POST \(base)/item/add -H 'Content-Type: application/json' \\
               -d '{"id":"ring-1","name":"Gold ring","category":"Jewelry","price":45000,"state":"Good","ageInMonths":12}'
          curl -s \(base)/item/fetch/ring-1
          curl -s '\(base)/item/fetch?category=Jewelry&limit=5'
        Stop with Ctrl-C.
        """)
}
