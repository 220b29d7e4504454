import PawnProtocol
import PawnTestSupport
import Testing

/// Every message type of the schema, for running one input through every decoder.
let allMessageTypes: [any ProtoMessage.Type] = [
    Wire.Loan.self, Wire.Item.self, Wire.AddItem.self, Wire.Buy.self, Wire.Sell.self, Wire.Pawn.self,
    Wire.Redeem.self, Wire.Forfeit.self, Wire.RejectedEvent.self, Wire.ItemWithHistory.self,
    Wire.FetchByIdRequest.self, Wire.FetchByNameRequest.self, Wire.FetchByCategoryRequest.self,
    Wire.FetchByStateRequest.self, Wire.FetchByStatusRequest.self, Wire.FetchItemResponse.self,
    Wire.FetchItemsResponse.self, Wire.GetEventRequest.self, Wire.GetEventResponse.self, Wire.WorkerInfo.self,
    Wire.JoinRequest.self, Wire.JoinReply.self, Wire.HeartbeatRequest.self, Wire.PartitionLag.self,
    Wire.HeartbeatReply.self,
    Wire.LeaveRequest.self, Wire.LeaveReply.self, Wire.HealthCheckRequest.self, Wire.HealthCheckResponse.self,
    OTLP.AnyValue.self, OTLP.KeyValue.self, OTLP.InstrumentationScope.self, OTLP.Resource.self,
    OTLP.Status.self,
    OTLP.Span.self, OTLP.ScopeSpans.self, OTLP.ResourceSpans.self, OTLP.ExportTraceServiceRequest.self,
    OTLP.ExportTracePartialSuccess.self, OTLP.ExportTraceServiceResponse.self, ScalarZoo.self,
]

/// What one decoder made of one input.
enum FuzzOutcome {
    case decoded
    case rejected(ProtoDecodingError)
    case unstable(String)
}

/// Decodes; when that succeeds, re-encodes and decodes again, which must give the same
/// message and the same bytes (decode ∘ encode is the identity on decoded messages).
func fuzzOnce<M: ProtoMessage>(_ type: M.Type, _ input: [UInt8]) -> FuzzOutcome {
    do {
        let message = try M(serializedBytes: input)
        let bytes = message.serializedBytes()
        let again = try M(serializedBytes: bytes)
        // A message holding a NaN never equals itself: it is held to the byte comparison alone.
        guard again == message || message != message else { return .unstable("re-decoded message differs") }
        guard again.serializedBytes() == bytes else { return .unstable("re-encoding differs") }
        return .decoded
    } catch {
        guard error.offset >= 0, error.offset <= input.count else {
            return .unstable("error offset \(error.offset) outside the input")
        }
        return .rejected(error)
    }
}

@Suite("Robustness")
struct FuzzTests {
    /// 100,000 inputs, half random bytes and half mutations of valid encodings, each through
    /// every decoder: typed errors or stable round trips only. A crash or hang fails the run.
    @Test func randomAndMutatedInputsThroughEveryDecoder() {
        var rng = SeededGenerator(seed: 0x5EED_0F_CAFE)
        let seeds = Samples.all.map { $0.encode() }.filter { !$0.isEmpty && $0.count < 4096 }
        var decoded = 0
        var rejected = 0
        for round in 0..<100_000 {
            let input =
                round % 2 == 0 ? randomBytes(&rng) : mutate(seeds.randomElement(using: &rng)!, seeds, &rng)
            for type in allMessageTypes {
                switch fuzzOnce(type, input) {
                case .decoded: decoded += 1
                case .rejected: rejected += 1
                case .unstable(let why):
                    Issue.record("\(type) on \(input): \(why)")
                    return
                }
            }
        }
        // Both paths must be exercised for the run to mean anything.
        #expect(decoded > 100_000 && rejected > 100_000, "decoded \(decoded), rejected \(rejected)")
    }

    private func randomBytes(_ rng: inout SeededGenerator) -> [UInt8] {
        let count = Int.random(in: 0...64, using: &rng)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    private func mutate(_ input: [UInt8], _ seeds: [[UInt8]], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
            case 4: bytes.removeSubrange(at...)
            case 5: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 16)], at: at)
            default: bytes += seeds.randomElement(using: &rng)!.prefix(Int.random(in: 0...32, using: &rng))
            }
        }
        return bytes
    }
}
