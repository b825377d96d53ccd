import Formats

/// The answer for one distinct lookup, as recorded in the job's ledger and fanned out to every row sharing it.
public struct CompanyAnswer: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case enriched = "Enriched"
        case notEnriched = "NotEnriched"
        case invalidInput = "InvalidInput"
        case error = "Error"
    }

    public var status: Status
    /// `High`, `Medium`, `Low`, `VeryLow`.
    public var confidence: String?
    public var company: CompanyFields?
    /// For person lookups (contacts).
    public var person: PersonFields?
    public var reason: String?
    public var trackingID: String?
    /// `lookup` or `cache`.
    public var source: String
    /// ISO 8601, when Leadspace answered.
    public var answeredAt: String

    public init(status: Status, confidence: String? = nil, company: CompanyFields? = nil, person: PersonFields? = nil,
                reason: String? = nil, trackingID: String? = nil, source: String = "lookup", answeredAt: String) {
        self.status = status
        self.confidence = confidence
        self.company = company
        self.person = person
        self.reason = reason
        self.trackingID = trackingID
        self.source = source
        self.answeredAt = answeredAt
    }

    /// Whether this job bought the answer: Leadspace answered this job's own request (found or not: both are
    /// billed). Answers from the cache, from another job's lookup, or refused as invalid are free.
    public var wasPaid: Bool {
        self.source == "lookup" && (self.status == .enriched || self.status == .notEnriched)
    }

    /// Why an output row is what it is: empty when enriched; `no match`, the input problem, or `error: …`.
    public var rowReason: String {
        switch self.status {
        case .enriched: ""
        case .notEnriched: self.reason ?? "no match"
        case .invalidInput: self.reason ?? "invalid input"
        case .error: "error: " + (self.reason ?? "unknown")
        }
    }

    /// Leadspace's match confidence, as the output names it, strongest first.
    public enum Confidence: String, Sendable, CaseIterable, Comparable {
        case high = "High"
        case medium = "Medium"
        case low = "Low"
        case veryLow = "VeryLow"

        /// Weaker is less: `.low < .high`.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            Self.allCases.firstIndex(of: lhs)! > Self.allCases.firstIndex(of: rhs)!
        }
    }

    /// The `Reason` of an answer weaker than the job's `minimumConfidence`.
    public static let belowMinimumConfidence = "below minimum confidence"

    /// This answer as a job with `minimum` confidence writes it: an enriched answer with less (or none) becomes
    /// `NotEnriched` with reason ``belowMinimumConfidence``, without the company's fields but with its confidence
    /// (so a reader sees why); bought all the same, so ``wasPaid`` does not change.
    public func applying(minimum: Confidence?) -> CompanyAnswer {
        guard let minimum, self.status == .enriched else { return self }
        if let level = self.confidence.flatMap(Confidence.init(rawValue:)), level >= minimum { return self }
        var weaker = self
        weaker.status = .notEnriched
        weaker.company = nil
        weaker.reason = Self.belowMinimumConfidence
        return weaker
    }

    /// Maps Leadspace's confidence levels (`HIGH`, `MEDIUM`, `LOW`, `VERY LOW`) to the output's names.
    public static func confidence(fromLevel level: String?) -> String? {
        guard let level else { return nil }
        switch level.uppercased().replacingOccurrences(of: "_", with: " ") {
        case "HIGH": return "High"
        case "MEDIUM": return "Medium"
        case "LOW": return "Low"
        case "VERY LOW", "VERYLOW": return "VeryLow"
        default: return nil
        }
    }
}

/// The company fields of an answer: the one list of them (``Field``) that the output table's columns, the answer
/// JSON of ledger and cache, coverage and `Codable` all read.
public struct CompanyFields: Codable, Sendable, Equatable {
    /// One company field: its JSON member name (the case's name) and its output-table column.
    public enum Field: Int, CaseIterable, Sendable {
        case leadspaceCompanyId
        case companyName
        case website
        case industry
        case subIndustry
        case sic
        case naics
        case employeeCount
        case employeeRange
        case revenueUSD
        case revenueRange
        case country
        case state
        case city
        case street
        case postalCode
        case phone
        case linkedInUrl

        public var jsonName: String { Self.jsonNames[self.rawValue] }
        public var column: String { Self.columns[self.rawValue] }

        private static let jsonNames = Self.allCases.map { "\($0)" }
        private static let columns = [
            "LeadspaceCompanyId", "CompanyName", "Website", "Industry", "SubIndustry", "SIC", "NAICS",
            "EmployeeCount", "EmployeeRange", "RevenueUSD", "RevenueRange", "Country", "State", "City", "Street",
            "PostalCode", "Phone", "LinkedInUrl"
        ]
        /// JSON member name → field (answers are read per member, thousands a second).
        static let byJSONName = Dictionary(uniqueKeysWithValues: Self.allCases.map { ($0.jsonName, $0) })
    }

    /// The values in ``Field`` order.
    public private(set) var values = [String?](repeating: nil, count: Field.allCases.count)

    public init() {}

    public subscript(field: Field) -> String? {
        get { self.values[field.rawValue] }
        set { self.values[field.rawValue] = newValue }
    }

    public var leadspaceCompanyId: String? {
        get { self.values[Field.leadspaceCompanyId.rawValue] }
        set { self.values[Field.leadspaceCompanyId.rawValue] = newValue }
    }
    public var companyName: String? {
        get { self.values[Field.companyName.rawValue] }
        set { self.values[Field.companyName.rawValue] = newValue }
    }
    public var website: String? {
        get { self.values[Field.website.rawValue] }
        set { self.values[Field.website.rawValue] = newValue }
    }
    public var industry: String? {
        get { self.values[Field.industry.rawValue] }
        set { self.values[Field.industry.rawValue] = newValue }
    }
    public var subIndustry: String? {
        get { self.values[Field.subIndustry.rawValue] }
        set { self.values[Field.subIndustry.rawValue] = newValue }
    }
    public var sic: String? {
        get { self.values[Field.sic.rawValue] }
        set { self.values[Field.sic.rawValue] = newValue }
    }
    public var naics: String? {
        get { self.values[Field.naics.rawValue] }
        set { self.values[Field.naics.rawValue] = newValue }
    }
    public var employeeCount: String? {
        get { self.values[Field.employeeCount.rawValue] }
        set { self.values[Field.employeeCount.rawValue] = newValue }
    }
    public var employeeRange: String? {
        get { self.values[Field.employeeRange.rawValue] }
        set { self.values[Field.employeeRange.rawValue] = newValue }
    }
    public var revenueUSD: String? {
        get { self.values[Field.revenueUSD.rawValue] }
        set { self.values[Field.revenueUSD.rawValue] = newValue }
    }
    public var revenueRange: String? {
        get { self.values[Field.revenueRange.rawValue] }
        set { self.values[Field.revenueRange.rawValue] = newValue }
    }
    public var country: String? {
        get { self.values[Field.country.rawValue] }
        set { self.values[Field.country.rawValue] = newValue }
    }
    public var state: String? {
        get { self.values[Field.state.rawValue] }
        set { self.values[Field.state.rawValue] = newValue }
    }
    public var city: String? {
        get { self.values[Field.city.rawValue] }
        set { self.values[Field.city.rawValue] = newValue }
    }
    public var street: String? {
        get { self.values[Field.street.rawValue] }
        set { self.values[Field.street.rawValue] = newValue }
    }
    public var postalCode: String? {
        get { self.values[Field.postalCode.rawValue] }
        set { self.values[Field.postalCode.rawValue] = newValue }
    }
    public var phone: String? {
        get { self.values[Field.phone.rawValue] }
        set { self.values[Field.phone.rawValue] = newValue }
    }
    public var linkedInUrl: String? {
        get { self.values[Field.linkedInUrl.rawValue] }
        set { self.values[Field.linkedInUrl.rawValue] = newValue }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for field in Field.allCases {
            self[field] = try container.decodeIfPresent(String.self, forKey: Key(stringValue: field.jsonName))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for field in Field.allCases {
            try container.encodeIfPresent(self[field], forKey: Key(stringValue: field.jsonName))
        }
    }
}

extension CompanyAnswer {
    /// An answer time as written now (`2026-11-30T13:47:44.781Z`); answers stored by versions that wrote UTC
    /// without the `Z` get it, so an output table never mixes the two.
    static func utc(_ stamp: String) -> String {
        let bytes = stamp.utf8
        guard bytes.count == 23, bytes.last != UInt8(ascii: "Z"),
            bytes[bytes.index(bytes.startIndex, offsetBy: 10)] == UInt8(ascii: "T")
        else { return stamp }
        return stamp + "Z"
    }
}
