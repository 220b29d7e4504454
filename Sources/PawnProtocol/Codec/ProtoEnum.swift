/// A proto3 enum. Proto3 enums are open: a number this code does not know decodes to the
/// `unrecognized` case, keeps its value and is written back unchanged.
public protocol ProtoEnum: Hashable, Sendable {
    /// The enum for a wire number; never fails.
    init(protoValue: Int32)
    /// The wire number.
    var protoValue: Int32 { get }
}
