import Formats

/// A distinct lookup of a job: an account's company, or a contact in the context of its account's company.
public enum LookupQuery: Sendable {
    case company(CompanyQuery)
    case person(PersonQuery)

    public var matchKey: String {
        switch self {
        case .company(let query): query.matchKey
        case .person(let query): query.matchKey
        }
    }
}
