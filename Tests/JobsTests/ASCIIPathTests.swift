import SplitMix
import Formats
import Testing

@testable import Jobs

/// The byte-level ASCII paths of MatchKey must give exactly what the Unicode paths give: a key that differed
/// would split one company into two lookups (paid twice) or merge two.
struct ASCIIPathTests {
    /// Names, websites and countries as they appear in CRM exports, plus punctuation and spacing edge cases.
    static let corpus: [String] = [
        "Acme, Inc.", "ACME Incorporated", "  The   Acme   Company ", "Johnson & Johnson", "AT&T", "A&B&&C", "&",
        "Bergmann GmbH & Co. KG", "S.A.R.L.", "s a", "The", "the the", "3M", "7-Eleven, Inc.", "X", "", " ", "\t\n\r",
        "Acme\u{0B}Corp", "Acme\u{0C}Ltd", "Acme\u{1C}Corp", "O'Reilly Media", "Yahoo!", "Ben & Jerry's Homemade",
        "https://www.Acme.com/about?x=1#top", "http://shop.acme.co.uk:8080/", "acme.com.", "www.acme.com..",
        "mailto:jane@gmail.com", "jane@yahoo.co.uk", "ftp://user:pw@files.acme.de/x", "://acme.io", "a://b://c.com",
        "localhost", "acme", ".com", "..", "co.uk", "shop.co.uk", "x.y.z.com.au", "GMAIL.COM", " gmail.com ",
        "U.S.A.", "United  States", "uk", "u s", "Deutschland", "DE", "de", "d.e.", "Fra", "ZZ", "z", "New Zealand",
        "  nl\t", "N.L.", "united states of america",
    ]

    static func randomASCII(_ generator: inout SplitMix64) -> String {
        let alphabet = Array("aAbBzZ09 .,&-'/:@?#\t\n\r\u{0B}\u{0C}\u{1C}!coukmgil".utf8)
        let length = Int(generator.next() % 24)
        return String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] },
                      as: UTF8.self)
    }

    @Test func asciiPathsEqualUnicodePaths() {
        var generator = SplitMix64(seed: 0x5EED)
        let inputs = Self.corpus + (0..<5_000).map { _ in Self.randomASCII(&generator) }
        for input in inputs {
            #expect(MatchKey.asciiFold(input) == MatchKey.unicodeFold(input), "fold \(input.debugDescription)")
            #expect(MatchKey.asciiNameTokens(input) == MatchKey.unicodeNameTokens(input),
                    "name tokens \(input.debugDescription)")
            #expect(MatchKey.asciiDomain(input) == MatchKey.unicodeDomain(input), "domain \(input.debugDescription)")
        }
    }

    @Test func nonASCIITakesTheUnicodePath() {
        #expect(MatchKey.name("Ｔｏｙｏｔａ K.K.") == "toyota")
        #expect(MatchKey.name("Müller GmbH") == "müller")
        #expect(MatchKey.country("Österreich") == "AT")
        #expect(MatchKey.domain(" https://www.bücher.de/ ") == "bücher.de")
    }
}
