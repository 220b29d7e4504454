/// The Huffman code of HPACK (RFC 7541 Appendix B).
///
/// The code is canonical: codes of equal length are consecutive in symbol order and
/// shorter codes come first. So the table below holds only each symbol's code length, as
/// the appendix lists them, and the codes are derived from the lengths; the tests check
/// the result against the RFC's examples and the public interoperability stories.
enum Huffman {
    /// Code lengths in bits for symbols 0…255 and EOS (256), sixteen to a row.
    static let lengths: [UInt8] = [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  // 0x00
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  // 0x10
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,  // ' ' … '/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,  // '0' … '?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  // '@' … 'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,  // 'P' … '_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,  // '`' … 'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,  // 'p' … 0x7f
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  // 0x80
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  // 0x90
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  // 0xa0
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  // 0xb0
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  // 0xc0
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  // 0xd0
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  // 0xe0
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  // 0xf0
        30,  // EOS
    ]

    static let eos = 256

    /// The code of each symbol, right-aligned.
    static let codes: [UInt32] = {
        var codes = [UInt32](repeating: 0, count: 257)
        var code: UInt32 = 0
        var previousLength = 0
        for (index, symbol) in canonicalOrder.enumerated() {
            let length = Int(lengths[symbol])
            if index > 0 { code = (code + 1) << UInt32(length - previousLength) }
            codes[symbol] = code
            previousLength = length
        }
        return codes
    }()

    /// Symbols by (length, symbol): the order in which canonical codes are assigned.
    static let canonicalOrder: [Int] = (0...256).sorted { (lengths[$0], $0) < (lengths[$1], $1) }

    /// For each length: the first code of that length, how many codes have it, and where
    /// its symbols start in ``canonicalOrder``.
    static let byLength: [(first: UInt32, count: Int, offset: Int)] = {
        var table = [(first: UInt32, count: Int, offset: Int)](repeating: (0, 0, 0), count: 31)
        for (index, symbol) in canonicalOrder.enumerated() {
            let length = Int(lengths[symbol])
            if table[length].count == 0 { table[length] = (codes[symbol], 0, index) }
            table[length].count += 1
        }
        return table
    }()

    /// Symbols of codes of at most 9 bits, looked up by the next 9 bits: (symbol, length), or
    /// length 0 when the code is longer.
    static let fast: [(symbol: UInt16, length: UInt8)] = {
        var table = [(symbol: UInt16, length: UInt8)](repeating: (0, 0), count: 512)
        for symbol in 0...256 where lengths[symbol] <= 9 {
            let length = Int(lengths[symbol])
            let start = Int(codes[symbol]) << (9 - length)
            for index in start..<(start + (1 << (9 - length))) {
                table[index] = (UInt16(symbol), UInt8(length))
            }
        }
        return table
    }()

    /// The encoded length in bytes of `bytes`.
    static func encodedLength<C: Collection<UInt8>>(_ bytes: C) -> Int {
        var bits = 0
        for byte in bytes { bits &+= Int(lengths[Int(byte)]) }
        return (bits + 7) / 8
    }

    /// Appends the Huffman encoding of `bytes`, padded with the EOS prefix (ones).
    static func encode<C: Collection<UInt8>>(_ bytes: C, into output: inout [UInt8]) {
        var accumulator: UInt64 = 0
        var count = 0
        for byte in bytes {
            let length = Int(lengths[Int(byte)])
            accumulator = accumulator << UInt64(length) | UInt64(codes[Int(byte)])
            count += length
            while count >= 8 {
                count -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(count)))
            }
        }
        if count > 0 {
            let padding = 8 - count
            output.append(
                UInt8(truncatingIfNeeded: (accumulator << UInt64(padding)) | ((1 << UInt64(padding)) - 1)))
        }
    }

    /// Decodes a Huffman-encoded string; `nil` when it is malformed (EOS inside, padding
    /// longer than 7 bits or not all ones, or bits that form no code).
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 8 / 5)
        var accumulator: UInt64 = 0  // the unread bits, right-aligned
        var available = 0
        var index = 0
        while true {
            while available <= 56 && index < input.count {
                accumulator = accumulator << 8 | UInt64(input[index])
                available += 8
                index += 1
            }
            if available == 0 { return output }
            // Fast path: the next 9 bits decide a short code.
            if available >= 9 {
                let entry = fast[Int((accumulator >> UInt64(available - 9)) & 0x1FF)]
                if entry.length != 0 {
                    if entry.symbol == eos { return nil }
                    output.append(UInt8(entry.symbol))
                    available -= Int(entry.length)
                    continue
                }
            }
            // Canonical walk: try each length until the code falls in that length's range.
            var matched = false
            var length = 5
            while length <= 30 && length <= available {
                let code = UInt32(
                    truncatingIfNeeded: (accumulator >> UInt64(available - length))
                        & ((1 << UInt64(length)) - 1))
                let row = byLength[length]
                if row.count > 0 && code >= row.first && code - row.first < UInt32(row.count) {
                    let symbol = canonicalOrder[row.offset + Int(code - row.first)]
                    if symbol == eos { return nil }
                    output.append(UInt8(symbol))
                    available -= length
                    matched = true
                    break
                }
                length += 1
            }
            if !matched {
                // Only padding may be left: fewer than 8 bits, all ones, and no more input.
                guard index == input.count, available < 8 else { return nil }
                let mask: UInt64 = (1 << UInt64(available)) - 1
                return accumulator & mask == mask ? output : nil
            }
        }
    }
}
