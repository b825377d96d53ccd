/// A 200 answer to one lookup, as Leadspace writes it (snake_case keys, nil fields left out).
public struct EnrichmentResponse: Encodable, Sendable, Hashable {
    public var status = "success"
    public var externalID: String?
    public var data: Payload

    /// The `data` object.
    public struct Payload: Encodable, Sendable, Hashable {
        /// "Not Enriched", "Company Enriched", "Person Enriched" or "Person & Company Enriched".
        public var enrichmentStatus: String
        public var company: CompanyRecord?
        public var person: PersonRecord?

        private enum CodingKeys: String, CodingKey {
            case enrichmentStatus = "enrichment_status"
            case company, person
        }
    }

    private enum CodingKeys: String, CodingKey {
        case status
        case externalID = "external_id"
        case data
    }
}
