/// One company of the generated directory, with every value the sandbox returns for it.
///
/// The values are exactly what `export` writes and what a 200 response carries, so a test can compare an
/// enriched record with the exported ground truth field by field.
public struct Company: Sendable, Hashable {
    /// The directory id ("LS" + 8 digits), returned as both `ug_company_id` and `ls_id`.
    public let id: String
    /// The full legal name, e.g. "Bergmann Maschinenbau GmbH".
    public let name: String
    /// The name without its legal form, e.g. "Bergmann Maschinenbau".
    public let baseName: String
    /// The legal form as the directory writes it, e.g. "GmbH".
    public let legalForm: String
    /// Registrable domain, lower case, e.g. "bergmann-maschinenbau.de".
    public let domain: String
    /// ISO 3166-1 alpha-2 country code.
    public let country: String
    /// State or province code; empty outside the US, Canada and Australia.
    public let state: String
    public let city: String
    public let street: String
    public let postalCode: String
    public let phone: String
    public let linkedInURL: String
    public let industry: String
    public let subIndustry: String
    public let sic: String
    public let naics: String
    public let employeeCount: Int
    public let employeeRange: String
    public let revenueUSD: Int
    public let revenueRange: String
    /// Indexes of this company's persons in ``CompanyDirectory/persons``.
    public let personIndexes: Range<Int>

    /// The company's website as the directory returns it.
    public var website: String {
        "https://www." + self.domain
    }
}
