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

    /// What it bills: a bulk call its records, a single enrichment one.
    var cost: Int { self.batch.isEmpty ? 1 : self.batch.count }

    /// A bulk call cut in two: its first `count` lookups, and the rest (to fit a spending cap).
    func split(keeping count: Int) -> (head: LookupRequest, rest: LookupRequest) {
        let head = Array(self.batch[..<count]), rest = Array(self.batch[count...])
        return (LookupRequest(sink: self.sink, key: head[0].key, record: head[0].record, batch: head),
                LookupRequest(sink: self.sink, key: rest[0].key, record: rest[0].record, batch: rest))
    }
}

/// What the connection reports back to a job for each request it made.
enum LookupEvent: Sendable {
    /// The lookup is done: record this answer.
    case answer(key: String, answer: CompanyAnswer)
    /// A request went out (billed or possibly billed); `retry` when it was not the first attempt.
    case attempt(billed: Bool, retry: Bool, rateLimited: Bool)
    /// A bulk call carried some of the job's lookups.
    case bulkCall
    /// The job's `maxPaidLookups` is reached with lookups still to send: nothing more is sent for it until the
    /// cap is raised.
    case capReached
    /// Leadspace accepted a bulk call (paid) with these lookups; its results are at `path` (kept in the job's
    /// ledger, so a restarted daemon fetches them instead of paying again).
    case bulkAccepted(path: String, keys: [String])
}
