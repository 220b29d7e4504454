@_spi(Fuzzing) import PawnS3

/// Feeds the input to S3's error parsing (`S3Client.statusError`): the first two bytes
/// choose the HTTP status (100–599), the rest is the answer's body, which S3 fills with an
/// XML `<Error>` carrying `<Code>` and `<Message>`, and which a hostile or broken endpoint
/// fills with anything.
///
/// Asserted besides not trapping: the error keeps the status, its code follows from the
/// status alone (401/403 access denied, 404 not found, anything else failed), and a
/// non-empty `<Code>` element the body holds appears in the description.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard bytes.count >= 2 else { return 0 }
    let status = 100 + (Int(bytes[0]) << 8 | Int(bytes[1])) % 500
    let body = Array(bytes.dropFirst(2))
    let error = S3Client.statusError(status, body: body, what: "s3://bucket/key")
    guard error.status == status else {
        fatalError("status \(status) became \(String(describing: error.status))")
    }
    let expected: S3Error.Code =
        switch status {
        case 401, 403: .accessDenied
        case 404: .notFound
        default: .failed
        }
    guard error.code == expected else { fatalError("status \(status) gave \(error.code), not \(expected)") }
    let text = String(decoding: body, as: UTF8.self)
    if let open = text.range(of: "<Code>"),
        let close = text.range(of: "</Code>", range: open.upperBound..<text.endIndex)
    {
        let code = String(text[open.upperBound..<close.lowerBound])
        // (An empty code is left out: Foundation's contains finds no empty string.)
        guard code.isEmpty || error.description.contains(code) else {
            fatalError("the <Code> \(code) is not in \(error)")
        }
    }
    return 0
}
