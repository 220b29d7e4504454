/// A body on the read path that writes its JSON itself: the same bytes as its `Encodable`
/// conformance through ``JSONBytesEncoder`` (keys in declaration order, `nil` left out;
/// tested equal for every such body), without Codable's boxed containers, which were 6 % of
/// `GET /item/fetch` in a `perf` profile.
protocol DirectJSON: Encodable {
    /// Writes the value as one JSON object.
    func write(to object: inout JSONObjectWriter)
}

extension DirectJSON {
    /// The value's JSON.
    func jsonBytes() -> [UInt8] {
        let sink = JSONSink()
        sink.bytes.reserveCapacity(512)
        write(into: sink)
        return sink.bytes
    }

    /// Writes the value as an object into `sink`.
    func write(into sink: JSONSink) {
        var object = JSONObjectWriter(sink)
        write(to: &object)
        object.finish()
    }
}

/// Writes one JSON object's members into a ``JSONSink``: `{`, then each member after a comma
/// unless it is the first, then `}` at ``finish()``.
struct JSONObjectWriter {
    private let sink: JSONSink
    private var empty = true

    init(_ sink: JSONSink) {
        self.sink = sink
        sink.bytes.append(UInt8(ascii: "{"))
    }

    /// `,"name":` (without the comma for the first member); `name` needs no escaping.
    private mutating func key(_ name: StaticString) {
        if empty { empty = false } else { sink.bytes.append(UInt8(ascii: ",")) }
        sink.bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { sink.bytes.append(contentsOf: $0) }
        sink.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        sink.string(value)
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        if let value { member(name, value) }
    }

    mutating func member(_ name: StaticString, _ value: some BinaryInteger & FixedWidthInteger) {
        key(name)
        sink.integer(value)
    }

    mutating func member<I: BinaryInteger & FixedWidthInteger>(_ name: StaticString, _ value: I?) {
        if let value { member(name, value) }
    }

    mutating func member(_ name: StaticString, _ value: (some DirectJSON)?) {
        guard let value else { return }
        key(name)
        value.write(into: sink)
    }

    mutating func member(_ name: StaticString, _ values: [some DirectJSON]) {
        key(name)
        sink.bytes.append(UInt8(ascii: "["))
        for index in values.indices {
            if index > values.startIndex { sink.bytes.append(UInt8(ascii: ",")) }
            values[index].write(into: sink)
        }
        sink.bytes.append(UInt8(ascii: "]"))
    }

    /// The members every history entry begins with: its place in the item's timeline and
    /// its event, then (for those of a client) the client.
    mutating func entry(_ position: Int, _ eventId: String, clientId: String? = nil) {
        member("position", position)
        member("eventId", eventId)
        member("clientId", clientId)
    }

    /// Closes the object.
    func finish() { sink.bytes.append(UInt8(ascii: "}")) }
}

extension ResponseBodies.LoanJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.member("clientId", clientId)
        object.member("principal", principal)
        object.member("interestPercent", interestPercent)
        object.member("startDate", startDate)
        object.member("dueDate", dueDate)
        object.member("amountDue", amountDue)
    }
}

extension ResponseBodies.ItemJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.member("id", id)
        object.member("name", name)
        object.member("category", category)
        object.member("price", price)
        object.member("state", state)
        object.member("ageInMonths", ageInMonths)
        object.member("status", status)
        object.member("owner", owner)
        object.member("loan", loan)
        object.member("version", version)
    }
}

extension ResponseBodies.BuyJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId, clientId: clientId)
        object.member("price", price)
        object.member("date", date)
    }
}

extension ResponseBodies.SellJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId, clientId: clientId)
        object.member("price", price)
        object.member("date", date)
        object.member("profit", profit)
    }
}

extension ResponseBodies.PawnJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId, clientId: clientId)
        object.member("price", price)
        object.member("tax", tax)
        object.member("limitDays", limitDays)
        object.member("date", date)
        object.member("dueDate", dueDate)
    }
}

extension ResponseBodies.RedeemJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId, clientId: clientId)
        object.member("date", date)
    }
}

extension ResponseBodies.ForfeitJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId)
        object.member("date", date)
    }
}

extension ResponseBodies.RejectedJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.entry(position, eventId)
        object.member("action", action)
        object.member("code", code)
        object.member("reason", reason)
        object.member("field", field)
        object.member("clientId", clientId)
        object.member("date", date)
    }
}

extension ResponseBodies.HistoryJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.member("item", item)
        object.member("buys", buys)
        object.member("sells", sells)
        object.member("pawns", pawns)
        object.member("redeems", redeems)
        object.member("forfeits", forfeits)
        object.member("rejected", rejected)
    }
}

extension ResponseBodies.PageJSON: DirectJSON {
    func write(to object: inout JSONObjectWriter) {
        object.member("items", items)
        object.member("next", next)
    }
}
