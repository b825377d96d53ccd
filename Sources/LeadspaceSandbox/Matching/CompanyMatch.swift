/// A company the matcher found, and how sure it is.
public struct CompanyMatch: Sendable, Hashable {
    /// Index into ``CompanyDirectory/companies``.
    public let companyIndex: Int
    public let confidence: MatchConfidence
    /// Which rule found it, for logs and tests.
    public let rule: Rule

    /// The evidence a match rests on.
    public enum Rule: String, Sendable {
        case directoryID
        case domain
        case emailDomain
        case nameAndCountry
        case name
        case namePrefix
        case nameExtension
        case nameTypo
    }

    public init(companyIndex: Int, confidence: MatchConfidence, rule: Rule) {
        self.companyIndex = companyIndex
        self.confidence = confidence
        self.rule = rule
    }
}
