/// One record of an enrichment request, as `POST /enrichment/enrich/single` takes it (not wrapped).
public struct EnrichmentRecord: Codable, Sendable, Equatable {
    public var company: CompanyInput?
    public var person: PersonInput?
    /// Our stable per-lookup id, echoed in the answer (and used to match bulk results).
    public var externalID: String?

    public init(company: CompanyInput? = nil, person: PersonInput? = nil, externalID: String? = nil) {
        self.company = company
        self.person = person
        self.externalID = externalID
    }

    enum CodingKeys: String, CodingKey {
        case company, person
        case externalID = "external_id"
    }
}

public struct CompanyInput: Codable, Sendable, Equatable {
    public var name: String?
    public var website: String?
    public var lsid: String?
    public var address: AddressInput?

    public init(name: String? = nil, website: String? = nil, lsid: String? = nil, address: AddressInput? = nil) {
        self.name = name
        self.website = website
        self.lsid = lsid
        self.address = address
    }
}

public struct AddressInput: Codable, Sendable, Equatable {
    public var country: String?
    public var state: String?
    public var city: String?
    public var street: String?
    public var postalcode: String?

    public init(country: String? = nil, state: String? = nil, city: String? = nil, street: String? = nil,
                postalcode: String? = nil) {
        self.country = country
        self.state = state
        self.city = city
        self.street = street
        self.postalcode = postalcode
    }

    public var isEmpty: Bool {
        [self.country, self.state, self.city, self.street, self.postalcode].allSatisfy { $0 == nil }
    }
}

public struct PersonInput: Codable, Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var title: String?

    public init(firstName: String? = nil, lastName: String? = nil, email: String? = nil, title: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.title = title
    }

    enum CodingKeys: String, CodingKey {
        case firstName = "first_name"
        case lastName = "last_name"
        case email, title
    }
}
