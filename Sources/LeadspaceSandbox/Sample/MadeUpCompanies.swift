import SplitMix

/// Companies the directory has never heard of, for the share of accounts a provider cannot enrich.
struct MadeUpCompanies {
    private var random: SplitMix64
    private let matcher: CompanyMatcher
    private var used: Set<String> = []

    init(seed: UInt64, matcher: CompanyMatcher) {
        self.random = SplitMix64(seed: seed, stream: RandomStream.madeUpNames.rawValue)
        self.matcher = matcher
    }

    /// An account row for a company that no rule of the matcher finds, by name or by website.
    mutating func next() -> AccountRow {
        var attempt = 0
        while true {
            attempt += 1
            let country = CountryCatalog.all[self.random.weightedIndex(CountryCatalog.all.map(\.weight))]
            let industry = self.random.pick(IndustryCatalog.all).industry
            var base = CompanyNameMaker.baseName(style: country.style, industry: industry, random: &self.random)
            // Common combinations all exist in a large directory; a second brand word makes a fresh name.
            if attempt > 3 || self.random.chance(0.5) {
                let brand = self.random.pick(CompanyNameWords.brands(for: self.random.pick(Self.styles)))
                base = brand + " " + base
            }
            let form = country.legalForms[self.random.weightedIndex(country.legalForms.map(\.weight))].form
            let name = DirectoryGenerator.fullName(baseName: base, legalForm: form)
            let words = TextFolding.asciiWords(base, expandUmlauts: country.style.expandsUmlauts)
            let suffix = country.topLevelDomains[0].suffix
            let domain = words.joined(separator: self.random.chance(0.5) ? "-" : "") + "." + suffix
            guard self.used.insert(NameNormalizer.normalize(name)).inserted,
                self.matcher.match(CompanyQuery(name: name, country: country.code)) == nil,
                self.matcher.match(CompanyQuery(name: base)) == nil,
                self.matcher.match(CompanyQuery(website: domain)) == nil
            else {
                continue
            }
            let city = self.random.pick(country.cities)
            var row = AccountRow()
            row.name = self.random.chance(0.3) ? base : name
            row.website = self.random.chance(0.6) ? WebsiteVariants.variant(of: domain, random: &self.random) : ""
            row.country = self.random.chance(0.85) ? country.code : ""
            row.city = self.random.chance(0.7) ? city.name : ""
            row.state = self.random.chance(0.7) ? city.state : ""
            row.segment = country.segment
            return row
        }
    }

    private static let styles: [NameStyle] = [
        .english, .german, .french, .dutch, .nordic, .italian, .spanish, .japanese,
    ]
}
