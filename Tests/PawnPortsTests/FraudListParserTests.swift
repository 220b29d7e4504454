import PawnPorts
import Testing

@Suite("Fraud list parser")
struct FraudListParserTests {
    @Test("the list parser: CRLF and LF, BOM, blanks, duplicates, case, and non-UTF-8 refused")
    func parser() throws {
        let text = Array("\u{FEFF}Alice\r\n\r\n  BOB \nalice\n\tZoë\t\nlast-without-newline".utf8)
        #expect(try FraudListParser.parse(text) == ["alice", "bob", "zoë", "last-without-newline"])
        #expect(throws: FraudListError("line 2 is not UTF-8")) {
            try FraudListParser.parse([0x61, 0x0A, 0xC3, 0x28])
        }
        #expect(try FraudListParser.parse([]) == [])
    }
}
