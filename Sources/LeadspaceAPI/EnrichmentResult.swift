/// One answer of the enrichment API. Decoding is lenient: unknown fields are ignored, and a field that is
/// missing or of an unexpected type is treated as absent, as the real service adds and changes fields.
public struct EnrichmentResult: Decodable, Sendable, Equatable {
    /// `success` or `failure`.
    public var status: String?
    public var externalID: String?
    public var enrichmentStatus: String?
    public var company: CompanyData?
    public var person: PersonData?
    /// Per-record error code inside bulk results: 1100 internal (retry), 1200 invalid input.
    public var errorCode: Int?
    public var errorMessage: String?

    public init(status: String? = nil, externalID: String? = nil, enrichmentStatus: String? = nil,
                company: CompanyData? = nil, person: PersonData? = nil, errorCode: Int? = nil,
                errorMessage: String? = nil) {
        self.status = status
        self.externalID = externalID
        self.enrichmentStatus = enrichmentStatus
        self.company = company
        self.person = person
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    enum CodingKeys: String, CodingKey {
        case status, data
        case externalID = "external_id"
        case errorCode = "error_code"
        case code
        case error
        case message
    }

    enum ErrorKeys: String, CodingKey {
        case code, message
    }

    enum DataKeys: String, CodingKey {
        case enrichmentStatus = "enrichment_status"
        case company, person
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.status = container.lenientString(.status)
        self.externalID = container.lenientString(.externalID)
        self.errorCode = container.lenientInt(.errorCode) ?? container.lenientInt(.code)
        self.errorMessage = container.lenientString(.error) ?? container.lenientString(.message)
        // Bulk results carry a failed record's error as an object: {"code": 1100, "message": "..."}.
        if let error = try? container.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error) {
            self.errorCode = self.errorCode ?? error.lenientInt(.code)
            self.errorMessage = self.errorMessage ?? error.lenientString(.message)
        }
        if let data = try? container.nestedContainer(keyedBy: DataKeys.self, forKey: .data) {
            self.enrichmentStatus = data.lenientString(.enrichmentStatus)
            self.company = try? data.decodeIfPresent(CompanyData.self, forKey: .company)
            self.person = try? data.decodeIfPresent(PersonData.self, forKey: .person)
        }
    }

    /// Whether Leadspace found the company (a miss is an answer too, not an error).
    public var companyEnriched: Bool {
        guard let company = self.company, company.id != nil || company.name != nil else { return false }
        return self.enrichmentStatus.map { $0.localizedCaseInsensitiveContains("company") } ?? true
    }

    /// Whether Leadspace found the person.
    public var personEnriched: Bool {
        guard self.person?.id != nil else { return false }
        return self.enrichmentStatus.map { $0.localizedCaseInsensitiveContains("person") } ?? true
    }
}

public struct CompanyData: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var website: String?
    public var industry: String?
    public var subIndustry: String?
    public var sic: String?
    public var naics: String?
    public var employeeCount: String?
    public var employeeRange: String?
    public var revenueUSD: String?
    public var revenueRange: String?
    public var country: String?
    public var state: String?
    public var city: String?
    public var street: String?
    public var postalCode: String?
    public var phone: String?
    public var linkedInURL: String?
    /// `HIGH`, `MEDIUM`, `LOW` or `VERY LOW`.
    public var confidenceLevel: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case ugCompanyID = "ug_company_id"
        case lsID = "ls_id"
        case name, website, industry, sic, naics, employees, address, phone
        case subIndustry = "sub_industry"
        case revenue = "revenue_dollar"
        case linkedIn = "linkedin_profile"
        case confidence = "matching_confidence"
    }

    enum RangeKeys: String, CodingKey { case exact, range }
    enum AddressKeys: String, CodingKey { case country, state, city, address, zipcode }
    enum ConfidenceKeys: String, CodingKey { case level }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.id = c.lenientString(.ugCompanyID) ?? c.lenientString(.lsID)
        self.name = c.lenientString(.name)
        self.website = c.lenientString(.website)
        self.industry = c.lenientString(.industry)
        self.subIndustry = c.lenientString(.subIndustry)
        self.sic = c.lenientString(.sic)
        self.naics = c.lenientString(.naics)
        if let employees = try? c.nestedContainer(keyedBy: RangeKeys.self, forKey: .employees) {
            self.employeeCount = employees.lenientString(.exact)
            self.employeeRange = employees.lenientString(.range)
        }
        if let revenue = try? c.nestedContainer(keyedBy: RangeKeys.self, forKey: .revenue) {
            self.revenueUSD = revenue.lenientString(.exact)
            self.revenueRange = revenue.lenientString(.range)
        }
        if let address = try? c.nestedContainer(keyedBy: AddressKeys.self, forKey: .address) {
            self.country = address.lenientString(.country)
            self.state = address.lenientString(.state)
            self.city = address.lenientString(.city)
            self.street = address.lenientString(.address)
            self.postalCode = address.lenientString(.zipcode)
        }
        self.phone = c.lenientString(.phone)
        self.linkedInURL = c.lenientString(.linkedIn)
        if let confidence = try? c.nestedContainer(keyedBy: ConfidenceKeys.self, forKey: .confidence) {
            self.confidenceLevel = confidence.lenientString(.level)
        }
    }
}

public struct PersonData: Decodable, Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var level: String?
    public var department: String?
    public var emailVerification: String?
    public var verificationStatus: String?
    public var linkedInURL: String?
    public var phone: String?
    /// The best-fitting persona profile and its score.
    public var persona: String?
    public var personaScore: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case id = "ug_person_id"
        case title, level, department, phone, analytics
        case emailVerification = "original_email_verification_status"
        case verificationStatus = "verification_status"
        case linkedIn = "linkedin_profile"
    }

    enum AnalyticsKeys: String, CodingKey {
        case scores
        case best = "max_positive_score_profiles"
    }

    struct Score: Decodable {
        var profile: String?
        var value: Double?
        enum CodingKeys: String, CodingKey {
            case profile = "profile_name"
            case score
        }
        enum ValueKeys: String, CodingKey { case value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.profile = c.lenientString(.profile)
            if let score = try? c.nestedContainer(keyedBy: ValueKeys.self, forKey: .score) {
                self.value = score.lenientString(.value).flatMap(Double.init)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.id = c.lenientString(.id)
        self.title = c.lenientString(.title)
        self.level = c.lenientString(.level)
        self.department = c.lenientString(.department)
        self.emailVerification = c.lenientString(.emailVerification)
        self.verificationStatus = c.lenientString(.verificationStatus)
        self.linkedInURL = c.lenientString(.linkedIn)
        self.phone = c.lenientString(.phone)
        if let analytics = try? c.nestedContainer(keyedBy: AnalyticsKeys.self, forKey: .analytics) {
            let scores = ((try? analytics.decodeIfPresent([Score].self, forKey: .scores)) ?? nil) ?? []
            let best = ((try? analytics.decodeIfPresent([String].self, forKey: .best)) ?? nil) ?? []
            let chosen = best.first.flatMap { name in scores.first { $0.profile == name } }
                ?? scores.filter { $0.value != nil }.max { $0.value! < $1.value! }
            if let chosen {
                self.persona = chosen.profile
                // Whole scores print without ".0"; a huge one (a fuzzer found 7.7e20) must not trap converting to Int.
                self.personaScore = chosen.value.map { $0.rounded() == $0 && abs($0) < 1e15 ? String(Int64($0)) : String($0) }
            }
        }
    }
}

/// The error body Leadspace sends with 4xx/5xx answers, when it sends one.
public struct ErrorBody: Decodable, Sendable, Equatable {
    public var error: String?
    public var trackingID: String?
    public var details: String?

    enum CodingKeys: String, CodingKey {
        case error
        case trackingID = "tracking_id"
        case details
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.error = c.lenientString(.error)
        self.trackingID = c.lenientString(.trackingID)
        self.details = c.lenientString(.details)
    }
}

extension KeyedDecodingContainer {
    /// A string, or a number/boolean rendered as one; `nil` when absent, null or of another type.
    func lenientString(_ key: Key) -> String? {
        if let value = try? self.decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? self.decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? self.decodeIfPresent(Double.self, forKey: key) {
            return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        if let value = try? self.decodeIfPresent(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    func lenientInt(_ key: Key) -> Int? {
        if let value = try? self.decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? self.decodeIfPresent(String.self, forKey: key) { return Int(value) }
        return nil
    }
}
