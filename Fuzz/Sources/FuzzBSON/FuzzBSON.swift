import PawnBSON

/// Feeds the input to the BSON reader (PawnBSON's `BSONDocument.init(bytes:)`) as one
/// document that must fill it exactly, every BSON type included, nested up to 100 deep.
///
/// Errors are expected; each must name an offset inside the input. A document that parses is
/// written back (`bytes`) and must parse again to a document that writes the same bytes
/// (BSONMalformedTests.seededMutationFuzz asserts both). Bytes, not values, are compared: a
/// NaN double is not equal to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let document: BSONDocument
    do {
        document = try BSONDocument(bytes: bytes)
    } catch {
        guard error.offset >= 0, error.offset <= bytes.count else {
            fatalError("error offset \(error.offset) outside \(bytes.count) bytes: \(error)")
        }
        return 0
    }
    let written = document.bytes
    do {
        guard try BSONDocument(bytes: written).bytes == written else {
            fatalError("a document written and read back writes other bytes")
        }
    } catch {
        fatalError("a document we wrote does not parse: \(error)")
    }
    return 0
}
