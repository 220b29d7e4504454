/// Comparing shared secrets (the join token) without telling an attacker, by how long the
/// answer takes, how much of a guess was right.
public enum Secret {
    /// Whether `presented` equals `expected`, looking at every byte of the longer of the two
    /// whatever they hold (only the lengths, not the contents, can show in the time taken).
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        let (a, b) = (Array(presented.utf8), Array(expected.utf8))
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
