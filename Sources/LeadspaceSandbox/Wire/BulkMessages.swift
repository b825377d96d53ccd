/// `POST /enrichment/enrich/bulk` body: up to 500 single-style records.
struct BulkRequest: Decodable, Sendable {
    var data: [BulkRecord]
}

/// One record of a bulk request; a record that does not even decode is kept (as nil) so it can be answered
/// with a per-record invalid-input result instead of failing the whole batch.
struct BulkRecord: Decodable, Sendable {
    var request: EnrichmentRequest?
    /// The record's `external_id`, salvaged even when the rest does not decode.
    var externalID: String?

    private enum CodingKeys: String, CodingKey {
        case externalID = "external_id"
    }

    init(from decoder: any Decoder) throws {
        self.request = try? EnrichmentRequest(from: decoder)
        let container = try? decoder.container(keyedBy: CodingKeys.self)
        self.externalID =
            self.request?.externalID
            ?? (try? container?.decodeIfPresent(LenientString.self, forKey: .externalID))??.value
    }
}

/// 202 answer to a bulk submission: the relative path to poll.
struct BulkAccepted: Encodable, Sendable {
    var id: String
}

/// 200 answer to a poll once the batch is done.
struct BulkResults: Encodable, Sendable {
    var results: [BulkRecordResult]
}

/// One record's outcome inside a bulk result: a single-style answer, or a per-record error (code 1100 = internal,
/// retry the record; 1200 = invalid input).
public enum BulkRecordResult: Encodable, Sendable, Hashable {
    case answered(EnrichmentResponse)
    case failed(externalID: String?, code: Int, message: String)

    private struct Failure: Encodable {
        var status = "failure"
        var externalID: String?
        var error: Detail

        struct Detail: Encodable {
            var code: Int
            var message: String
        }

        private enum CodingKeys: String, CodingKey {
            case status
            case externalID = "external_id"
            case error
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .answered(let response):
            try response.encode(to: encoder)
        case .failed(let externalID, let code, let message):
            try Failure(externalID: externalID, error: .init(code: code, message: message)).encode(to: encoder)
        }
    }
}
