import PawnDomain
import PawnHTTP1
import PawnPorts

/// The JSON shapes the dispatcher answers with (SPEC §3).
enum ResponseBodies {
    struct LoanJSON: Encodable {
        var clientId: String
        var principal: Int64
        var interestPercent: Int32
        var startDate: String
        var dueDate: String
        var amountDue: Int64?
    }

    struct ItemJSON: Encodable {
        var id: String
        var name: String
        var category: String
        var price: Int64
        var state: String
        var ageInMonths: Int32
        var status: String
        var owner: String?
        var loan: LoanJSON?
        var version: Int64

        init(_ item: Item) {
            id = item.id
            name = item.name
            category = item.category.name
            price = item.price.minorUnits
            state = item.condition.name
            ageInMonths = item.ageInMonths
            status = item.status.name
            owner = item.owner
            loan = item.loan.map {
                LoanJSON(
                    clientId: $0.clientId, principal: $0.principal.minorUnits,
                    interestPercent: $0.interestPercent,
                    startDate: $0.startDate.iso8601, dueDate: $0.dueDate.iso8601,
                    amountDue: $0.amountDue?.minorUnits)
            }
            version = item.version
        }
    }

    struct BuyJSON: Encodable {
        var position: Int
        var eventId, clientId: String
        var price: Int64
        var date: String
    }

    struct SellJSON: Encodable {
        var position: Int
        var eventId, clientId: String
        var price: Int64
        var date: String
        var profit: Int64?
    }

    struct PawnJSON: Encodable {
        var position: Int
        var eventId, clientId: String
        var price: Int64
        var tax, limitDays: Int32
        var date: String
        var dueDate: String?
    }

    struct RedeemJSON: Encodable {
        var position: Int
        var eventId, clientId, date: String
    }

    struct ForfeitJSON: Encodable {
        var position: Int
        var eventId, date: String
    }

    struct RejectedJSON: Encodable {
        var position: Int
        var eventId, action, code, reason: String
        var field, clientId, date: String?
    }

    struct HistoryJSON: Encodable {
        var item: ItemJSON
        var buys: [BuyJSON] = []
        var sells: [SellJSON] = []
        var pawns: [PawnJSON] = []
        var redeems: [RedeemJSON] = []
        var forfeits: [ForfeitJSON] = []
        var rejected: [RejectedJSON] = []

        init(_ history: ItemHistory) {
            item = ItemJSON(history.item)
            // Each entry's place among all the entries, in event order, so that a reader can
            // merge the lists into one timeline (the applied add is not an entry).
            var position = -1
            for stored in history.events {
                let event = stored.event
                if case .add = event.action, case .applied = stored.outcome { continue }
                position += 1
                if case .rejected(let rejection) = stored.outcome {
                    rejected.append(
                        RejectedJSON(
                            position: position, eventId: event.eventId, action: event.action.kind.rawValue,
                            code: rejection.code.rawValue,
                            reason: rejection.message, field: rejection.field,
                            clientId: event.action.clientId,
                            date: event.action.date?.iso8601))
                    continue
                }
                switch event.action {
                case .add: break
                case .buy(let b):
                    buys.append(
                        BuyJSON(
                            position: position, eventId: event.eventId, clientId: b.clientId,
                            price: b.price.minorUnits,
                            date: b.date.iso8601))
                case .sell(let s):
                    sells.append(
                        SellJSON(
                            position: position, eventId: event.eventId, clientId: s.clientId,
                            price: s.price.minorUnits,
                            date: s.date.iso8601,
                            profit: s.profit?.minorUnits))
                case .pawn(let p):
                    pawns.append(
                        PawnJSON(
                            position: position, eventId: event.eventId, clientId: p.clientId,
                            price: p.principal.minorUnits,
                            tax: p.interestPercent,
                            limitDays: p.limitDays, date: p.date.iso8601, dueDate: p.dueDate?.iso8601))
                case .redeem(let r):
                    redeems.append(
                        RedeemJSON(
                            position: position, eventId: event.eventId, clientId: r.clientId,
                            date: r.date.iso8601))
                case .forfeit(let f):
                    forfeits.append(
                        ForfeitJSON(position: position, eventId: event.eventId, date: f.date.iso8601))
                }
            }
        }
    }

    struct PageJSON: Encodable {
        var items: [ItemJSON]
        var next: String?
    }

    struct AcceptedJSON: Encodable {
        var eventId: String
        var itemId: String
    }

    struct EventJSON: Encodable {
        var eventId: String
        var status: String
        var itemId: String?
        var code: String?
        var reason: String?
        var traceId: String?
    }

    /// A JSON response with `status`, for a body that writes its JSON itself (``DirectJSON``).
    static func json(_ status: HTTPStatus, _ value: some DirectJSON) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": JSONText.contentType], body: value.jsonBytes())
    }

    /// A JSON response with `status`.
    static func json(_ status: HTTPStatus, _ value: some Encodable) -> HTTPResponse {
        do {
            return HTTPResponse(
                status: status, headers: ["Content-Type": JSONText.contentType],
                body: try JSONBytesEncoder.encode(value))
        } catch {
            return ErrorBody.response(
                .internalServerError, code: "internal", message: "the response could not be encoded")
        }
    }
}
