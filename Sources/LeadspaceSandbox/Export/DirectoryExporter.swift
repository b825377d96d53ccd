import Foundation

/// Writes the directory as the ground truth tests compare enriched output with: `directory.csv` (any name) and
/// a sibling `persons.csv`.
public enum DirectoryExporter {
    /// The company file's columns; the first eight are part of the command-line contract.
    public static let companyHeader = [
        "CompanyId", "Name", "Domain", "Country", "City", "Industry", "EmployeeRange", "RevenueRange", "State",
        "Street", "PostalCode", "Phone", "LinkedInUrl", "SubIndustry", "SIC", "NAICS", "EmployeeCount",
        "RevenueUSD", "Website", "LegalForm",
    ]

    /// The person file's columns; the first six are part of the command-line contract.
    public static let personHeader = [
        "PersonId", "CompanyId", "FirstName", "LastName", "Email", "Title", "Level", "Department",
        "EmailVerification", "VerificationStatus", "Phone", "LinkedInUrl", "PersonaScores",
    ]

    /// Writes `companiesURL` and `persons.csv` in the same folder; returns the persons file's URL.
    @discardableResult
    public static func write(_ directory: CompanyDirectory, to companiesURL: URL) throws -> URL {
        try self.companyTable(directory).write(to: companiesURL)
        let personsURL = companiesURL.deletingLastPathComponent().appendingPathComponent("persons.csv")
        try self.personTable(directory).write(to: personsURL)
        return personsURL
    }

    public static func companyTable(_ directory: CompanyDirectory) -> CSVTable {
        var table = CSVTable(header: Self.companyHeader)
        for company in directory.companies {
            table.append([
                company.id, company.name, company.domain, company.country, company.city, company.industry,
                company.employeeRange, company.revenueRange, company.state, company.street, company.postalCode,
                company.phone, company.linkedInURL, company.subIndustry, company.sic, company.naics,
                String(company.employeeCount), String(company.revenueUSD), company.website, company.legalForm,
            ])
        }
        return table
    }

    public static func personTable(_ directory: CompanyDirectory) -> CSVTable {
        var table = CSVTable(header: Self.personHeader)
        for person in directory.persons {
            let scores = person.scores.map { "\($0.profileName):\($0.value)" }.joined(separator: ";")
            table.append([
                person.id, person.companyID, person.firstName, person.lastName, person.email, person.title,
                person.level, person.department, person.emailVerification, person.verificationStatus, person.phone,
                person.linkedInURL, scores,
            ])
        }
        return table
    }
}
