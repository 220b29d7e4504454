import PawnPorts

/// Feeds the input to the fraud-list text parser (PawnPorts' `FraudListParser.parse`: one
/// name per line, LF or CRLF, a UTF-8 byte-order mark, trimming, case folding), which the
/// feeder's S3 source (`S3FraudListSource`) runs on the downloaded list line by line.
///
/// Errors (a line that is not UTF-8) are expected. Asserted: no name is empty, and the same
/// text with every LF turned into CRLF gives the same names, or the same error (the format
/// takes either line break).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let crlf: [UInt8] = bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
    let lf = parse(bytes)
    guard lf == parse(crlf) else { fatalError("LF and CRLF line breaks give different lists") }
    if case .success(let names) = lf, names.contains("") { fatalError("an empty name on the list") }
    return 0
}

private func parse(_ bytes: [UInt8]) -> Result<Set<String>, FraudListError> {
    do {
        return .success(try FraudListParser.parse(bytes))
    } catch {
        return .failure(error)
    }
}
