import Formats
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
}
