/// The columns of `<OutputTable>.csv` and how one row is rendered.
public enum CompanyOutputTable {
    public static let columns = [
        "CustomerId", "AddressType", "EnrichmentStatus", "MatchConfidence", "LeadspaceCompanyId", "CompanyName",
        "Website", "Industry", "SubIndustry", "SIC", "NAICS", "EmployeeCount", "EmployeeRange", "RevenueUSD",
        "RevenueRange", "Country", "State", "City", "Street", "PostalCode", "Phone", "LinkedInUrl", "Source",
        "EnrichedAt",
    ]

    /// The enriched-data columns whose coverage `result.json` reports.
    public static let coverageColumns = Array(columns[4..<22])

    // Key paths to stored properties are immutable values; they are only read.
    nonisolated(unsafe) static let fieldPaths: [KeyPath<CompanyFields, String?>] = [
        \.leadspaceCompanyId, \.companyName, \.website, \.industry, \.subIndustry, \.sic, \.naics, \.employeeCount,
        \.employeeRange, \.revenueUSD, \.revenueRange, \.country, \.state, \.city, \.street, \.postalCode, \.phone,
        \.linkedInUrl,
    ]

    /// One output row for a customer and address kind.
    public static func row(customerID: String, kind: AddressKind, answer: CompanyAnswer) -> [String] {
        var row = [customerID, kind.outputName, answer.status.rawValue, answer.confidence ?? ""]
        let company = answer.status == .enriched ? answer.company : nil
        for path in Self.fieldPaths { row.append(company?[keyPath: path] ?? "") }
        row.append(answer.status == .enriched || answer.status == .notEnriched ? answer.source : "")
        row.append(answer.status == .invalidInput ? "" : answer.answeredAt)
        return row
    }

    /// Which coverage columns an enriched answer fills.
    public static func coveredColumns(_ company: CompanyFields) -> [String] {
        zip(Self.coverageColumns, Self.fieldPaths).compactMap { column, path in
            (company[keyPath: path]?.isEmpty ?? true) ? nil : column
        }
    }
}
