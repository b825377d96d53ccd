import Jobs
import LeadspaceAPI

/// Where a connection reports what happens to one job's lookups. It travels with the job's requests, so an
/// answer goes straight to the job that asked (and to those waiting on the same key), not through the daemon.
struct LookupSink: Sendable {
    let jobID: String
    private let receive: @Sendable (LookupEvent) -> Void

    init(jobID: String, receive: @escaping @Sendable (LookupEvent) -> Void) {
        self.jobID = jobID
        self.receive = receive
    }

    func callAsFunction(_ event: LookupEvent) { self.receive(event) }
}

/// One lookup as the scheduler carries it: which job (its sink) and key it answers, and what to send.
struct LookupRequest: Sendable {
    var sink: LookupSink
    var key: String
    var record: EnrichmentRecord
    /// For a bulk call: the lookups it carries (up to 500); empty for a single enrichment.
    var batch: [LookupRequest] = []

    var jobID: String { self.sink.jobID }
}

/// What the connection reports back to a job for each request it made.
enum LookupEvent: Sendable {
    /// The lookup is done: record this answer.
    case answer(key: String, answer: CompanyAnswer)
    /// A request went out (billed or possibly billed); `retry` when it was not the first attempt.
    case attempt(billed: Bool, retry: Bool, rateLimited: Bool)
    /// A bulk call carried some of the job's lookups.
    case bulkCall
    /// Leadspace accepted a bulk call (paid) with these lookups; its results are at `path` (kept in the job's
    /// ledger, so a restarted daemon fetches them instead of paying again).
    case bulkAccepted(path: String, keys: [String])
}
