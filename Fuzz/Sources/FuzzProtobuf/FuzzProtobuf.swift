import PawnProtocol

/// Feeds the input after its first byte to the hand-written protobuf decoder of one message
/// type (PawnProtocol's `ProtoMessage.init(buffer:)`), the first byte choosing the type among
/// every message of Protos/pawnshop.proto and of the OTLP trace messages
/// (`Harness.messageTypes`, by its index modulo the count).
///
/// Errors are expected; each must name an offset inside the input. A message that decodes is
/// re-encoded and decoded again: the second message must equal the first, and encoding it must
/// give the same bytes (decode ∘ encode is the identity on decoded messages, as
/// PawnProtocolTests' FuzzTests asserts for every type).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = input.first else { return 0 }
    let types = Harness.messageTypes
    let type = types[Int(first) % types.count]
    check(type, Array(input.dropFirst()))
    return 0
}

private enum Harness {
    /// Every message of the schema: FuzzTests' `allMessageTypes` (without its test-only
    /// ScalarZoo) and the dispatcher's records (AuditRecord, RecordHeader, ParkedRecord).
    /// Seeds (scripts/fuzz-seeds.sh) start with these indices: append, never reorder.
    static let messageTypes: [any ProtoMessage.Type] = [
        Wire.Item.self, Wire.Loan.self, Wire.AddItem.self, Wire.Buy.self, Wire.Sell.self, Wire.Pawn.self,
        Wire.Redeem.self, Wire.Forfeit.self, Wire.RejectedEvent.self, Wire.ItemWithHistory.self,
        Wire.FetchByIdRequest.self, Wire.FetchByNameRequest.self, Wire.FetchByCategoryRequest.self,
        Wire.FetchByStateRequest.self, Wire.FetchByStatusRequest.self, Wire.FetchItemResponse.self,
        Wire.FetchItemsResponse.self, Wire.GetEventRequest.self, Wire.GetEventResponse.self,
        Wire.WorkerInfo.self, Wire.JoinRequest.self, Wire.JoinReply.self, Wire.HeartbeatRequest.self,
        Wire.PartitionLag.self, Wire.HeartbeatReply.self, Wire.LeaveRequest.self, Wire.LeaveReply.self,
        Wire.HealthCheckRequest.self, Wire.HealthCheckResponse.self, Wire.AuditRecord.self,
        Wire.RecordHeader.self, Wire.ParkedRecord.self, OTLP.AnyValue.self, OTLP.KeyValue.self,
        OTLP.InstrumentationScope.self, OTLP.Resource.self, OTLP.Status.self, OTLP.Span.self,
        OTLP.ScopeSpans.self,
        OTLP.ResourceSpans.self, OTLP.ExportTraceServiceRequest.self, OTLP.ExportTracePartialSuccess.self,
        OTLP.ExportTraceServiceResponse.self,
    ]
}

private func check<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) {
    let message: M
    do {
        message = try M(serializedBytes: bytes)
    } catch {
        guard error.offset >= 0, error.offset <= bytes.count else {
            fatalError("\(M.protoMessageName): error offset \(error.offset) outside \(bytes.count) bytes")
        }
        return
    }
    let encoded = message.serializedBytes()
    let again: M
    do {
        again = try M(serializedBytes: encoded)
    } catch {
        fatalError("\(M.protoMessageName): our encoding of a decoded message does not decode: \(error)")
    }
    // A message holding a NaN (a float field, an OTLP double) never equals itself: it is
    // held to the byte comparison below alone.
    guard again == message || message != message else {
        fatalError("\(M.protoMessageName): the re-decoded message differs")
    }
    guard again.serializedBytes() == encoded else { fatalError("\(M.protoMessageName): re-encoding differs") }
}
