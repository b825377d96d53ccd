import Jobs
import LeadspaceAPI

extension LookupQuery {
    /// The record sent to Leadspace: the user's original values.
    func record(externalID: String) -> EnrichmentRecord {
        switch self {
        case .company(let query):
            return EnrichmentRecord(company: Self.company(query), externalID: externalID)
        case .person(let query):
            return EnrichmentRecord(
                company: query.company.map(Self.company),
                person: PersonInput(firstName: query.firstName, lastName: query.lastName, email: query.email,
                                    title: query.title),
                externalID: externalID)
        }
    }

    private static func company(_ query: CompanyQuery) -> CompanyInput {
        let address = AddressInput(country: query.country, state: query.state, city: query.city, street: query.street,
                                   postalcode: query.postalCode)
        return CompanyInput(name: query.name, website: query.website, address: address.isEmpty ? nil : address)
    }
}
