/// The body of an error answer: `{"error", "tracking_id", "request_timestamp", "details"}`.
public struct ErrorBody: Codable, Sendable, Hashable {
    public var error: String
    public var trackingID: String
    public var requestTimestamp: String
    public var details: String?

    private enum CodingKeys: String, CodingKey {
        case error
        case trackingID = "tracking_id"
        case requestTimestamp = "request_timestamp"
        case details
    }
}
