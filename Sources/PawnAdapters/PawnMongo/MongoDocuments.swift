import PawnBSON
import PawnDomain
import PawnPorts

/// The document shapes of the store, with SPEC's field names.
///
/// An item is its `Codable` form, whose keys are SPEC's: `id`, `name`, `category`,
/// `price` (int64 minor units), `state` (the condition), `ageInMonths` (int32), `status`,
/// `owner` and `loan` when set (`{clientId, principal, interestPercent, startDate,
/// dueDate}`), `costBasis`, `version` (int64) and `appliedEventIds`. Enums are their
/// names, dates `YYYY-MM-DD` strings.
///
/// An event is `{eventId, itemId, action, …the action's fields…, sequence, outcome}`,
/// plus `rejection: {code, message, field?}` when `outcome` is `"rejected"` and `traceId`
/// (the W3C trace id of the request that published it) when its record carried one. The action's
/// fields are the API's: a pawn's loan is `price` and its interest `tax`, an add's
/// condition `state`.
enum MongoDocuments {
    static func document(_ item: Item) throws(ItemStoreError) -> BSONDocument {
        do {
            return try BSONEncoder().encode(item)
        } catch {
            throw ItemStoreError(.failed, "item \(item.id) does not encode: \(describe(error))")
        }
    }

    static func item(_ document: BSONDocument) throws(ItemStoreError) -> Item {
        do {
            return try BSONDecoder().decode(Item.self, from: document)
        } catch {
            let id = document["id"]?.stringValue ?? "?"
            throw ItemStoreError(.failed, "the document of item \(id) does not decode: \(describe(error))")
        }
    }

    static func document(_ stored: StoredEvent) throws(ItemStoreError) -> BSONDocument {
        do {
            let encoder = BSONEncoder()
            var document = try encoder.encode(stored.event)
            document["sequence"] = .int64(stored.sequence)
            if let traceId = stored.traceId { document["traceId"] = .string(traceId) }
            switch stored.outcome {
            case .applied:
                document["outcome"] = .string("applied")
            case .rejected(let rejection):
                document["outcome"] = .string("rejected")
                document["rejection"] = .document(try encoder.encode(rejection))
            }
            return document
        } catch {
            throw ItemStoreError(.failed, "event \(stored.event.eventId) does not encode: \(describe(error))")
        }
    }

    static func storedEvent(_ document: BSONDocument) throws(ItemStoreError) -> StoredEvent {
        let id = document["eventId"]?.stringValue ?? "?"
        do {
            let decoder = BSONDecoder()
            let event = try decoder.decode(Event.self, from: document)
            guard let sequence = document["sequence"]?.int64Value else {
                throw ItemStoreError(.failed, "event \(id) has no integer sequence")
            }
            let outcome: StoredEvent.Outcome
            switch document["outcome"]?.stringValue {
            case "applied":
                outcome = .applied
            case "rejected":
                guard let rejection = document["rejection"]?.documentValue else {
                    throw ItemStoreError(.failed, "rejected event \(id) has no rejection document")
                }
                outcome = .rejected(try decoder.decode(Rejection.self, from: rejection))
            default:
                throw ItemStoreError(.failed, "event \(id) has no outcome \"applied\" or \"rejected\"")
            }
            return StoredEvent(
                event: event, outcome: outcome, sequence: sequence, traceId: document["traceId"]?.stringValue)
        } catch let error as ItemStoreError {
            throw error
        } catch {
            throw ItemStoreError(.failed, "the document of event \(id) does not decode: \(describe(error))")
        }
    }

    /// A coding error as `field.path: what`, which `DecodingError`'s own description buries.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "(top level)" : keys.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case EncodingError.invalidValue(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
