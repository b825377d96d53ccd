/// One person of the generated directory, employed by exactly one company.
public struct Person: Sendable, Hashable {
    /// The directory id ("LSP" + 9 digits), returned as `ug_person_id`.
    public let id: String
    public let companyID: String
    public let firstName: String
    public let lastName: String
    /// Lower-case address at the company's domain.
    public let email: String
    public let title: String
    /// One of "C Level", "VP Level", "Director Level", "Manager Level", "Staff Level", "Board Level".
    public let level: String
    public let department: String
    /// One of "VALID", "INVALID", "UNKNOWN", "CATCH-ALL".
    public let emailVerification: String
    /// One of "Verified", "Moved", "Not Verified".
    public let verificationStatus: String
    public let phone: String
    public let linkedInURL: String
    /// Persona fit scores, in a fixed profile order.
    public let scores: [PersonaScore]

    /// The profiles sharing the highest positive score (empty when no score is positive).
    public var maxPositiveScoreProfiles: [String] {
        guard let best = self.scores.map(\.value).max(), best > 0 else {
            return []
        }
        return self.scores.filter { $0.value == best }.map(\.profileName)
    }
}
