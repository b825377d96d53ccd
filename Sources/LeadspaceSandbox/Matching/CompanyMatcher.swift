/// Finds directory companies (and persons) the way a data provider does: by id, domain, normalized name and
/// country, then by weaker evidence (a name's first words, one typo).
///
/// All indexes are dictionaries built once, so a lookup costs a handful of hash probes; the matcher is an
/// immutable value and safe to share between any number of concurrent requests.
public struct CompanyMatcher: Sendable {
    public let directory: CompanyDirectory
    private let byID: [String: Int]
    private let byDomain: [String: Int]
    private let byName: [String: Int]
    /// Proper token prefixes of normalized names ("northwind" for "northwind analytics") → companies.
    private let byPrefix: [String: [Int]]
    /// One-scalar deletions of normalized names of six scalars or more → companies, for the typo rule.
    private let byDeletion: [String: [Int]]
    /// Lower-case e-mail address → person index.
    private let byEmail: [String: Int]
    /// Normalized name of each company, by company index.
    private let normalizedNames: [String]

    /// Names shorter than this are too easy to hit by accident to be matched with a typo.
    static let minimumTypoLength = 6

    public init(directory: CompanyDirectory) {
        self.directory = directory
        var byID: [String: Int] = [:]
        var byDomain: [String: Int] = [:]
        var byName: [String: Int] = [:]
        var byPrefix: [String: [Int]] = [:]
        var byDeletion: [String: [Int]] = [:]
        var normalizedNames: [String] = []
        normalizedNames.reserveCapacity(directory.companies.count)
        byID.reserveCapacity(directory.companies.count)
        byDomain.reserveCapacity(directory.companies.count)
        byName.reserveCapacity(directory.companies.count)
        for (index, company) in directory.companies.enumerated() {
            byID[company.id] = index
            byDomain[company.domain] = index
            let tokens = NameNormalizer.tokens(company.name)
            let key = tokens.joined(separator: " ")
            byName[key] = index
            normalizedNames.append(key)
            if tokens.count > 1 {
                for length in 1..<tokens.count {
                    byPrefix[tokens[..<length].joined(separator: " "), default: []].append(index)
                }
            }
            if key.unicodeScalars.count >= Self.minimumTypoLength {
                for deletion in EditDistance.deletions(key) {
                    byDeletion[deletion, default: []].append(index)
                }
            }
        }
        var byEmail: [String: Int] = [:]
        byEmail.reserveCapacity(directory.persons.count)
        for (index, person) in directory.persons.enumerated() {
            byEmail[person.email] = index
        }
        self.byID = byID
        self.byDomain = byDomain
        self.byName = byName
        self.byPrefix = byPrefix
        self.byDeletion = byDeletion
        self.byEmail = byEmail
        self.normalizedNames = normalizedNames
    }

    /// Returns the best company for the query, or nil for a miss.
    public func match(_ query: CompanyQuery) -> CompanyMatch? {
        let lsid = query.lsid.trimmingWhitespace().uppercased()
        if !lsid.isEmpty, let index = self.byID[lsid] {
            return CompanyMatch(companyIndex: index, confidence: .high, rule: .directoryID)
        }
        if let host = WebsiteNormalizer.host(query.website), let index = self.company(atDomain: host) {
            return CompanyMatch(companyIndex: index, confidence: .high, rule: .domain)
        }
        let country = CountryNormalizer.code(query.country)
        let tokens = NameNormalizer.tokens(query.name)
        if !tokens.isEmpty, let match = self.matchName(tokens: tokens, country: country) {
            return match
        }
        let emailDomain = query.emailDomain.trimmingWhitespace().lowercased()
        if !emailDomain.isEmpty, let index = self.company(atDomain: emailDomain) {
            return CompanyMatch(companyIndex: index, confidence: .medium, rule: .emailDomain)
        }
        return nil
    }

    /// The index of the company with this directory id.
    public func companyIndex(id: String) -> Int? {
        self.byID[id]
    }

    /// The person with this e-mail address (case-insensitive), if the directory has one.
    public func personIndex(email: String) -> Int? {
        let key = email.trimmingWhitespace().lowercased()
        guard !key.isEmpty else {
            return nil
        }
        return self.byEmail[key]
    }

    /// The person of the company whose folded first and last names equal the given ones.
    public func personIndex(firstName: String, lastName: String, companyIndex: Int) -> Int? {
        let key = NameNormalizer.personKey(firstName, lastName)
        guard !key.isEmpty else {
            return nil
        }
        let company = self.directory.companies[companyIndex]
        return company.personIndexes.first { index in
            let person = self.directory.persons[index]
            return NameNormalizer.personKey(person.firstName, person.lastName) == key
        }
    }

    /// The company whose normalized name is exactly `key`.
    func exactName(_ key: String) -> Int? {
        self.byName[key]
    }

    /// Companies whose normalized names start with the words of `key` and go on.
    func prefixCandidates(_ key: String) -> [Int] {
        self.byPrefix[key] ?? []
    }

    /// Companies one of whose one-scalar deletions is `key`.
    func deletionEntries(_ key: String) -> [Int] {
        self.byDeletion[key] ?? []
    }

    /// The normalized name of the company at `index`.
    func normalizedName(ofCompanyAt index: Int) -> String {
        self.normalizedNames[index]
    }

    /// The company owning `host` or one of its parent domains ("eu.shop.acme.com" → "acme.com").
    private func company(atDomain host: String) -> Int? {
        for candidate in WebsiteNormalizer.candidateDomains(host) {
            if let index = self.byDomain[candidate] {
                return index
            }
        }
        return nil
    }
}
