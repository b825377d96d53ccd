import Formats
import Testing

/// What a terminal would obey is shown instead: C0, DEL, C1 and the bidirectional overrides, in every position;
/// every printable letter of every script is kept as it is.
@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("Zürich 東京 Ωmega", "Zürich 東京 Ωmega"),
        ("Q4 \u{1B}[31mRED", #"Q4 \x1b[31mRED"#),
        ("title\u{1B}]0;pwned\u{07}", #"title\x1b]0;pwned\x07"#),
        ("csi\u{9B}2J", #"csi\x9b2J"#),
        ("del\u{7F}", #"del\x7f"#),
        ("abc\u{202E}fed\u{2066}", #"abc\u{202e}fed\u{2066}"#),
        ("a\tb\nc\rd", #"a\tb\nc\rd"#),
        (#"back\slash"#, #"back\\slash"#),
    ])
    func aValueIsEscaped(value: String, shown: String) {
        #expect(TerminalText.escaped(value) == shown)
    }

    @Test func aLineKeepsItsOwnBackslashesAndOptionallyItsLineBreaks() {
        #expect(TerminalText.safe(#"C:\path \u{1B}[2J"# + "\u{1B}[2J") == #"C:\path \u{1B}[2J\x1b[2J"#)
        #expect(TerminalText.safe("one\ntwo\u{07}", keepingLines: true) == "one\ntwo\\x07")
        #expect(TerminalText.safe("one\ntwo") == #"one\ntwo"#)
    }

    /// Nothing unsafe survives, whatever the input: every scalar below U+3000 in one string.
    @Test func noUnsafeScalarSurvives() {
        let all = String(String.UnicodeScalarView((0..<0x3000).compactMap(Unicode.Scalar.init)))
        for text in [TerminalText.escaped(all), TerminalText.safe(all), TerminalText.safe(all, keepingLines: true)] {
            let left = text.unicodeScalars.filter { TerminalText.isUnsafe($0) && $0 != "\n" }
            #expect(left.isEmpty)
        }
        #expect(!TerminalText.safe(all).contains("\n"))
    }
}
