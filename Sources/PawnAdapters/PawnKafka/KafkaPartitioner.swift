/// Which partition a key goes to: CRC-32 (IEEE) of the key's bytes modulo the partition
/// count — librdkafka's default `consistent_random` partitioner for a non-empty key, so
/// records produced with and without an explicit partition land on the same one.
///
/// The event log chooses the partition itself because the ordering barrier it attaches
/// (see ``KafkaEventLog``) names the partition's siblings, which must be known before the
/// record is produced.
public enum KafkaPartitioner {
    /// The partition of `key` among `count` partitions (`count` ≥ 1).
    public static func partition(for key: String, count: Int) -> Int {
        precondition(count > 0, "a topic has at least one partition")
        return Int(crc32(Array(key.utf8)) % UInt32(count))
    }

    /// CRC-32 with the IEEE polynomial, reflected (zlib's `crc32`).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
