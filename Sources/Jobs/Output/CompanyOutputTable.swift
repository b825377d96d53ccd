import Formats

/// The columns of `<OutputTable>.csv` and how one row is rendered.
public enum CompanyOutputTable {
    public static let columns = ["CustomerId", "AddressType", "EnrichmentStatus", "Reason", "MatchConfidence"]
        + coverageColumns + ["Source", "Paid", "EnrichedAt"]

    /// The enriched-data columns whose coverage `result.json` reports: the company fields.
    public static let coverageColumns = CompanyFields.Field.allCases.map(\.column)

    /// One output row for a customer and address kind. `paid`: this row carries the cost of its lookup (the
    /// first row of a lookup this job bought; every other row sharing it says false).
    public static func row(customerID: String, kind: AddressKind, answer: CompanyAnswer, paid: Bool = false) -> [String] {
        var row = [customerID, kind.outputName, answer.status.rawValue, answer.rowReason, answer.confidence ?? ""]
        let company = answer.status == .enriched ? answer.company : nil
        if let company {
            for value in company.outputValues { row.append(value ?? "") }
        } else {
            row.append(contentsOf: repeatElement("", count: Self.coverageColumns.count))
        }
        row.append(answer.status == .enriched || answer.status == .notEnriched ? answer.source : "")
        row.append(paid ? "true" : "false")
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
    var outputValues: [String?] { self.values }
}
