/// A BSON decimal128, kept as its 16 raw bytes (little-endian, IEEE 754-2008 BID).
///
/// The store never computes with decimals (money is an integer of minor units); keeping
/// the bytes lets a document that holds one be read and written back unchanged without
/// a decimal arithmetic library.
public struct BSONDecimal128: Sendable, Hashable {
    /// The 16 bytes, in wire order.
    public let bytes: [UInt8]

    /// The decimal made of `bytes`, or `nil` unless there are exactly 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }
}
