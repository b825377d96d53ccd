import Formats

/// What one customer row (for one address kind) asks Leadspace: the user's original values.
public struct CompanyQuery: Sendable, Hashable, Codable {
    public var name: String
    public var website: String?
    public var country: String?
    public var state: String?
    public var city: String?
    public var street: String?
    public var postalCode: String?

    public init(name: String, website: String? = nil, country: String? = nil, state: String? = nil,
                city: String? = nil, street: String? = nil, postalCode: String? = nil) {
        self.name = name
        self.website = website
        self.country = country
        self.state = state
        self.city = city
        self.street = street
        self.postalCode = postalCode
    }

    /// The key that decides which rows share one lookup: the normalized name, registrable domain and country
    /// (what identifies a company; city and street spellings vary without naming another company).
    /// Rows with equal keys are looked up once.
    public var matchKey: String {
        Self.keyParts(nameTokens: MatchKey.nameTokens(self.name), domain: MatchKey.domain(self.website ?? ""),
                      country: self.country).key
    }

    /// The parts of ``matchKey`` from the name's ``MatchKey/nameTokens(_:)`` and the website's
    /// ``MatchKey/domain(_:)``, which a row has already computed (placeholder and free-mail checks).
    static func keyParts(nameTokens: [String], domain: String, country: String?) -> CompanyKeyParts {
        let country = MatchKey.country(country ?? "")
        // The jurisdiction of the legal form: the country, else the website's country-code domain (".se").
        let jurisdiction = country.isEmpty ? MatchKey.countryOfDomain(domain) : country
        return CompanyKeyParts(name: MatchKey.name(tokens: nameTokens, country: jurisdiction), domain: domain,
                               country: country)
    }
}
