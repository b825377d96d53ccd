/// One single-enrichment record as a client sends it; every field is optional and unknown fields are ignored.
public struct EnrichmentRequest: Decodable, Sendable, Hashable {
    public var company: CompanyInput?
    public var person: PersonInput?
    public var externalID: String?

    /// The `company` block.
    public struct CompanyInput: Decodable, Sendable, Hashable {
        public var name = ""
        public var website = ""
        public var lsid = ""
        public var address = Address()

        private enum CodingKeys: String, CodingKey {
            case name, website, lsid, address
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.text(.name)
            self.website = try container.text(.website)
            self.lsid = try container.text(.lsid)
            self.address = try container.decodeIfPresent(Address.self, forKey: .address) ?? Address()
        }
    }

    /// The `company.address` block.
    public struct Address: Decodable, Sendable, Hashable {
        public var country = ""
        public var state = ""
        public var city = ""
        public var street = ""
        public var postalCode = ""

        private enum CodingKeys: String, CodingKey {
            case country, state, city, street
            case postalCode = "postalcode"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.country = try container.text(.country)
            self.state = try container.text(.state)
            self.city = try container.text(.city)
            self.street = try container.text(.street)
            self.postalCode = try container.text(.postalCode)
        }
    }

    /// The `person` block.
    public struct PersonInput: Decodable, Sendable, Hashable {
        public var firstName = ""
        public var lastName = ""
        public var email = ""
        public var title = ""

        private enum CodingKeys: String, CodingKey {
            case firstName = "first_name"
            case lastName = "last_name"
            case email, title
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.firstName = try container.text(.firstName)
            self.lastName = try container.text(.lastName)
            self.email = try container.text(.email)
            self.title = try container.text(.title)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case company, person
        case externalID = "external_id"
    }

    public init(company: CompanyInput? = nil, person: PersonInput? = nil, externalID: String? = nil) {
        self.company = company
        self.person = person
        self.externalID = externalID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.company = try container.decodeIfPresent(CompanyInput.self, forKey: .company)
        self.person = try container.decodeIfPresent(PersonInput.self, forKey: .person)
        self.externalID = try container.decodeIfPresent(LenientString.self, forKey: .externalID)?.value
    }
}
