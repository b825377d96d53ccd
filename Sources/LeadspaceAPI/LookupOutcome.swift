/// How one request to Leadspace ended, classified as LEADSPACE.md's error table prescribes.
public enum LookupOutcome: Sendable, Equatable {
    /// A 200 answer; a miss (`Not Enriched`) is an answer too.
    case answered(EnrichmentResult)
    /// 400 or a per-record 1200: the record cannot be enriched as given; never retried.
    case invalidInput(reason: String, trackingID: String?)
    /// 401: bad or expired credentials; the connection's jobs pause.
    case unauthorized(trackingID: String?)
    /// 427: out of credits (or an invalid program id); the connection's jobs pause.
    case outOfCredits(trackingID: String?)
    /// 429: over the rate limit; slow the whole connection down.
    case rateLimited(retryAfter: Duration?, trackingID: String?)
    /// 5xx, timeouts, resets, malformed bodies: retry with backoff. `mayHaveBeenBilled` is true when the
    /// request may have reached Leadspace (its answer was lost), which costs credit all the same.
    case transient(reason: String, trackingID: String?, mayHaveBeenBilled: Bool)
    /// 405, 415 and other answers that mean the client is wrong: fail loudly.
    case fatal(reason: String, trackingID: String?)

    public var trackingID: String? {
        switch self {
        case .answered: nil
        case .invalidInput(_, let id), .unauthorized(let id), .outOfCredits(let id), .rateLimited(_, let id),
            .transient(_, let id, _), .fatal(_, let id):
            id
        }
    }
}
