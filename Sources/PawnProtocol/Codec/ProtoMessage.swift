/// A protobuf message with a hand-written codec.
///
/// Conformers list their fields in ``encodedSize()``, ``encode(to:)`` and
/// ``decodeField(_:from:)``; this protocol turns those into whole-message encoding (one
/// allocation of exactly the right size) and decoding (no copies, typed errors).
public protocol ProtoMessage: Hashable, Sendable {
    /// The message's full name in the schema (`pawnshop.v1.Item`).
    static var protoMessageName: StaticString { get }
    /// The message with every field at its default.
    init()
    /// Fields this code does not know, kept to be written back.
    var unknownFields: UnknownFields { get set }
    /// The exact number of bytes ``encode(to:)`` writes.
    func encodedSize() -> Int
    /// Writes the fields in field-number order, then the unknown fields.
    func encode(to writer: inout ProtoWriter)
    /// Reads one field whose tag was just read; unknown fields go to `unknownFields`.
    mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoDecodingError)
}

extension ProtoMessage {
    /// Reads fields until the end of the message.
    @inline(__always)
    public mutating func decodeFields(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            try decodeField(tag, from: &reader)
        }
    }

    /// The message's wire encoding.
    public func serializedBytes() -> [UInt8] {
        let size = encodedSize()
        // An empty message is the empty array: with capacity 0 the initializer below writes
        // the count into the stdlib's shared empty-array storage, which ThreadSanitizer
        // reports as a race between any two threads encoding empty messages.
        guard size > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = ProtoWriter(buffer: buffer)
            encode(to: &writer)
            precondition(writer.count == size, "ProtoWriter: encodedSize() disagrees with encode(to:)")
            initialized = size
        }
    }

    /// Appends the message's wire encoding to `buffer` (for framing it after a header).
    public func serialize(appendingTo buffer: inout [UInt8]) {
        let size = encodedSize()
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: size))
        buffer.withUnsafeMutableBufferPointer { whole in
            var writer = ProtoWriter(buffer: UnsafeMutableBufferPointer(rebasing: whole[start...]))
            encode(to: &writer)
            precondition(writer.count == size, "ProtoWriter: encodedSize() disagrees with encode(to:)")
        }
    }

    /// Decodes a message from its wire encoding.
    public init(
        serializedBytes bytes: [UInt8], options: ProtoDecodingOptions = ProtoDecodingOptions()
    ) throws(ProtoDecodingError) {
        var failure: ProtoDecodingError?
        var message = Self()
        bytes.withUnsafeBytes { buffer in
            do throws(ProtoDecodingError) {
                message = try Self(buffer: buffer, options: options)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        self = message
    }

    /// Decodes a message from bytes in memory the caller owns for the call's duration.
    public init(buffer: UnsafeRawBufferPointer, options: ProtoDecodingOptions = ProtoDecodingOptions())
        throws(ProtoDecodingError)
    {
        guard buffer.count <= options.maxMessageSize else {
            throw ProtoDecodingError(
                .messageTooLarge(size: buffer.count, limit: options.maxMessageSize), offset: 0,
                field: "\(Self.protoMessageName)")
        }
        var reader = ProtoReader(buffer: buffer, options: options, messageName: Self.protoMessageName)
        self.init()
        try decodeFields(from: &reader)
    }
}
