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

    /// One output row for a customer and address kind.
    public static func row(customerID: String, kind: AddressKind, answer: CompanyAnswer) -> [String] {
        var row = [customerID, kind.outputName, answer.status.rawValue, answer.confidence ?? ""]
        let company = answer.status == .enriched ? answer.company : nil
        if let company {
            for value in company.outputValues { row.append(value ?? "") }
        } else {
            row.append(contentsOf: repeatElement("", count: Self.coverageColumns.count))
        }
        row.append(answer.status == .enriched || answer.status == .notEnriched ? answer.source : "")
        row.append(answer.status == .invalidInput ? "" : answer.answeredAt)
        return row
    }

    /// Which coverage columns an enriched answer fills.
    public static func coveredColumns(_ company: CompanyFields) -> [String] {
        zip(Self.coverageColumns, company.outputValues).compactMap { column, value in
            (value?.isEmpty ?? true) ? nil : column
        }
    }
}

extension CompanyFields {
    /// The values of the table's company columns (`coverageColumns`), in order.
    var outputValues: [String?] {
        [self.leadspaceCompanyId, self.companyName, self.website, self.industry, self.subIndustry, self.sic, self.naics,
         self.employeeCount, self.employeeRange, self.revenueUSD, self.revenueRange, self.country, self.state, self.city,
         self.street, self.postalCode, self.phone, self.linkedInUrl]
    }
}
