import Formats
import Foundation
import Testing

@testable import Jobs

/// Match keys: what counts as the same company, across spellings, legal forms, scripts and countries.
struct NormalizationTests {
    @Test(arguments: [
        ("Acme, Inc.", "acme"), ("ACME Incorporated", "acme"), ("Acme Inc", "acme"), ("acme LLC", "acme"),
        ("Acme Ltd.", "acme"), ("Acme Limited", "acme"), ("Acme PLC", "acme"), ("Acme Corp.", "acme"),
        ("Acme Corporation", "acme"), ("Acme & Co.", "acme"), ("Bergmann Maschinenbau GmbH", "bergmann maschinenbau"),
        ("Bergmann GmbH & Co. KG", "bergmann"), ("Siemens AG", "siemens"), ("Saphir Mécanique S.A.R.L.", "saphir mécanique"),
        ("Renault S.A.", "renault"), ("Capgemini SAS", "capgemini"), ("Telefónica, S.L.", "telefónica"),
        ("Ferrari S.p.A.", "ferrari"), ("Luxottica S.r.l.", "luxottica"), ("Philips B.V.", "philips"),
        ("Philips N.V.", "philips"), ("Nokia Oy", "nokia"), ("Volvo AB", "volvo"), ("Equinor AS", "equinor"),
        ("Maersk ApS", "maersk"), ("Atlassian Pty Ltd", "atlassian"), ("Toyota K.K.", "toyota"),
        ("Ｔｏｙｏｔａ", "toyota"), ("  The   Acme   Company ", "acme"), ("Inc", "inc"), ("AG", "ag"),
        ("Johnson & Johnson", "johnson and johnson"), ("Müller GmbH", "müller"), ("株式会社トヨタ", "株式会社トヨタ"),
    ])
    func namesFoldAndLoseTheirLegalForms(name: String, key: String) {
        #expect(MatchKey.name(name) == key)
    }

    @Test(arguments: [
        ("https://www.Acme.com/about?x=1", "acme.com"), ("acme.com:8080", "acme.com"), ("  WWW.ACME.CO.UK/ ", "acme.co.uk"),
        ("http://user@shop.acme.de", "acme.de"), ("https://eu.store.acme.com.au/x", "acme.com.au"),
        ("acme.co.jp", "acme.co.jp"), ("gmail.com", ""), ("https://mail.yahoo.com", ""), ("john@hotmail.com", ""),
        ("", ""), ("localhost", "localhost"),
    ])
    func websitesReduceToTheirRegistrableDomain(website: String, domain: String) {
        #expect(MatchKey.domain(website) == domain)
    }

    @Test(arguments: [
        ("US", "US"), ("us", "US"), ("USA", "US"), ("United States", "US"), ("United States of America", "US"),
        ("U.S.A.", "US"), ("United Kingdom", "GB"), ("UK", "GB"), ("GBR", "GB"), ("England", "GB"),
        ("Deutschland", "DE"), ("DEU", "DE"), ("germany", "DE"), ("España", "ES"), ("The Netherlands", "NL"),
        ("Holland", "NL"), ("Türkiye", "TR"), ("", ""),
    ])
    func countriesBecomeAlpha2(country: String, code: String) {
        #expect(MatchKey.country(country) == code)
    }

    @Test func rowsNamingOneCompanyDifferentlyShareAKey() {
        let a = CompanyQuery(name: "Acme, Inc.", website: "https://www.acme.com/contact", country: "USA", city: "Austin")
        let b = CompanyQuery(name: "ACME Incorporated", website: "acme.com", country: "United States", city: "AUSTIN, TX")
        let c = CompanyQuery(name: "Acme Inc", website: "acme.com", country: "DE")
        #expect(a.matchKey == b.matchKey)
        #expect(a.matchKey != c.matchKey)
    }

    /// The scalars NFKC maps to something else, as Foundation's own normalization says (scalars compared, not
    /// strings: `==` on strings is canonical equivalence).
    private static func nfkcChanges(_ text: String) -> Bool {
        Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars) != Array(text.unicodeScalars)
    }

    @Test func theScalarsBelowU0180ThatNFKCChangesAreExactlyTheListedOnes() {
        let changed = Set((0..<0x180).compactMap(Unicode.Scalar.init).filter { Self.nfkcChanges(String($0)) }
            .map(\.value))
        #expect(changed == MatchKey.compatibilityChangedBelow0180)
    }

    @Test func noTwoUnlistedScalarsBelowU0180ComposeSoNFKCLeavesTextOfThemAsItIs() {
        // NFKC composes a scalar only with the ones next to it: if no single scalar and no pair changes, no text
        // made of them does.
        let stable = (0..<0x180).compactMap(Unicode.Scalar.init)
            .filter { !MatchKey.compatibilityChangedBelow0180.contains($0.value) }
        var composing: [String] = []
        for first in stable {
            for second in stable where Self.nfkcChanges(String(first) + String(second)) {
                composing.append(String(first) + String(second))
            }
        }
        #expect(composing.isEmpty)
    }

    @Test(arguments: [
        "Müller", "Société Générale", "Łódź", "Ĳsselmeer", "ﬁnance", "Ｔｏｙｏｔａ", "e\u{301}cole", "½ price", "Straße",
        "µ-tech", "a\u{A0}b", "Œuvre", "Ŀlorenç", "株式会社トヨタ", "Ångström", "ſtar", "",
    ])
    func compatibilityComposedIsNFKC(text: String) {
        #expect(Array(MatchKey.compatibilityComposed(text).unicodeScalars)
            == Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars))
    }
}
