import SplitMix

/// Makes realistic, messy CRM input for a directory: `accounts.csv` and `contacts.csv` with the truth behind
/// every row.
///
/// About 5% of accounts are companies the directory does not know; about 20% of the known ones repeat a
/// company (a third of those verbatim, the rest under another spelling); 2% have no name; 30% carry a
/// secondary address. Every name variant is checked against the sandbox's own matcher, so the truth file never
/// claims a match the provider cannot make.
public struct SampleGenerator: Sendable {
    public let directory: CompanyDirectory
    let matcher: CompanyMatcher

    public init(directory: CompanyDirectory) {
        self.directory = directory
        self.matcher = CompanyMatcher(directory: directory)
    }

    /// Generates the sample; the same directory and counts always give the same rows.
    public func generate(accounts accountCount: Int, contacts contactCount: Int) -> Sample {
        var random = SplitMix64(seed: self.directory.seed, stream: RandomStream.sample.rawValue)
        let madeUpCount = accountCount >= 20 ? (accountCount * 5 + 50) / 100 : 0
        let knownCount = accountCount - madeUpCount
        let distinctCount = min(self.directory.companies.count, knownCount - knownCount / 5)

        // A partial Fisher–Yates shuffle picks distinct companies without replacement.
        var indexes = Array(self.directory.companies.indices)
        for position in 0..<distinctCount {
            indexes.swapAt(position, position + random.int(below: indexes.count - position))
        }
        let distinct = Array(indexes.prefix(distinctCount))

        var rows: [AccountRow] = []
        rows.reserveCapacity(accountCount)
        for index in distinct {
            rows.append(self.accountRow(for: index, random: &random))
        }
        while rows.count < knownCount, !distinct.isEmpty {
            let original = random.int(below: distinct.count)
            // Some duplicates are the same record imported twice; most are the company keyed in again by hand.
            if random.chance(0.3) {
                rows.append(rows[original])
            } else {
                rows.append(self.accountRow(for: distinct[original], random: &random))
            }
        }
        var madeUp = MadeUpCompanies(seed: self.directory.seed, matcher: self.matcher)
        for _ in 0..<madeUpCount {
            rows.append(madeUp.next())
        }
        random.shuffle(&rows)

        var customerNumbers: Set<Int> = []
        for position in rows.indices {
            var number = random.int(in: 100_000...999_999)
            while !customerNumbers.insert(number).inserted {
                number = random.int(in: 100_000...999_999)
            }
            rows[position].customerID = "C\(number)"
        }
        // About 2% of rows lost their name on the way into the CRM (known companies only, so the truth says
        // which company the row was, though no provider can find it from what is left).
        let emptyNameCount = (accountCount * 2 + 50) / 100
        var known = rows.indices.filter { !rows[$0].companyID.isEmpty }
        random.shuffle(&known)
        for position in known.prefix(emptyNameCount) {
            rows[position].name = ""
        }
        let contacts = self.contacts(count: contactCount, accounts: rows)
        return Sample(accounts: rows, contacts: contacts)
    }

    /// One account row for a directory company, spelled and filled in the way CRMs do.
    private func accountRow(for index: Int, random: inout SplitMix64) -> AccountRow {
        let company = self.directory.companies[index]
        let profile = CountryCatalog.profile(code: company.country)
        var row = AccountRow()
        row.companyID = company.id
        switch random.int(below: 100) {
        case ..<80: row.country = company.country
        case ..<88: row.country = random.chance(0.5) ? (profile?.name ?? company.country) : company.country.lowercased()
        default: row.country = ""
        }
        row.name = self.verifiedVariant(of: company, index: index, country: row.country, random: &random)
        switch random.int(below: 100) {
        case ..<25: row.website = ""
        case ..<28:
            row.website = "www.\(TextFolding.asciiWords(company.baseName, expandUmlauts: false).joined())-old.com"
        default: row.website = WebsiteVariants.variant(of: company.domain, random: &random)
        }
        row.city = random.chance(0.75) ? company.city : ""
        row.state = !company.state.isEmpty && random.chance(0.7) ? company.state : ""
        if random.chance(0.5) {
            row.street = company.street
            row.postalCode = random.chance(0.8) ? company.postalCode : ""
        }
        row.segment = random.chance(0.9) ? profile?.segment ?? "" : ""
        if random.chance(0.3) {
            self.addSecondaryAddress(to: &row, company: company, random: &random)
        }
        return row
    }

    /// A name variant that the matcher still resolves to the company; the canonical name when a variant fails.
    private func verifiedVariant(of company: Company, index: Int, country: String, random: inout SplitMix64) -> String {
        for _ in 0..<3 {
            let name = NameVariants.variant(of: company, random: &random)
            if self.matcher.match(CompanyQuery(name: name, country: country))?.companyIndex == index {
                return name
            }
        }
        return company.name
    }

    /// Name2/Country2/City2: the same company's office elsewhere, or a subsidiary-looking entity.
    private func addSecondaryAddress(to row: inout AccountRow, company: Company, random: inout SplitMix64) {
        let others = CountryCatalog.all.filter { $0.code != company.country }
        let other = random.pick(others)
        if random.chance(0.5) {
            row.name2 = company.name
        } else {
            let form = other.legalForms[random.weightedIndex(other.legalForms.map(\.weight))].form
            row.name2 = DirectoryGenerator.fullName(baseName: company.baseName + " " + other.name, legalForm: form)
        }
        row.country2 = other.code
        row.city2 = random.pick(other.cities).name
    }
}
