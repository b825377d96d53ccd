/// The `company` object of an answer: a directory company with the confidence of the match.
public struct CompanyRecord: Encodable, Sendable, Hashable {
    public var ugCompanyID: String
    public var lsID: String
    public var name: String
    public var website: String
    public var industry: String
    public var subIndustry: String
    public var sic: String
    public var naics: String
    public var employees: Figure
    public var revenueDollar: Figure
    public var address: Address
    public var phone: String
    public var linkedInProfile: String
    public var matchingConfidence: Confidence

    /// An exact figure with the band it falls in.
    public struct Figure: Encodable, Sendable, Hashable {
        public var exact: Int
        public var range: String
    }

    public struct Address: Encodable, Sendable, Hashable {
        public var country: String
        public var state: String
        public var city: String
        public var address: String
        public var zipcode: String
    }

    public struct Confidence: Encodable, Sendable, Hashable {
        public var level: String
    }

    private enum CodingKeys: String, CodingKey {
        case ugCompanyID = "ug_company_id"
        case lsID = "ls_id"
        case name, website, industry
        case subIndustry = "sub_industry"
        case sic, naics, employees
        case revenueDollar = "revenue_dollar"
        case address, phone
        case linkedInProfile = "linkedin_profile"
        case matchingConfidence = "matching_confidence"
    }

    init(company: Company, confidence: MatchConfidence) {
        self.ugCompanyID = company.id
        self.lsID = company.id
        self.name = company.name
        self.website = company.website
        self.industry = company.industry
        self.subIndustry = company.subIndustry
        self.sic = company.sic
        self.naics = company.naics
        self.employees = Figure(exact: company.employeeCount, range: company.employeeRange)
        self.revenueDollar = Figure(exact: company.revenueUSD, range: company.revenueRange)
        self.address = Address(
            country: company.country, state: company.state, city: company.city, address: company.street,
            zipcode: company.postalCode
        )
        self.phone = company.phone
        self.linkedInProfile = company.linkedInURL
        self.matchingConfidence = Confidence(level: confidence.rawValue)
    }
}
