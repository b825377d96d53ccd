import Formats
import Testing

@testable import Jobs

/// The rules that decide which rows share one paid lookup, each with as many pairs that must stay apart as pairs
/// that must merge.
struct MatchingRulesTests {
    // MARK: Legal forms (ISO 20275)

    @Test(arguments: [
        ("Holland Casino N.V. NL", "Holland Casino"), ("Ericsson AB Sweden", "Ericsson"),
        ("Software AG España", "Software AG"), ("Acme GmbH Deutschland", "Acme"),
        ("Koninklijke Philips naamloze vennootschap", "Koninklijke Philips N.V."),
        ("Volkswagen Aktiengesellschaft", "Volkswagen AG"), ("Saphir société à responsabilité limitée", "Saphir SARL"),
        ("Bergmann Gesellschaft mit beschränkter Haftung", "Bergmann GmbH"), ("Nokia Osakeyhtiö", "Nokia Oy"),
        ("Acme Public Limited Company", "Acme plc"), ("Equinor Allmennaksjeselskap", "Equinor ASA"),
        ("Zahn Börner G.m.b.H.", "Zahn Börner GmbH"), ("Telefónica Sociedad Anónima", "Telefónica S.A."),
        ("Checa & Asociados S. Coop.", "Checa y Asociados"), ("Müller & Söhne", "Müller und Söhne"),
        ("Frick & Cie.", "Frick"), ("Wiek GbR", "Wiek"),
    ])
    func legalFormsInFullOrFollowedByACountryAreStripped(spelling: String, same: String) {
        #expect(MatchKey.name(spelling) == MatchKey.name(same), "\(spelling) → \(MatchKey.name(spelling))")
    }

    @Test(arguments: [
        ("Gates Foundation", "Gates Corporation"), ("Deutsche Bank Stiftung", "Deutsche Bank AG"),
        ("Acme Company Store", "Acme Inc"), ("Northern Trust", "Northern Ltd"), ("Acme Bank", "Acme"),
        ("Acme Credit Union", "Acme Inc"), ("Acme 1 GmbH", "Acme 2 GmbH"), ("Acme GmbH 2", "Acme GmbH"),
        ("Acme Limited Edition", "Acme"), ("Acme Savings Bank", "Acme"), ("Acme Trust Company", "Acme Company"),
        ("Inc Magazine", "Magazine"), ("Acme Stichting", "Acme B.V."), ("Matrix PL", "Matrix"),
        ("Quanta Computer CN", "Quanta Computer"), ("Access IS", "Access"), ("Next Gen Communications", "Next"),
        ("Macy's", "Macy"), ("Red Bee Media", "Red"),
    ])
    func wordsThatNameAnotherEntityStay(a: String, b: String) {
        #expect(MatchKey.name(a) != MatchKey.name(b), "\(a) and \(b) both → \(MatchKey.name(a))")
    }

    @Test func aShortFormThatIsAlsoACountryCodeIsStrippedInItsJurisdictionOnly() {
        // Australia's "NL" (no liability), Denmark's "I/S".
        #expect(MatchKey.name("Acme NL", country: "AU") == "acme")
        #expect(MatchKey.name("Acme NL", country: "US") == "acme nl")
        #expect(MatchKey.name("Acme I/S", country: "DK") == "acme")
        #expect(MatchKey.name("Acme I/S") == "acme is")
        // Without a country, a country-code website says where the company is.
        #expect(CompanyQuery(name: "Acme I/S", website: "acme.dk").matchKey == "acme|acme.dk|")
    }

    @Test func aLegalFormFollowedByOneOfTheJobsCitiesLeavesTheName() {
        let keys = [CompanyQuery(name: "Brouwerij Alfa B.V. Utrecht", country: "NL").matchKey,
                    CompanyQuery(name: "Brouwerij Alfa", website: "alfa.nl", country: "NL").matchKey,
                    CompanyQuery(name: "Luxottica S.p.A. Milano", country: "IT").matchKey,
                    CompanyQuery(name: "Luxottica", country: "IT").matchKey,
                    CompanyQuery(name: "Acme Company Utrecht", country: "NL").matchKey]
        let cities: [[[String]]] = [[["utrecht"]], [["utrecht"]], [["milano"]], [["milano"]], [["utrecht"]]]
        let grouping = LookupGrouping(keys: keys, rows: [1, 1, 1, 1, 1], keyCities: cities)
        #expect(grouping.target == [keys[1], keys[1], keys[3], keys[3], keys[4]], "\(keys)")
        #expect(grouping.saved[.placeAfterLegalForm] == 1 && grouping.saved[.incompleteTwin] == 1)
        // Without that city in the job, the name keeps it.
        #expect(LookupGrouping(keys: keys, rows: [1, 1, 1, 1, 1]).target[0] == keys[0])
    }

    @Test func theTableComesFromTheStandard() {
        #expect(LegalFormTable.source.hasPrefix("ISO 20275"))
        #expect(LegalForms.count > 3_000)
    }

    // MARK: Registrable domains (Public Suffix List)

    @Test(arguments: [
        ("https://x.city.kawasaki.jp/a", "city.kawasaki.jp"), ("acme.github.io", "acme.github.io"),
        ("www.acme.com.br", "acme.com.br"), ("shop.acme.co.uk", "acme.co.uk"), ("a.b.acme.gov.uk", "acme.gov.uk"),
        ("eu.acme.com.au", "acme.com.au"), ("acme.pvt.k12.ma.us", "acme.pvt.k12.ma.us"), ("www.acme.de", "acme.de"),
        ("ACME.COM", "acme.com"), ("co.uk", "co.uk"),
    ])
    func registrableDomainsFollowThePublicSuffixList(website: String, domain: String) {
        #expect(MatchKey.domain(website) == domain)
    }

    @Test(arguments: [
        ("acme.github.io", "other.github.io"), ("acme.co.uk", "other.co.uk"), ("acme.com", "acme.com.au"),
        ("x.city.kawasaki.jp", "y.kawasaki.jp"), ("acme.de", "acme.at"), ("shop.acme.com", "shop.acne.com"),
        ("acme.herokuapp.com", "acne.herokuapp.com"), ("acme.com.br", "acme.net.br"), ("acme.gov.uk", "acme.org.uk"),
        ("acme.pvt.k12.ma.us", "other.pvt.k12.ma.us"),
    ])
    func differentRegistrableDomainsStayApart(a: String, b: String) {
        #expect(MatchKey.domain(a) != MatchKey.domain(b))
    }

    @Test func theSystemListIsUsedAndAMissingOneFallsBack() {
        #expect(PublicSuffixList.shared.source == PublicSuffixList.systemPath, "Debian's publicsuffix is installed")
        #expect(PublicSuffixList.shared.ruleCount > 5_000)
        #expect(PublicSuffixList(path: "/nonexistent/public_suffix_list.dat") == nil)
        let fallback = PublicSuffixList.builtIn
        #expect(fallback.registrableDomain("shop.acme.co.uk") == "acme.co.uk")
        #expect(fallback.registrableDomain("shop.acme.de") == "acme.de")
        let parsed = PublicSuffixList(text: "// c\nck\n*.ck\n!www.ck\nuk\nco.uk\n", source: "test")
        #expect(parsed.registrableDomain("a.b.ck") == "a.b.ck")
        #expect(parsed.registrableDomain("www.ck") == "www.ck")
        #expect(parsed.registrableDomain("x.acme.co.uk") == "acme.co.uk")
    }

    // MARK: Placeholders

    @Test(arguments: [
        "N/A", "n.a.", "Unknown", "test", "Freelance", "NULL", "Self-employed", "-", ".", "???", "none", "TBD",
        "Inconnu", "unbekannt", "k.A.", "n.v.t.", "Privat", "Particulier", "Desconocido", "Inc", "LLC", "GmbH & Co. KG",
        "xxx", "0", "Private", "Individual", "nan",
    ])
    func placeholdersAreNoCompany(name: String) {
        #expect(MatchKey.isPlaceholder(name))
    }

    @Test(arguments: [
        "Nullsoft", "Testa Rossa", "Private Bank of Scotland", "Unknown Worlds Entertainment", "Na Pali Tours",
        "Self Storage Inc", "X Corp", "3M", "Home Depot", "Test Valley Brewing", "Freelance Media Ltd", "AB Volvo",
        "Individual Foodservice", "Noneland GmbH", "IKEA", "NA Holdings", "Nil Desperandum Ltd", "Testo AG",
        "Inconnu Studio", "Privat Bank AG", "TBD Media", "Other World Computing", "Demo Day Events", "Student Loan Co",
        "Retired Racing", "Private Equity Partners", "Void Linux Foundation", "Blank Rome LLP", "Sample Size Inc",
        "Various Artists Ltd",
    ])
    func realNamesAreNotPlaceholders(name: String) {
        #expect(!MatchKey.isPlaceholder(name))
    }

    // MARK: Incomplete twins

    /// Keys (`name|domain|country`) → the key each is looked up by.
    static let twinCases: [(keys: [String], expected: [String])] = [
        // Positive: one fuller key.
        (["acme||", "acme|acme.com|US"], ["acme|acme.com|US", "acme|acme.com|US"]),
        (["acme||US", "acme|acme.com|US"], ["acme|acme.com|US", "acme|acme.com|US"]),
        (["acme|acme.com|", "acme|acme.com|US"], ["acme|acme.com|US", "acme|acme.com|US"]),
        (["acme||", "acme||US", "acme|acme.com|US"], Array(repeating: "acme|acme.com|US", count: 3)),
        (["acme|acme.com|", "acme||US", "acme|acme.com|US", "acme|acme.de|DE"],
         ["acme|acme.com|US", "acme|acme.com|US", "acme|acme.com|US", "acme|acme.de|DE"]),
        (["acme||", "acme|acme.com|"], ["acme|acme.com|", "acme|acme.com|"]),
        // Negative: two compatible fuller keys, incompatible fields, other names.
        (["acme||", "acme|acme.com|US", "acme|acme.de|DE"], ["acme||", "acme|acme.com|US", "acme|acme.de|DE"]),
        (["acme||US", "acme|acme.com|US", "acme|acme.net|US"], ["acme||US", "acme|acme.com|US", "acme|acme.net|US"]),
        (["acme||DE", "acme|acme.com|US"], ["acme||DE", "acme|acme.com|US"]),
        (["acme|acme.de|", "acme|acme.com|US"], ["acme|acme.de|", "acme|acme.com|US"]),
        (["acme||", "acme|acme.com|", "acme||DE"], ["acme||", "acme|acme.com|", "acme||DE"]),
        (["acme||", "acme corp|acme.com|US"], ["acme||", "acme corp|acme.com|US"]),
    ]

    @Test(arguments: Self.twinCases.indices)
    func incompleteRowsJoinTheirOneFullerTwin(case index: Int) {
        let (keys, expected) = Self.twinCases[index]
        let grouping = LookupGrouping(keys: keys, rows: keys.map { _ in 1 }, options: .init(nearDuplicates: .off))
        #expect(grouping.target == expected)
        #expect(grouping.saved[.incompleteTwin, default: 0] == zip(keys, expected).filter { $0 != $1 }.count)
    }

    @Test func acrossJobsOnlyKeysWithAWebsiteOrCountryJoinAKnownTwin() {
        let known = ["acme|acme.com|US"]
        let grouping = LookupGrouping(keys: ["acme||US", "acme|acme.com|", "acme||"], rows: [1, 1, 1]) { name in
            name == "acme" ? known : []
        }
        #expect(grouping.target == ["acme|acme.com|US", "acme|acme.com|US", "acme||"])
        // The job's own fuller twin decides; the cache is not asked then.
        var asked = false
        let own = LookupGrouping(keys: ["acme||US", "acme|acme.net|US"], rows: [1, 1]) { _ in asked = true; return known }
        #expect(own.target == ["acme|acme.net|US", "acme|acme.net|US"] && !asked)
        // Two known fuller keys: no merge.
        let two = LookupGrouping(keys: ["acme||US"], rows: [1]) { _ in known + ["acme|acme.org|US"] }
        #expect(two.target == ["acme||US"])
    }

    @Test func rulesCanBeTurnedOff() {
        let keys = ["acme||", "acme|acme.com|US"]
        let off = LookupGrouping(keys: keys, rows: [1, 1], options: .init(incompleteTwins: false, nearDuplicates: .off))
        #expect(off.target == keys)
    }

    // MARK: Near-duplicates

    @Test(arguments: [
        ("internationale handelsmaatschapij noord", "internationale handelsmaatschappij noord"),
        ("konijnklijke philips", "koninklijke philips"), ("bergmann maschinenbau", "bergmann maschinenbua"),
        ("hamburger hafen logistik", "hamburger hafen logisitk"), ("schneider electirc", "schneider electric"),
    ])
    func oneEditInALongWordSharesALookupWhenAskedFor(a: String, b: String) {
        let grouping = LookupGrouping(keys: ["\(a)||NL", "\(b)||NL"], rows: [1, 3], options: .init(nearDuplicates: .any))
        #expect(grouping.target == ["\(b)||NL", "\(b)||NL"])
        #expect(grouping.saved[.nearDuplicate] == 1)
        // By default only the same website is evidence enough.
        #expect(LookupGrouping(keys: ["\(a)||NL", "\(b)||NL"], rows: [1, 3]).target == ["\(a)||NL", "\(b)||NL"])
        let same = ["\(a)|acme.nl|NL", "\(b)|acme.nl|NL"]
        #expect(LookupGrouping(keys: same, rows: [1, 3]).target == [same[1], same[1]])
    }

    @Test(arguments: [("hanssen gruppeen", "hanssen gruppen"), ("artner und hüter", "artner und hütter"),
                      ("salesforse", "salesforce")])
    func withTheSameWebsiteShorterWordsAndAnyEditQualify(a: String, b: String) {
        let keys = ["\(a)|acme.no|NO", "\(b)|acme.no|NO"]
        #expect(LookupGrouping(keys: keys, rows: [1, 2]).target == [keys[1], keys[1]])
        let other = ["\(a)|acme.no|NO", "\(b)|other.no|NO"]
        #expect(LookupGrouping(keys: other, rows: [1, 2], options: .init(nearDuplicates: .any)).target == other)
    }

    @Test(arguments: [
        ("acme east", "acme west"), ("acme north", "acme south"), ("acme nord", "acme süd"),
        ("acme holding 1", "acme holding 2"), ("bank of colombia", "bank of columbia"),
        ("acme", "acne"), ("stadtwerke hannover", "stadtwerke hannoverr"), ("acme projekt12345", "acme projekt12346"),
        ("mueller maschinenbau", "mueller maschinenbau gmbh"), ("bergmann maschinenbau", "bergmann maschinenbau nord"),
        ("anderson partners", "andersen partners"), ("christensen consulting", "christiansen consulting"),
        ("carlsson konsult", "carlson konsult"), ("petersen holding", "peterson holding"),
        ("it service", "it services"), ("informatica", "informatika"),
        ("getworkers", "networkers"), ("tranxition", "transition"),
    ])
    func wordsThatTellCompaniesApartNeverMerge(a: String, b: String) {
        let grouping = LookupGrouping(keys: ["\(a)||DE", "\(b)||DE"], rows: [1, 3], cities: ["hannover", "hannoverr"],
                                      options: .init(nearDuplicates: .any))
        #expect(grouping.target == ["\(a)||DE", "\(b)||DE"])
    }

    @Test func nearDuplicatesWithDifferentWebsitesStayApart() {
        let keys = ["koninklijke philips|philips.com|NL", "konijnklijke philips|phillips.nl|NL"]
        #expect(LookupGrouping(keys: keys, rows: [2, 1], options: .init(nearDuplicates: .any)).target == keys)
        let same = ["koninklijke philips|philips.com|NL", "konijnklijke philips|philips.com|NL"]
        #expect(LookupGrouping(keys: same, rows: [2, 1]).target == [same[0], same[0]])
    }

    @Test func aNearDuplicateFollowsItsRepresentativeIntoItsTwin() {
        let keys = ["konijnklijke philips||", "koninklijke philips||NL", "koninklijke philips|philips.com|NL"]
        let grouping = LookupGrouping(keys: keys, rows: [1, 1, 5], options: .init(nearDuplicates: .any))
        #expect(grouping.target == Array(repeating: keys[2], count: 3))
    }

    @Test func editsAreCountedExactly() {
        func edit(_ a: String, _ b: String) -> Bool {
            LookupGrouping.edit(Array(a.unicodeScalars), Array(b.unicodeScalars)) != nil
        }
        #expect(edit("koninklijke", "konijnklijke") && edit("abcdefgh", "abcdefhg") && edit("abcdefgh", "abcxefgh"))
        #expect(edit("abcdefgh", "abcdefg") && edit("müller", "muller"))
        #expect(!edit("abcdefgh", "abcdefgh") && !edit("abcdefgh", "badcefgh") && !edit("abcdefgh", "abcdef"))
        #expect(!edit("abcdefgh", "hgfedcba"))
        #expect(LookupGrouping.edit(Array("handelsmaatschapij".unicodeScalars), Array("handelsmaatschappij".unicodeScalars))
                == .insertion("p", doubled: true))
    }
}
