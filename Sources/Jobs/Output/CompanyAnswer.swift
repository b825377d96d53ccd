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

/// The company fields of the output table.
public struct CompanyFields: Codable, Sendable, Equatable {
    public var leadspaceCompanyId: String?
    public var companyName: String?
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
    public var linkedInUrl: String?

    public init() {}
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
