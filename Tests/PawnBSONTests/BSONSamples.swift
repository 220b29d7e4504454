import PawnBSON
import PawnDomain
import PawnMongo

/// Documents shared by the BSON tests: one of every BSON type, and the domain's shapes.
enum BSONSamples {
    static let objectId = BSONObjectID(hex: "5f8d0d55b54764421b7156c8")!
    /// Decimal128("1.5"): coefficient 15, exponent −1 (biased 6175).
    static let decimal = BSONDecimal128(bytes: [0x0F] + [UInt8](repeating: 0, count: 13) + [0x3E, 0x30])!

    /// One element of every type a server may return (the deprecated ones too).
    static let everyType: BSONDocument = [
        "double": .double(3.25),
        "string": .string("héllo ✓ \u{0}inner NUL"),
        "empty": .string(""),
        "document": .document(["a": .int32(1), "b": .string("x")]),
        "array": .array([.int32(1), .string("two"), .document(["three": .int64(3)])]),
        "binary": .binary(subtype: 0, bytes: [0, 1, 2, 255]),
        "uuid": .binary(subtype: 4, bytes: Array(0..<16)),
        "userBinary": .binary(subtype: 0x80, bytes: [9, 8, 7]),
        "objectId": .objectId(objectId),
        "true": .bool(true),
        "false": .bool(false),
        "datetime": .datetime(1_700_000_000_123),
        "before1970": .datetime(-86_400_000),
        "null": .null,
        "regex": .regex(pattern: "^a.*b$", options: "im"),
        "javascript": .javascript("function() { return 1; }"),
        "javascriptWithScope": .javascriptWithScope(code: "x + 1", scope: ["x": .int32(41)]),
        "int32": .int32(Int32.min),
        "timestamp": .timestamp(increment: 7, seconds: 1_700_000_000),
        "int64": .int64(Int64.max),
        "decimal128": .decimal128(decimal),
        "minKey": .minKey,
        "maxKey": .maxKey,
        "emptyDocument": .document([:]),
        "emptyArray": .array([]),
    ]

    /// The same document written with Python's `bson` (pymongo), for the peer test.
    static let everyTypeInPython = """
        import datetime
        from bson import Binary, Code, Decimal128, Int64, MaxKey, MinKey, ObjectId, Regex, Timestamp
        from bson.datetime_ms import DatetimeMS
        doc = {
            "double": 3.25,
            "string": "héllo ✓ \\x00inner NUL",
            "empty": "",
            "document": {"a": 1, "b": "x"},
            "array": [1, "two", {"three": Int64(3)}],
            "binary": Binary(bytes([0, 1, 2, 255]), 0),
            "uuid": Binary(bytes(range(16)), 4),
            "userBinary": Binary(bytes([9, 8, 7]), 0x80),
            "objectId": ObjectId("5f8d0d55b54764421b7156c8"),
            "true": True,
            "false": False,
            "datetime": DatetimeMS(1700000000123),
            "before1970": DatetimeMS(-86400000),
            "null": None,
            "regex": Regex("^a.*b$", "im"),
            "javascript": Code("function() { return 1; }"),
            "javascriptWithScope": Code("x + 1", {"x": 41}),
            "int32": -2147483648,
            "timestamp": Timestamp(1700000000, 7),
            "int64": Int64(2**63 - 1),
            "decimal128": Decimal128("1.5"),
            "minKey": MinKey(),
            "maxKey": MaxKey(),
            "emptyDocument": {},
            "emptyArray": [],
        }
        """

    static let date = CalendarDate(year: 2024, month: 2, day: 29)!

    /// A pawned item with a loan, and one with an owner.
    static let pawnedItem = Item(
        id: "ring-1", name: "Gold ring", category: .jewelry, price: 120_00, condition: .good, ageInMonths: 18,
        status: .pawned, owner: nil,
        loan: Loan(
            clientId: "alice", principal: 80_00, interestPercent: 12, startDate: date,
            dueDate: date.adding(days: 30)!),
        costBasis: 100_00, version: 3, appliedEventIds: ["e1", "e2", "e3"])

    static let ownedItem = Item(
        id: "bike-7", name: "Road bike", category: .motor, price: 450_00, condition: .bad, ageInMonths: 60,
        status: .withClient, owner: "bob", version: 1, appliedEventIds: ["e9"])

    /// One event of each action kind.
    static let events: [Event] = [
        Event(
            eventId: "add-1", itemId: "ring-1",
            action: .add(
                AddItem(
                    name: "Gold ring", category: .jewelry, price: 120_00, condition: .good, ageInMonths: 18,
                    status: .withClient, owner: "alice", date: date))),
        Event(
            eventId: "buy-1", itemId: "ring-1",
            action: .buy(Buy(clientId: "alice", price: 100_00, date: date))),
        Event(
            eventId: "sell-1", itemId: "ring-1",
            action: .sell(Sell(clientId: "carol", price: 150_00, date: date, profit: 50_00))),
        Event(
            eventId: "pawn-1", itemId: "ring-1",
            action: .pawn(
                Pawn(clientId: "carol", principal: 80_00, interestPercent: 12, limitDays: 30, date: date))),
        Event(eventId: "redeem-1", itemId: "ring-1", action: .redeem(Redeem(clientId: "carol", date: date))),
        Event(eventId: "forfeit-1", itemId: "ring-1", action: .forfeit(Forfeit(date: date))),
    ]
}
