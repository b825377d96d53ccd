import SplitMix

/// Builds a ``CompanyDirectory`` one company at a time, keeping ids, names and domains unique.
///
/// Every company draws from its own random stream (seed, index), so a change in how one company is made shifts
/// no other company; only the uniqueness sets couple a company to the ones before it.
struct DirectoryGenerator {
    private(set) var companies: [Company] = []
    private(set) var persons: [Person] = []

    let seed: UInt64
    private var normalizedNames: Set<String> = []
    private var domains: Set<String> = []
    private var companyNumbers: Set<Int> = []
    private var personNumbers: Set<Int> = []
    private var linkedInSlugs: Set<String> = []

    private let countryWeights = CountryCatalog.all.map(\.weight)
    private let industryWeights = IndustryCatalog.all.map(\.weight)

    init(seed: UInt64) {
        self.seed = seed
    }

    mutating func generate(companyCount: Int) {
        self.companies.reserveCapacity(companyCount)
        for index in 0..<companyCount {
            self.companies.append(self.makeCompany(index: index))
        }
    }

    private mutating func makeCompany(index: Int) -> Company {
        var random = SplitMix64(seed: self.seed, stream: RandomStream.company.rawValue, index: UInt64(index))
        let country = CountryCatalog.all[random.weightedIndex(self.countryWeights)]
        let industry = IndustryCatalog.all[random.weightedIndex(self.industryWeights)].industry
        let subIndustry = random.pick(industry.subIndustries)
        let legalForm = country.legalForms[random.weightedIndex(country.legalForms.map(\.weight))].form
        let city = random.pick(country.cities)
        let baseName = self.uniqueBaseName(country: country, industry: industry, city: city, random: &random)
        let domain = self.uniqueDomain(baseName: baseName, country: country, random: &random)

        let band = SizeBands.employeeBands[random.weightedIndex(SizeBands.employeeBands.map(\.weight))]
        var employees = random.int(in: band.range)
        if band.label == "10001+" {
            // Very large companies are rare even within the top band: squeeze most of them towards its bottom.
            employees = 10_001 + (employees - 10_001) * random.int(in: 1...100) / 100
        }
        let perEmployee = industry.revenuePerEmployee * random.int(in: 55...145) / 100
        let revenue = max(1, employees * perEmployee / 1_000) * 1_000

        let personCount = min(employees, [0, 1, 2, 3, 4, 5][random.weightedIndex([10, 15, 20, 20, 20, 15])])
        let companyID = self.uniqueCompanyID(random: &random)
        let firstPerson = self.persons.count
        self.appendPersons(
            count: personCount, companyIndex: index, companyID: companyID, domain: domain, country: country,
            city: city
        )

        return Company(
            id: companyID,
            name: Self.fullName(baseName: baseName, legalForm: legalForm),
            baseName: baseName,
            legalForm: legalForm,
            domain: domain,
            country: country.code,
            state: city.state,
            city: city.name,
            street: StreetAddressMaker.street(style: country.streetStyle, random: &random),
            postalCode: Self.fill(random.pick(city.postalPatterns), random: &random),
            phone: Self.phone(country: country, city: city, random: &random),
            linkedInURL: "https://www.linkedin.com/company/" + self.uniqueSlug(baseName, country, &random),
            industry: industry.name,
            subIndustry: subIndustry.name,
            sic: subIndustry.sic,
            naics: subIndustry.naics,
            employeeCount: employees,
            employeeRange: SizeBands.employeeRange(for: employees),
            revenueUSD: revenue,
            revenueRange: SizeBands.revenueRange(for: revenue),
            personIndexes: firstPerson..<self.persons.count
        )
    }

    /// The legal name: base name and legal form joined by a space ("Sakura Electronics Co., Ltd.").
    static func fullName(baseName: String, legalForm: String) -> String {
        baseName + " " + legalForm
    }

    private mutating func uniqueBaseName(
        country: CountryProfile, industry: Industry, city: City, random: inout SplitMix64
    ) -> String {
        for attempt in 0..<40 {
            var candidate = CompanyNameMaker.baseName(style: country.style, industry: industry, random: &random)
            if attempt >= 30 {
                // The common combinations are taken: qualify the name by its home town as real firms do.
                candidate += " " + city.name
            }
            if self.claimName(candidate) {
                return candidate
            }
        }
        var suffix = 2
        while true {
            let candidate =
                CompanyNameMaker.baseName(style: country.style, industry: industry, random: &random)
                + " \(suffix)"
            if self.claimName(candidate) {
                return candidate
            }
            suffix += 1
        }
    }

    /// Claims a base name if its normalized key is free and the name does not itself end in a legal form (which
    /// the normalizer would strip, making the name and its legal-form-less spelling disagree).
    private mutating func claimName(_ baseName: String) -> Bool {
        guard let last = TextFolding.words(baseName).last, !NameNormalizer.legalForms.contains(last) else {
            return false
        }
        let key = NameNormalizer.normalize(baseName)
        guard !key.isEmpty, self.normalizedNames.insert(key).inserted else {
            return false
        }
        return true
    }

    /// Claims a domain; false when another company already has it.
    mutating func claimDomain(_ domain: String) -> Bool {
        self.domains.insert(domain).inserted
    }

    /// Claims a LinkedIn slug; false when another company already has it.
    mutating func claimSlug(_ slug: String) -> Bool {
        self.linkedInSlugs.insert(slug).inserted
    }

    /// Claims a person number; false when another person already has it.
    mutating func claimPersonNumber(_ number: Int) -> Bool {
        self.personNumbers.insert(number).inserted
    }

    /// Adds a finished person to the directory.
    mutating func appendPerson(_ person: Person) {
        self.persons.append(person)
    }

    private mutating func uniqueCompanyID(random: inout SplitMix64) -> String {
        while true {
            let number = random.int(in: 10_000_000...99_999_999)
            if self.companyNumbers.insert(number).inserted {
                return "LS\(number)"
            }
        }
    }
}
