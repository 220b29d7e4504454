import PawnHPACK

/// Feeds the input to `HPACKDecoder.decode` (PawnHPACK) as one header block, with the
/// default 4 KiB dynamic table and a 16 KiB header-list limit, then the same block again on
/// the same decoder (so that indices into entries the first pass added are followed too).
///
/// Errors are expected and ignored. When the first pass succeeds and every name and value is
/// ASCII, the fields are re-encoded by a fresh `HPACKEncoder` and must decode, on a fresh
/// decoder, to the same names and values (HPACKTests.interoperabilityStories asserts this
/// round trip). Non-ASCII text is left out: Swift compares strings by canonical equivalence,
/// so the encoder may reuse a table entry with other bytes than the field it encodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let block = Array(UnsafeRawBufferPointer(start: start, count: count))
    var decoder = HPACKDecoder(maxTableSize: 4096, maxHeaderListSize: 16 * 1024)
    let fields: [HeaderField]
    do {
        fields = try decoder.decode(block)
    } catch {
        return 0
    }
    _ = try? decoder.decode(block)

    guard fields.allSatisfy({ isASCII($0.name) && isASCII($0.value) }) else { return 0 }
    var encoder = HPACKEncoder()
    var encoded: [UInt8] = []
    encoder.encode(fields, into: &encoded)
    var fresh = HPACKDecoder(maxTableSize: 4096, maxHeaderListSize: .max)
    let again: [HeaderField]
    do {
        again = try fresh.decode(encoded)
    } catch {
        fatalError("our encoding of \(fields.count) decoded fields does not decode: \(error)")
    }
    // By name and value: the encoder makes credentials never-indexed whatever the flag said.
    guard again.map({ [$0.name, $0.value] }) == fields.map({ [$0.name, $0.value] }) else {
        fatalError("decode ∘ encode changed the fields: \(fields) became \(again)")
    }
    return 0
}

private func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
