import CPawnSHA

/// SHA-256 (FIPS 180-4), incremental: feed bytes with `update`, read the digest with
/// `finalize`. Ours because the product links no crypto library; checked against the NIST
/// example vectors and, in the S3 tests, against what an S3 server computes.
///
/// The compression function runs on the CPU's SHA extensions (x86 SHA-NI, through compiler
/// intrinsics in a header of ours) when the CPU has them, and in portable Swift otherwise;
/// both are checked against the vectors and against each other.
public struct SHA256: Sendable {
    /// How the compression function runs.
    public enum Implementation: Sendable, Hashable {
        /// Portable Swift, everywhere.
        case portable
        /// The CPU's SHA instructions.
        case hardware
    }

    /// The CPU's SHA instructions when it has them (asked once, by CPUID), else portable Swift.
    public static let fastest: Implementation = pawn_sha256_hardware() != 0 ? .hardware : .portable

    /// The implementation this hasher uses.
    public let implementation: Implementation
    /// The digest's length in bytes.
    public static let byteCount = 32
    /// The block length in bytes (HMAC needs it).
    public static let blockByteCount = 64

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    /// A hash of nothing yet, on ``fastest``.
    public init() { self.init(implementation: Self.fastest) }

    /// A hash of nothing yet on `implementation` (``Implementation/hardware`` falls back to
    /// portable Swift on a CPU without the instructions).
    public init(implementation: Implementation) {
        self.implementation = implementation == .hardware ? Self.fastest : .portable
    }

    /// The digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        if bytes.withContiguousStorageIfAvailable({ hasher.update($0) }) == nil {
            hasher.update(Array(bytes))
        }
        return hasher.finalize()
    }

    /// The digest of `bytes` in lower-case hex (SigV4's `HexEncode(Hash(…))`).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(hash(bytes))
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// Adds the bytes `input` points to.
    public mutating func update(_ input: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(input.count)
        var index = 0
        if !buffer.isEmpty {
            let take = min(Self.blockByteCount - buffer.count, input.count)
            buffer.append(contentsOf: input[0..<take])
            index = take
            guard buffer.count == Self.blockByteCount else { return }
            buffer.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
            buffer.removeAll(keepingCapacity: true)
        }
        let blocks = (input.count - index) / Self.blockByteCount
        if blocks > 0 {
            compress(input.baseAddress! + index, blocks: blocks)
            index += blocks * Self.blockByteCount
        }
        if index < input.count { buffer.append(contentsOf: input[index...]) }
    }

    /// The digest; the hasher is spent.
    public mutating func finalize() -> [UInt8] {
        // The last one or two blocks: what is buffered, 0x80, zeros, the length in bits.
        let bits = length &* 8
        let used = buffer.count
        let blocks = used + 9 <= Self.blockByteCount ? 1 : 2
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * Self.blockByteCount) { tail in
            let count = blocks * Self.blockByteCount
            for index in 0..<count { tail[index] = 0 }
            for index in 0..<used { tail[index] = buffer[index] }
            tail[used] = 0x80
            for index in 0..<8 { tail[count - 1 - index] = UInt8(truncatingIfNeeded: bits >> (8 * index)) }
            compress(UnsafePointer(tail.baseAddress!), blocks: blocks)
        }
        buffer.removeAll()
        // The eight words, big-endian (a homogeneous tuple is laid out as an array).
        return withUnsafeBytes(of: state) { words in
            [UInt8](unsafeUninitializedCapacity: Self.byteCount) { digest, initialized in
                for index in 0..<8 {
                    let word = words.load(fromByteOffset: 4 * index, as: UInt32.self)
                    digest[4 * index] = UInt8(truncatingIfNeeded: word >> 24)
                    digest[4 * index + 1] = UInt8(truncatingIfNeeded: word >> 16)
                    digest[4 * index + 2] = UInt8(truncatingIfNeeded: word >> 8)
                    digest[4 * index + 3] = UInt8(truncatingIfNeeded: word)
                }
                initialized = Self.byteCount
            }
        }
    }

    /// Runs the compression function over `blocks` consecutive 64-byte blocks.
    private mutating func compress(_ data: UnsafePointer<UInt8>, blocks: Int) {
        if implementation == .hardware {
            withUnsafeMutableBytes(of: &state) { words in
                pawn_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self), data, blocks)
            }
            return
        }
        for block in 0..<blocks { compress(data + block * Self.blockByteCount) }
    }

    private mutating func compress(_ block: UnsafePointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] =
                    UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16 | UInt32(block[4 * t + 2])
                    << 8
                    | UInt32(block[4 * t + 3])
            }
            for t in 16..<64 {
                let s0 = w[t - 15].rotatedRight(7) ^ w[t - 15].rotatedRight(18) ^ (w[t - 15] >> 3)
                let s1 = w[t - 2].rotatedRight(17) ^ w[t - 2].rotatedRight(19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            for t in 0..<64 {
                let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                let choose = (e & f) ^ (~e & g)
                let temp1 = h &+ s1 &+ choose &+ Self.k[t] &+ w[t]
                let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ s0 &+ majority)
            }
            state = (
                state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f,
                state.6 &+ g, state.7 &+ h
            )
        }
    }

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
        0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7,
        0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc,
        0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351,
        0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e,
        0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585,
        0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f,
        0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
        0xc671_78f2,
    ]
}

extension UInt32 {
    @inline(__always) fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self >> count) | (self << (32 - count))
    }
}

/// HMAC (RFC 2104) with SHA-256, checked against the RFC 4231 vectors.
public enum HMACSHA256 {
    /// The authentication code of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}

/// Lower-case hexadecimal, as SigV4 writes digests.
public enum Hex {
    /// `bytes` as lower-case hex digits.
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a hex string, or `nil` if it is not one.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
