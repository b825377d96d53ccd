import Formats

/// The person fields of `<OutputTable>Contacts.csv`.
public struct PersonFields: Codable, Sendable, Equatable {
    public var leadspacePersonId: String?
    public var title: String?
    public var jobLevel: String?
    public var department: String?
    public var persona: String?
    public var personaScore: String?
    /// `Valid`, `Invalid`, `Unknown`, `CatchAll`.
    public var emailVerification: String?
    /// `Verified`, `Moved`, `NotVerified`.
    public var verificationStatus: String?
    public var linkedInUrl: String?
    public var phone: String?

    public init() {}

    public static func emailVerification(from value: String?) -> String? {
        switch value?.uppercased().replacingOccurrences(of: "_", with: "-") {
        case "VALID": "Valid"
        case "INVALID": "Invalid"
        case "UNKNOWN": "Unknown"
        case "CATCH-ALL", "CATCHALL": "CatchAll"
        default: nil
        }
    }

    public static func verificationStatus(from value: String?) -> String? {
        switch value?.lowercased().replacingOccurrences(of: " ", with: "") {
        case "verified": "Verified"
        case "moved": "Moved"
        case "notverified": "NotVerified"
        default: nil
        }
    }
}

/// The columns of `<OutputTable>Contacts.csv` and how one row is rendered.
public enum ContactsOutputTable {
    public static let columns = [
        "ContactId", "CustomerId", "EnrichmentStatus", "Reason", "LeadspacePersonId", "Title", "JobLevel",
        "Department", "Persona", "PersonaScore", "EmailVerification", "VerificationStatus", "LinkedInUrl", "Phone",
        "Paid", "EnrichedAt",
    ]

    public static let coverageColumns = Array(columns[4..<14])

    // Key paths to stored properties are immutable values; they are only read.
    nonisolated(unsafe) static let fieldPaths: [KeyPath<PersonFields, String?>] = [
        \.leadspacePersonId, \.title, \.jobLevel, \.department, \.persona, \.personaScore, \.emailVerification,
        \.verificationStatus, \.linkedInUrl, \.phone,
    ]

    /// One row; `paid` as in ``CompanyOutputTable/row(customerID:kind:answer:paid:)``.
    public static func row(contactID: String, customerID: String, answer: CompanyAnswer, paid: Bool = false) -> [String] {
        var row = [contactID, customerID, answer.status.rawValue, answer.rowReason]
        let person = answer.status == .enriched ? answer.person : nil
        for path in Self.fieldPaths { row.append(person?[keyPath: path] ?? "") }
        row.append(paid ? "true" : "false")
        row.append(answer.status == .invalidInput ? "" : answer.answeredAt)
        return row
    }

    public static func coveredColumns(_ person: PersonFields) -> [String] {
        zip(Self.coverageColumns, Self.fieldPaths).compactMap { column, path in
            (person[keyPath: path]?.isEmpty ?? true) ? nil : column
        }
    }
}
