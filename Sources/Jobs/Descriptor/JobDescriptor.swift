import Formats

/// An enrichment job as users describe it in `job.json`: Customer Insights' "enrich company profiles with
/// Leadspace" settings.
public struct JobDescriptor: Sendable, Equatable {
    /// The enrichment's display name, e.g. "EMEA accounts Q4".
    public var name: String
    /// Names the output files: `<outputTable>.csv` and `<outputTable>Contacts.csv`.
    public var outputTable: String
    /// The connection (in the daemon's configuration) to look companies up with.
    public var connection: String
    public var customers: CustomerDataSet
    /// The address kinds to identify customers by, each looked up separately.
    public var identifyBy: [AddressKind]
    public var mappings: [AddressKind: FieldMapping]
    public var contacts: ContactsSpec?
    /// Which rules beyond equal match keys may share a lookup (`"matching"`: both on unless turned off).
    public var matching: LookupGrouping.Options
    /// The saved enrichment this job is a run of (`"enrichment"`: set by `enrichctl enrichment run`); when it
    /// succeeds, its outputs become the enrichment's `current/`, and every run gets a line in its history.
    public var enrichment: EnrichmentName?
    /// For a run of a saved enrichment: the refresh it serves (`"refreshDueAt"`, ISO 8601): the schedule's slot,
    /// or when it was run by hand. Its history line carries it; the schedule counts from it.
    public var refreshDueAt: String?
    /// Answers Leadspace gives with less confidence than this (`"minimumConfidence"`) are written as
    /// `NotEnriched`, reason `below minimum confidence`; they were bought all the same (`Paid=true`).
    public var minimumConfidence: CompanyAnswer.Confidence?
    /// The most records the job may send to Leadspace (`"maxPaidLookups"`): reached, it pauses where it stands
    /// until the cap is raised (job.json in active/, then a reload).
    public var maxPaidLookups: Int?

    public init(
        name: String,
        outputTable: String,
        connection: String = "default",
        customers: CustomerDataSet,
        identifyBy: [AddressKind] = [.primary],
        mappings: [AddressKind: FieldMapping],
        contacts: ContactsSpec? = nil,
        matching: LookupGrouping.Options = LookupGrouping.Options(),
        enrichment: EnrichmentName? = nil,
        refreshDueAt: String? = nil,
        minimumConfidence: CompanyAnswer.Confidence? = nil,
        maxPaidLookups: Int? = nil
    ) {
        self.name = name
        self.outputTable = outputTable
        self.connection = connection
        self.customers = customers
        self.identifyBy = identifyBy
        self.mappings = mappings
        self.contacts = contacts
        self.matching = matching
        self.enrichment = enrichment
        self.refreshDueAt = refreshDueAt
        self.minimumConfidence = minimumConfidence
        self.maxPaidLookups = maxPaidLookups
    }
}

/// Primary or secondary address: a customer may be identified by either, or both.
public enum AddressKind: String, Sendable, Hashable, CaseIterable, Codable {
    case primary
    case secondary

    /// As written in the output's `AddressType` column.
    public var outputName: String {
        switch self {
        case .primary: "Primary"
        case .secondary: "Secondary"
        }
    }
}

/// The customer profiles to enrich: a file and, optionally, the segment of it.
public struct CustomerDataSet: Sendable, Equatable {
    public var file: String
    public var idColumn: String
    public var segment: Segment?
    /// The file's delimiter and encoding (`"delimiter"`, `"encoding"`).
    public var format: CSVFormat

    public init(file: String, idColumn: String, segment: Segment? = nil, format: CSVFormat = CSVFormat()) {
        self.file = file
        self.idColumn = idColumn
        self.segment = segment
        self.format = format
    }
}

/// A segment: customers whose `column` holds one of `values`, or whose id is listed in `membersFile`. Values are
/// compared trimmed and case-folded (see `SegmentValues`).
public struct Segment: Sendable, Equatable {
    public var column: String?
    public var values: [String]
    public var membersFile: String?

    public init(column: String? = nil, values: [String] = [], membersFile: String? = nil) {
        self.column = column
        self.values = values
        self.membersFile = membersFile
    }
}

/// Which input columns hold the company's identifying fields, for one address kind.
public struct FieldMapping: Sendable, Equatable {
    public var companyName: String
    public var website: String?
    public var country: String?
    public var state: String?
    public var city: String?
    public var street: String?
    public var postalCode: String?

    public init(
        companyName: String,
        website: String? = nil,
        country: String? = nil,
        state: String? = nil,
        city: String? = nil,
        street: String? = nil,
        postalCode: String? = nil
    ) {
        self.companyName = companyName
        self.website = website
        self.country = country
        self.state = state
        self.city = city
        self.street = street
        self.postalCode = postalCode
    }

    /// Every mapped column with the key path that named it, for header checks.
    public var columns: [(keyPath: String, column: String)] {
        var result: [(String, String)] = [("companyName", self.companyName)]
        if let website { result.append(("website", website)) }
        if let country { result.append(("location.country", country)) }
        if let state { result.append(("location.state", state)) }
        if let city { result.append(("location.city", city)) }
        if let street { result.append(("location.street", street)) }
        if let postalCode { result.append(("location.postalCode", postalCode)) }
        return result
    }
}

/// "Enrich contacts": the contacts file and how it refers to its accounts.
public struct ContactsSpec: Sendable, Equatable {
    public var file: String
    public var idColumn: String
    public var customerIdColumn: String
    /// Explicit column names; unset ones are found from common header spellings.
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var title: String?
    /// The file's delimiter and encoding (`"delimiter"`, `"encoding"`).
    public var format: CSVFormat

    public init(file: String, idColumn: String, customerIdColumn: String, firstName: String? = nil,
                lastName: String? = nil, email: String? = nil, title: String? = nil, format: CSVFormat = CSVFormat()) {
        self.format = format
        self.file = file
        self.idColumn = idColumn
        self.customerIdColumn = customerIdColumn
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.title = title
    }
}
