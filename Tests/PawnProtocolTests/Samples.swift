import PawnProtocol

/// One message value and the same message in protoc's text format, written independently.
struct Sample: Sendable, CustomStringConvertible {
    let type: String
    let name: String
    let text: String
    let encode: @Sendable () -> [UInt8]
    /// Decodes with our codec and says whether the result equals the sample value.
    let decodesEqual: @Sendable ([UInt8]) throws -> Bool
    /// Decodes with our codec and re-encodes.
    let reencode: @Sendable ([UInt8]) throws -> [UInt8]

    init<M: ProtoMessage>(_ name: String, _ value: M, _ text: String) {
        type = "\(M.protoMessageName)"
        self.name = name
        self.text = text
        encode = { value.serializedBytes() }
        decodesEqual = { try M(serializedBytes: $0) == value }
        reencode = { try M(serializedBytes: $0).serializedBytes() }
    }

    var description: String { "\(type) (\(name))" }
}

enum Samples {
    static let loan = Wire.Loan(
        clientId: "alice", principal: 5_000, interestPercent: 10, startDate: "2024-01-11",
        dueDate: "2024-02-10")
    static let loanText =
        #"clientId: "alice" principal: 5000 interestPercent: 10 startDate: "2024-01-11" dueDate: "2024-02-10""#

    static let item = Wire.Item(
        id: "ring-1", name: "Gold ring ✨ «18k»", category: .jewelry, price: 10_000, state: .good,
        ageInMonths: 12,
        status: .pawned, owner: nil, loan: loan, version: 3, costBasis: 10_000)
    static let itemText =
        #"id: "ring-1" name: "Gold ring ✨ «18k»" category: Jewelry price: 10000 state: Good ageInMonths: 12 status: ITEM_STATUS_PAWNED loan { \#(loanText) } version: 3 costBasis: 10000"#

    static let buy = Wire.Buy(
        clientId: "bob", itemId: "ring-1", price: 12_000, date: "2024-03-01", eventId: "e-buy-1")
    static let buyText =
        #"clientId: "bob" itemId: "ring-1" price: 12000 date: "2024-03-01" eventId: "e-buy-1""#
    static let sell = Wire.Sell(
        clientId: "carol", itemId: "ring-1", price: 9_000, date: "2024-03-02", profit: -1_000,
        eventId: "e-sell-1")
    static let sellText =
        #"clientId: "carol" itemId: "ring-1" price: 9000 date: "2024-03-02" profit: -1000 eventId: "e-sell-1""#
    static let pawn = Wire.Pawn(
        clientId: "carol", itemId: "ring-1", price: 4_000, tax: 7, date: "2024-03-03", limitDays: 3650,
        eventId: "e-pawn-1")
    static let pawnText =
        #"clientId: "carol" itemId: "ring-1" price: 4000 tax: 7 date: "2024-03-03" limitDays: 3650 eventId: "e-pawn-1""#
    static let redeem = Wire.Redeem(
        clientId: "carol", itemId: "ring-1", date: "2024-03-04", eventId: "e-redeem-1")
    static let redeemText = #"clientId: "carol" itemId: "ring-1" date: "2024-03-04" eventId: "e-redeem-1""#
    static let forfeit = Wire.Forfeit(itemId: "ring-1", date: "2034-03-04", eventId: "e-forfeit-1")
    static let forfeitText = #"itemId: "ring-1" date: "2034-03-04" eventId: "e-forfeit-1""#
    static let rejected = Wire.RejectedEvent(
        eventId: "e-x", itemId: "ring-1", action: .sell, code: "actionNotAllowed", reason: "it is pawned",
        clientId: "", date: "2024-03-05")
    static let rejectedText =
        #"eventId: "e-x" itemId: "ring-1" action: ACTION_KIND_SELL code: "actionNotAllowed" reason: "it is pawned" clientId: "" date: "2024-03-05""#

    static let audit: Wire.AuditRecord = {
        var record = Wire.AuditRecord()
        record.requestId = "req-1"
        record.route = "/item/action/buy"
        record.clientId = "mallory"
        record.eventId = "e-9"
        record.itemId = "ring-1"
        record.outcome = .refused
        record.status = 403
        record.receivedAtMicros = 1_795_572_622_300_000
        record.answeredAtMicros = 1_795_572_622_300_250
        record.topic = ""
        return record
    }()
    static let auditText =
        #"requestId: "req-1" route: "/item/action/buy" clientId: "mallory" eventId: "e-9" itemId: "ring-1" outcome: AUDIT_OUTCOME_REFUSED status: 403 receivedAtMicros: 1795572622300000 answeredAtMicros: 1795572622300250"#
    static let parked: Wire.ParkedRecord = {
        var record = Wire.ParkedRecord()
        record.topic = "buy-actions"
        record.key = "ring-1"
        record.value = [0x0A, 0x03, 0x61, 0x62, 0x63, 0x00, 0xFF]
        record.headers = [
            Wire.RecordHeader(name: "eventId", value: "e-9"),
            Wire.RecordHeader(name: "pawnshop-seq", value: "1795572622300000"),
        ]
        record.parkedAtMicros = 1_795_572_623_000_000
        return record
    }()
    static let parkedText =
        #"topic: "buy-actions" key: "ring-1" value: "\n\003abc\000\377" headers { name: "eventId" value: "e-9" } headers { name: "pawnshop-seq" value: "1795572622300000" } parkedAtMicros: 1795572623000000"#

    static func history(buys count: Int) -> Wire.ItemWithHistory {
        Wire.ItemWithHistory(
            item: item, buys: Array(repeating: buy, count: count), sells: [sell, sell], pawns: [pawn],
            redeems: [redeem],
            forfeits: [forfeit], rejected: [rejected], order: ["e-add", "e-1", "ë-2"])
    }

    static func historyText(buys count: Int) -> String {
        "item { \(itemText) } " + String(repeating: "buys { \(buyText) } ", count: count)
            + "sells { \(sellText) } sells { \(sellText) } pawns { \(pawnText) } redeems { \(redeemText) } "
            + "forfeits { \(forfeitText) } rejected { \(rejectedText) } "
            + #"order: "e-add" order: "e-1" order: "\303\253-2""#
    }

    static let all: [Sample] =
        [
            Sample("full", loan, loanText),
            Sample("empty", Wire.Loan(), ""),
            Sample("full", item, itemText),
            Sample(
                "negative numbers, empty owner present",
                Wire.Item(id: "x", price: .min, ageInMonths: -5, owner: "", version: -1, costBasis: .max),
                #"id: "x" price: -9223372036854775808 ageInMonths: -5 owner: "" version: -1 costBasis: 9223372036854775807"#
            ),
            Sample(
                "enum values this code does not know",
                Wire.Item(
                    id: "y", category: .unrecognized(42), state: .unrecognized(-3), status: .unrecognized(9)),
                #"id: "y" category: 42 state: -3 status: 9"#),
            Sample(
                "every category",
                Wire.FetchItemsResponse(items: Wire.Category.known.map { Wire.Item(id: "c", category: $0) }),
                Wire.Category.known.map {
                    "items { id: \"c\" \($0.protoValue == 0 ? "" : "category: \(["Reading", "Collection", "Decoration", "Clothing", "Jewelry", "Motor", "Electronics"][Int($0.protoValue)])") }"
                }.joined(separator: " ")),
            Sample(
                "with client",
                Wire.AddItem(
                    item: Wire.Item(
                        id: "w", name: "Watch", category: .electronics, price: 1, state: .fatal,
                        ageInMonths: 1),
                    eventId: "e1", status: .withClient, owner: "dave", date: "2024-01-01"),
                #"item { id: "w" name: "Watch" category: Electronics price: 1 state: Fatal ageInMonths: 1 } eventId: "e1" status: ITEM_STATUS_WITH_CLIENT owner: "dave" date: "2024-01-01""#
            ),
            Sample("full", buy, buyText),
            Sample("full", sell, sellText),
            Sample("profit zero is present", Wire.Sell(itemId: "z", profit: 0), #"itemId: "z" profit: 0"#),
            Sample("full", pawn, pawnText),
            Sample("negative int32", Wire.Pawn(tax: -1, limitDays: .min), "tax: -1 limitDays: -2147483648"),
            Sample("full", redeem, redeemText),
            Sample("full", forfeit, forfeitText),
            Sample("full", rejected, rejectedText),
            Sample("100 buys", history(buys: 100), historyText(buys: 100)),
            Sample("empty repeated fields", Wire.ItemWithHistory(item: Wire.Item()), "item { }"),
            Sample("empty", Wire.ItemWithHistory(), ""),
            Sample("full", Wire.FetchByIdRequest(id: "ring-1"), #"id: "ring-1""#),
            Sample(
                "full", Wire.FetchByNameRequest(name: "Gold ring", limit: 1000, after: "ring-1"),
                #"name: "Gold ring" limit: 1000 after: "ring-1""#),
            Sample(
                "full", Wire.FetchByCategoryRequest(category: .motor, limit: 10, after: "a"),
                #"category: Motor limit: 10 after: "a""#),
            Sample("full", Wire.FetchByStateRequest(state: .bad, limit: 1), "state: Bad limit: 1"),
            Sample(
                "full", Wire.FetchByStatusRequest(status: .withClient, limit: 5, after: "z"),
                #"status: ITEM_STATUS_WITH_CLIENT limit: 5 after: "z""#),
            Sample(
                "full", Wire.FetchItemResponse(item: history(buys: 1)), "item { \(historyText(buys: 1)) }"),
            Sample("not found", Wire.FetchItemResponse(), ""),
            Sample(
                "page with next", Wire.FetchItemsResponse(items: [item, item], next: "ring-1"),
                "items { \(itemText) } items { \(itemText) } next: \"ring-1\""),
            Sample("last page", Wire.FetchItemsResponse(items: []), ""),
            Sample("full", Wire.GetEventRequest(eventId: "e-1"), #"eventId: "e-1""#),
            Sample(
                "full",
                Wire.GetEventResponse(
                    status: .rejected, reason: "it is pawned", code: "actionNotAllowed", itemId: "ring-1",
                    traceId: "4bf92f3577b34da6a3ce929d0e0e4736"),
                #"status: EVENT_STATUS_REJECTED reason: "it is pawned" code: "actionNotAllowed" itemId: "ring-1" traceId: "4bf92f3577b34da6a3ce929d0e0e4736""#
            ),
            Sample(
                "full", Wire.WorkerInfo(workerId: "w-1", host: "127.0.0.1", port: 50_051),
                #"workerId: "w-1" host: "127.0.0.1" port: 50051"#),
            Sample(
                "full",
                Wire.JoinRequest(
                    workerInfo: Wire.WorkerInfo(workerId: "w-1", host: "::1", port: 1), token: "s3cret"),
                #"workerInfo { workerId: "w-1" host: "::1" port: 1 } token: "s3cret""#),
            Sample(
                "rejected",
                Wire.JoinReply(response: .rejected, reason: "bad token", heartbeatIntervalMs: 1000),
                #"response: REJECTED reason: "bad token" heartbeatIntervalMs: 1000"#),
            Sample("joined (all defaults)", Wire.JoinReply(response: .joined), ""),
            Sample(
                "packed partitions",
                Wire.HeartbeatRequest(
                    workerId: "w-1", inFlight: 3, partitions: [0, 1, 127, 128, -1, .max, .min]),
                #"workerId: "w-1" inFlight: 3 partitions: [0, 1, 127, 128, -1, 2147483647, -2147483648]"#),
            Sample(
                "10,000 partitions",
                Wire.HeartbeatRequest(partitions: (0..<10_000).map { Int32($0 * 7919 - 20_000_000) }),
                "partitions: [" + (0..<10_000).map { String($0 * 7919 - 20_000_000) }.joined(separator: ", ")
                    + "]"),
            Sample(
                "stalled, with lag",
                Wire.HeartbeatRequest(
                    workerId: "w-2", stalled: true,
                    lag: [
                        Wire.PartitionLag(topic: "items", partition: 3, lag: 12),
                        Wire.PartitionLag(topic: "buy-actions", partition: 3, lag: .max),
                    ], oldestUnappliedMs: 45_000, token: "s3cret"),
                #"workerId: "w-2" stalled: true lag { topic: "items" partition: 3 lag: 12 } lag { topic: "buy-actions" partition: 3 lag: 9223372036854775807 } oldestUnappliedMs: 45000 token: "s3cret""#
            ),
            Sample(
                "full", Wire.PartitionLag(topic: "items", partition: 1, lag: 5),
                #"topic: "items" partition: 1 lag: 5"#),
            Sample("full", Wire.HeartbeatReply(known: true), "known: true"),
            Sample(
                "full", Wire.LeaveRequest(workerId: "w-1", token: "s3cret"),
                #"workerId: "w-1" token: "s3cret""#),
            Sample("empty", Wire.LeaveReply(), ""),
            Sample(
                "full", Wire.HealthCheckRequest(service: "pawnshop.v1.Worker"),
                #"service: "pawnshop.v1.Worker""#),
            Sample("serving", Wire.HealthCheckResponse(status: .serving), "status: SERVING"),
            Sample(
                "service unknown", Wire.HealthCheckResponse(status: .serviceUnknown),
                "status: SERVICE_UNKNOWN"),
            Sample("refused", audit, auditText),
            Sample("empty", Wire.AuditRecord(), ""),
            Sample(
                "full", Wire.RecordHeader(name: "eventId", value: "e-1"), #"name: "eventId" value: "e-1""#),
            Sample("full", parked, parkedText),
            Sample("empty", Wire.ParkedRecord(), ""),
            Sample("every scalar", zoo, zooText),
            Sample("defaults", ScalarZoo(), ""),
        ] + otlp

    /// OTLP's trace messages: a request as the exporter writes it, and each part at its edges
    /// (a oneof member at its default is still written; the span's fixed-width fields).
    static let otlp: [Sample] = [
        Sample("string", OTLP.AnyValue(.string("GET")), #"string_value: "GET""#),
        Sample("empty string, still set", OTLP.AnyValue(.string("")), #"string_value: """#),
        Sample("false, still set", OTLP.AnyValue(.bool(false)), "bool_value: false"),
        Sample("int", OTLP.AnyValue(.int(-202)), "int_value: -202"),
        Sample("double", OTLP.AnyValue(.double(0.25)), "double_value: 0.25"),
        Sample("unset", OTLP.AnyValue(), ""),
        Sample(
            "full", OTLP.KeyValue("http.response.status_code", .int(202)),
            #"key: "http.response.status_code" value { int_value: 202 }"#),
        Sample(
            "full", OTLP.InstrumentationScope(name: "pawnshop", version: "1"),
            #"name: "pawnshop" version: "1""#),
        Sample(
            "full", OTLP.Resource(attributes: [OTLP.KeyValue("service.name", .string("dispatcher"))]),
            #"attributes { key: "service.name" value { string_value: "dispatcher" } }"#),
        Sample(
            "error", OTLP.Status(code: .error, message: "503"), #"message: "503" code: STATUS_CODE_ERROR"#),
        Sample("full", span, spanText),
        Sample("empty", OTLP.Span(), ""),
        Sample(
            "full",
            OTLP.ScopeSpans(
                scope: OTLP.InstrumentationScope(name: "pawnshop"), spans: [span],
                schemaUrl: "https://opentelemetry.io/schemas/1.27.0"),
            #"scope { name: "pawnshop" } spans { \#(spanText) } schema_url: "https://opentelemetry.io/schemas/1.27.0""#
        ),
        Sample(
            "full", exportRequest,
            #"resource_spans { resource { attributes { key: "service.name" value { string_value: "worker" } } } scope_spans { spans { \#(spanText) } } }"#
        ),
        Sample("empty", OTLP.ExportTraceServiceRequest(), ""),
        Sample(
            "schema",
            OTLP.ResourceSpans(
                resource: nil, scopeSpans: [], schemaUrl: "https://opentelemetry.io/schemas/1.27.0"),
            #"schema_url: "https://opentelemetry.io/schemas/1.27.0""#),
        Sample(
            "partial success",
            OTLP.ExportTraceServiceResponse(
                partialSuccess: OTLP.ExportTracePartialSuccess(rejectedSpans: 2, errorMessage: "too old")),
            #"partial_success { rejected_spans: 2 error_message: "too old" }"#),
        Sample("full", OTLP.ExportTracePartialSuccess(rejectedSpans: 1), "rejected_spans: 1"),
    ]

    static let span: OTLP.Span = {
        var span = OTLP.Span()
        span.traceId = [
            0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36,
        ]
        span.spanId = [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]
        span.traceState = "rojo=1"
        span.parentSpanId = [1, 2, 3, 4, 5, 6, 7, 8]
        span.name = "POST /item/add"
        span.kind = .server
        span.startTimeUnixNano = 1_796_256_000_000_000_000
        span.endTimeUnixNano = 1_796_256_000_001_250_000
        span.attributes = [
            OTLP.KeyValue("http.request.method", .string("POST")),
            OTLP.KeyValue("http.response.status_code", .int(202)),
        ]
        span.status = OTLP.Status(code: .ok)
        span.flags = 0x0301
        return span
    }()

    static let spanText = #"""
        trace_id: "K\371/5w\263M\246\243\316\222\235\016\016G6" span_id: "\000\360g\252\013\251\002\267" trace_state: "rojo=1"
        parent_span_id: "\001\002\003\004\005\006\007\010" name: "POST /item/add" kind: SPAN_KIND_SERVER
        start_time_unix_nano: 1796256000000000000 end_time_unix_nano: 1796256000001250000
        attributes { key: "http.request.method" value { string_value: "POST" } }
        attributes { key: "http.response.status_code" value { int_value: 202 } }
        status { code: STATUS_CODE_OK } flags: 769
        """#

    static let exportRequest = OTLP.ExportTraceServiceRequest(resourceSpans: [
        OTLP.ResourceSpans(
            resource: OTLP.Resource(attributes: [OTLP.KeyValue("service.name", .string("worker"))]),
            scopeSpans: [OTLP.ScopeSpans(scope: nil, spans: [span])])
    ])

    static let zoo: ScalarZoo = {
        var z = ScalarZoo()
        z.i32 = -2
        z.i64 = -3_000_000_000_000
        z.u32 = .max
        z.u64 = .max
        z.s32 = -64
        z.s64 = .min
        z.f32 = 0xDEAD_BEEF
        z.f64 = 1 << 63
        z.sf32 = -7
        z.sf64 = -8
        z.fl = 1.5
        z.db = -2.25
        z.flag = true
        z.text = "naïve\n\"quoted\"\t"
        z.blob = [0, 1, 2, 0xFF, 0x80]
        z.packedS64 = [0, -1, 1, .max, .min]
        z.packedF32 = [1, 0xFFFF_FFFF]
        z.packedDb = [0.5, -0.0, 1e300]
        z.texts = ["", "a", "ü"]
        z.unpackedU64 = [0, 300, .max]
        var child = ScalarZoo()
        child.i32 = 1
        child.child = ScalarZoo.Box(
            {
                var g = ScalarZoo()
                g.text = "grandchild"
                return g
            }())
        z.child = ScalarZoo.Box(child)
        z.farField = 42
        return z
    }()

    static let zooText = #"""
        i32: -2 i64: -3000000000000 u32: 4294967295 u64: 18446744073709551615 s32: -64 s64: -9223372036854775808
        f32: 3735928559 f64: 9223372036854775808 sf32: -7 sf64: -8 fl: 1.5 db: -2.25 flag: true
        text: "naïve\n\"quoted\"\t" blob: "\000\001\002\377\200"
        packedS64: [0, -1, 1, 9223372036854775807, -9223372036854775808] packedF32: [1, 4294967295]
        packedDb: [0.5, -0, 1e300] texts: "" texts: "a" texts: "ü" unpackedU64: [0, 300, 18446744073709551615]
        child { i32: 1 child { text: "grandchild" } } farField: 42
        """#
}
