/// Answers one lookup against the directory: validates the input, matches, and builds the 200 answer.
///
/// Pure and immutable: the server calls it from any number of concurrent requests, and tests can call it
/// without a socket.
public struct EnrichmentEngine: Sendable {
    public let matcher: CompanyMatcher

    public init(matcher: CompanyMatcher) {
        self.matcher = matcher
    }

    /// Why a record cannot be looked up (the message of a 400 or of a 1200 bulk result), or nil when it can.
    public func invalidInputReason(_ request: EnrichmentRequest) -> String? {
        let companyName = request.company?.name.trimmingWhitespace() ?? ""
        if let person = Self.personLookup(request) {
            guard !person.firstName.trimmingWhitespace().isEmpty, !person.lastName.trimmingWhitespace().isEmpty else {
                return "person lookups need person.first_name and person.last_name"
            }
            let website = request.company?.website.trimmingWhitespace() ?? ""
            guard !companyName.isEmpty || !person.email.trimmingWhitespace().isEmpty || !website.isEmpty else {
                return "person lookups need one of company.name, person.email or company.website"
            }
            return nil
        }
        return companyName.isEmpty ? "account lookups need company.name" : nil
    }

    /// Looks the record up; call only for records ``invalidInputReason(_:)`` accepts.
    public func enrich(_ request: EnrichmentRequest) -> EnrichmentResponse {
        let company = request.company ?? EnrichmentRequest.CompanyInput()
        var query = CompanyQuery(
            name: company.name, website: company.website, country: company.address.country, lsid: company.lsid
        )
        let directory = self.matcher.directory
        guard let person = Self.personLookup(request) else {
            guard let match = self.matcher.match(query) else {
                return Self.response(request, status: "Not Enriched")
            }
            let record = CompanyRecord(company: directory.companies[match.companyIndex], confidence: match.confidence)
            return Self.response(request, status: "Company Enriched", company: record)
        }

        var companyMatch: CompanyMatch?
        var personIndex = self.matcher.personIndex(email: person.email)
        if let found = personIndex, let index = self.matcher.companyIndex(id: directory.persons[found].companyID) {
            // A known mailbox identifies employer and person at once, whatever the company fields say.
            companyMatch = CompanyMatch(companyIndex: index, confidence: .high, rule: .emailDomain)
        } else {
            if let at = person.email.lastIndex(of: "@") {
                query.emailDomain = String(person.email[person.email.index(after: at)...])
            }
            companyMatch = self.matcher.match(query)
            if let match = companyMatch {
                personIndex = self.matcher.personIndex(
                    firstName: person.firstName, lastName: person.lastName, companyIndex: match.companyIndex
                )
            }
        }
        guard let match = companyMatch else {
            return Self.response(request, status: "Not Enriched")
        }
        let companyRecord = CompanyRecord(
            company: directory.companies[match.companyIndex], confidence: match.confidence)
        guard let personIndex else {
            return Self.response(request, status: "Company Enriched", company: companyRecord)
        }
        return Self.response(
            request, status: "Person & Company Enriched", company: companyRecord,
            person: PersonRecord(person: directory.persons[personIndex])
        )
    }

    /// The person block when it asks for a person: one holding nothing but empty fields is an account lookup.
    private static func personLookup(_ request: EnrichmentRequest) -> EnrichmentRequest.PersonInput? {
        guard let person = request.person else {
            return nil
        }
        let fields = [person.firstName, person.lastName, person.email]
        return fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) ? nil : person
    }

    private static func response(
        _ request: EnrichmentRequest, status: String, company: CompanyRecord? = nil, person: PersonRecord? = nil
    ) -> EnrichmentResponse {
        EnrichmentResponse(
            externalID: request.externalID,
            data: .init(enrichmentStatus: status, company: company, person: person)
        )
    }
}
