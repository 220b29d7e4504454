import PawnProtocol

/// `pawnshop.test.ScalarZoo` (Fixtures/scalars.proto), written by hand against the public
/// codec API, as a user would for a message of their own.
struct ScalarZoo: ProtoMessage {
    static var protoMessageName: StaticString { "pawnshop.test.ScalarZoo" }

    var i32: Int32 = 0
    var i64: Int64 = 0
    var u32: UInt32 = 0
    var u64: UInt64 = 0
    var s32: Int32 = 0
    var s64: Int64 = 0
    var f32: UInt32 = 0
    var f64: UInt64 = 0
    var sf32: Int32 = 0
    var sf64: Int64 = 0
    var fl: Float = 0
    var db: Double = 0
    var flag = false
    var text = ""
    var blob: [UInt8] = []
    var packedS64: [Int64] = []
    var packedF32: [UInt32] = []
    var packedDb: [Double] = []
    var texts: [String] = []
    var unpackedU64: [UInt64] = []
    var child: Box? = nil
    var farField: Int64 = 0
    var unknownFields = UnknownFields()

    /// A recursive message needs indirection.
    final class Box: Hashable, Sendable {
        let value: ScalarZoo
        init(_ value: ScalarZoo) { self.value = value }
        static func == (a: Box, b: Box) -> Bool { a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    init() {}

    func encodedSize() -> Int {
        var size = unknownFields.bytes.count
        size += ProtoSize.int32(1, i32) + ProtoSize.int64(2, i64) + ProtoSize.uint32(3, u32)
        size += ProtoSize.uint64(4, u64) + ProtoSize.sint32(5, s32) + ProtoSize.sint64(6, s64)
        size += ProtoSize.fixed32(7, f32) + ProtoSize.fixed64(8, f64)
        size +=
            ProtoSize.fixed32(9, UInt32(bitPattern: sf32)) + ProtoSize.fixed64(10, UInt64(bitPattern: sf64))
        size += ProtoSize.fixed32(11, fl.bitPattern) + ProtoSize.fixed64(12, db.bitPattern)
        size += ProtoSize.bool(13, flag) + ProtoSize.string(14, text) + ProtoSize.bytes(15, blob)
        size += ProtoSize.packed(
            16, payload: ProtoSize.packedVarintPayload(packedS64) { ZigZag.encode64($0) })
        size += ProtoSize.packedFixed32(17, count: packedF32.count)
        size += ProtoSize.packedFixed64(18, count: packedDb.count)
        size += ProtoSize.repeatedString(19, texts)
        for value in unpackedU64 { size += ProtoSize.uint64(20, value, always: true) }
        if let child { size += ProtoSize.lengthDelimited(21, length: child.value.encodedSize()) }
        size += ProtoSize.int64(536_870_911, farField)
        return size
    }

    func encode(to writer: inout ProtoWriter) {
        writer.writeInt32(1, i32)
        writer.writeInt64(2, i64)
        writer.writeUInt32(3, u32)
        writer.writeUInt64(4, u64)
        writer.writeSInt32(5, s32)
        writer.writeSInt64(6, s64)
        writer.writeFixed32Field(7, f32)
        writer.writeFixed64Field(8, f64)
        writer.writeFixed32Field(9, UInt32(bitPattern: sf32))
        writer.writeFixed64Field(10, UInt64(bitPattern: sf64))
        writer.writeFixed32Field(11, fl.bitPattern)
        writer.writeFixed64Field(12, db.bitPattern)
        writer.writeBool(13, flag)
        writer.writeString(14, text)
        writer.writeBytes(15, blob)
        writer.writePacked(
            16, packedS64, payload: ProtoSize.packedVarintPayload(packedS64) { ZigZag.encode64($0) }
        ) {
            ZigZag.encode64($0)
        }
        writer.writePackedFixed32(17, packedF32)
        writer.writePackedFixed64(18, packedDb.map(\.bitPattern))
        writer.writeRepeatedString(19, texts)
        for value in unpackedU64 { writer.writeUInt64(20, value, always: true) }
        if let child {
            writer.writeTag(21, .lengthDelimited)
            writer.writeVarint(UInt64(child.value.encodedSize()))
            child.value.encode(to: &writer)
        }
        writer.writeInt64(536_870_911, farField)
        writer.writeUnknown(unknownFields)
    }

    mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoDecodingError) {
        switch tag.number {
        case 1: i32 = try reader.int32(tag, "i32")
        case 2: i64 = try reader.int64(tag, "i64")
        case 3: u32 = try reader.uint32(tag, "u32")
        case 4: u64 = try reader.uint64(tag, "u64")
        case 5: s32 = try reader.sint32(tag, "s32")
        case 6: s64 = try reader.sint64(tag, "s64")
        case 7: f32 = try reader.fixed32(tag, "f32")
        case 8: f64 = try reader.fixed64(tag, "f64")
        case 9: sf32 = Int32(bitPattern: try reader.fixed32(tag, "sf32"))
        case 10: sf64 = Int64(bitPattern: try reader.fixed64(tag, "sf64"))
        case 11: fl = Float(bitPattern: try reader.fixed32(tag, "fl"))
        case 12: db = Double(bitPattern: try reader.fixed64(tag, "db"))
        case 13: flag = try reader.bool(tag, "flag")
        case 14: text = try reader.string(tag, "text")
        case 15: blob = try reader.bytes(tag, "blob")
        case 16: try reader.repeatedVarint(tag, "packedS64", into: &packedS64) { ZigZag.decode64($0) }
        case 17: try reader.repeatedFixed32(tag, "packedF32", into: &packedF32) { $0 }
        case 18: try reader.repeatedFixed64(tag, "packedDb", into: &packedDb) { Double(bitPattern: $0) }
        case 19: texts.append(try reader.string(tag, "texts"))
        case 20: try reader.repeatedVarint(tag, "unpackedU64", into: &unpackedU64) { $0 }
        case 21: child = Box(try reader.message(tag, "child", mergingInto: child?.value))
        case 536_870_911: farField = try reader.int64(tag, "farField")
        default: try reader.skip(tag, into: &unknownFields)
        }
    }
}
