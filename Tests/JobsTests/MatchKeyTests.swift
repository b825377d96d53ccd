import Formats
import Testing

@testable import Jobs

struct MatchKeyTests {
    @Test(arguments: [
        ("https://www.Acme.com/about?x=1", "acme.com"), ("acme.com:8080", "acme.com"), ("  WWW.ACME.CO.UK/ ", "acme.co.uk"),
        ("http://user@shop.acme.de", "acme.de"), ("", ""),
    ])
    func websitesReduceToTheirHost(website: String, domain: String) {
        #expect(MatchKey.domain(website) == domain)
    }

    @Test func rowsThatDifferOnlyInCaseSpacingAndPunctuationShareAKey() {
        let a = CompanyQuery(name: "Acme,  Inc.", website: "https://acme.com", country: "US")
        let b = CompanyQuery(name: "ACME Inc", website: "www.acme.com/", country: "us")
        let c = CompanyQuery(name: "Acme Inc", website: "acme.com", country: "DE")
        #expect(a.matchKey == b.matchKey)
        #expect(a.matchKey != c.matchKey)
    }
}
