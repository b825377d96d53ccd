import Formats

/// `result.json`: the results view of a finished job.
public struct ResultSummary: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case succeeded, completedWithWarnings, failed, cancelled
    }

    public struct Timings: Codable, Sendable, Equatable {
        public var startedAt: String
        public var finishedAt: String
        public var durationSeconds: Double
        public init(startedAt: String, finishedAt: String, durationSeconds: Double) {
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.durationSeconds = durationSeconds
        }
    }

    public struct AddressTypeCounts: Codable, Sendable, Equatable {
        public var rows = 0
        public var enriched = 0
        public var notEnriched = 0
        public var invalidInput = 0
        public var errors = 0
        public init() {}
    }

    public struct Records: Codable, Sendable, Equatable {
        /// Data rows in the input file.
        public var rows = 0
        /// Rows in the customer set (segment), each producing one output row per address kind.
        public var inScope = 0
        public var outOfScope = 0
        /// Output rows by status (one per in-scope record per address kind).
        public var outputRows = 0
        public var enriched = 0
        public var notEnriched = 0
        public var invalidInput = 0
        public var errors = 0
        public var enrichedPercent = 0.0
        public var byConfidence: [String: Int] = [:]
        public var byAddressType: [String: AddressTypeCounts] = [:]
        /// In-scope customers enriched through at least one address kind (absent from results written before it
        /// was counted, and for contacts).
        public var enrichedProfiles: Int?
        /// Rows (and address kinds) whose company name is a placeholder (`N/A`, `Unknown`…), of `invalidInput`:
        /// never looked up (absent from results written before they were told apart, and for contacts).
        public var placeholders: Int?
        /// Output rows of a job with `minimumConfidence` whose answer was weaker (of `notEnriched`, paid for;
        /// absent without a minimum).
        public var belowMinimumConfidence: Int?
        public init() {}

        /// The headline "enriched N of M profiles": profiles, not output rows (a customer has one row per
        /// address kind); results written before profiles were counted give rows.
        public var headline: (enriched: Int, total: Int, percent: Double) {
            guard let profiles = self.enrichedProfiles else { return (self.enriched, self.outputRows, self.enrichedPercent) }
            let percent = self.inScope == 0 ? 0 : (Double(profiles) * 1000 / Double(self.inScope)).rounded() / 10
            return (profiles, self.inScope, percent)
        }

        /// Counts `times` output rows with the same answer.
        public mutating func count(_ status: CompanyAnswer.Status, confidence: String?, addressType: String?,
                                   times: Int = 1) {
            self.outputRows += times
            var perType = addressType.flatMap { self.byAddressType[$0] } ?? AddressTypeCounts()
            perType.rows += times
            switch status {
            case .enriched:
                self.enriched += times
                perType.enriched += times
                if let confidence { self.byConfidence[confidence, default: 0] += times }
            case .notEnriched:
                self.notEnriched += times
                perType.notEnriched += times
            case .invalidInput:
                self.invalidInput += times
                perType.invalidInput += times
            case .error:
                self.errors += times
                perType.errors += times
            }
            if let addressType { self.byAddressType[addressType] = perType }
        }

        public mutating func finish() {
            self.enrichedPercent = self.outputRows == 0 ? 0
                : (Double(self.enriched) * 1000 / Double(self.outputRows)).rounded() / 10
        }
    }

    public struct Lookups: Codable, Sendable, Equatable {
        public var distinctKeys = 0
        /// Requests that reached (or may have reached) Leadspace: what was paid for.
        public var sent = 0
        public var cacheHits = 0
        /// Lookups saved by sharing (equal keys and the matching rules together).
        public var savedByDedup = 0
        /// Of those, what the matching rules beyond equal keys saved: rows without a website or country that
        /// joined their fuller twin, and near-duplicate spellings (absent from results written before them).
        public var savedByIncompleteTwins: Int?
        public var savedByNearDuplicates: Int?
        /// Names that end in a legal form and one of the job's cities ("Brouwerij Alfa B.V. Utrecht").
        public var savedByPlaceAfterLegalForm: Int?
        public var retries = 0
        public var rateLimited = 0
        public var bulkCalls = 0
        /// How the distinct lookups ended, counted from the recorded answers (the ledger, across every run of the
        /// job): bought by this job (its `Paid=true` rows), rejected or failed (free), never answered (a cancel).
        /// With ``cacheHits`` (answers from the cache or another job's lookup) they add up to ``distinctKeys``.
        public var paid: Int?
        /// Of ``paid``, with a lookup cache configured: the lookups whose cached answer had gone stale
        /// (`paidStale`) and those the cache had never seen (`paidNew`); a refresh of a saved enrichment pays
        /// only for these. Absent without a cache, or in results written before them.
        public var paidStale: Int?
        public var paidNew: Int?
        public var failed: Int?
        public var unanswered: Int?
        public init() {}

        /// Counts how the lookups ended from their answers (`nil`: none recorded). The request counters of a run
        /// that failed before it saved them are lost, but every bought answer was sent: `sent` is at least `paid`.
        public mutating func settle(answers: some Sequence<CompanyAnswer?>) {
            var paid = 0, fromCache = 0, failed = 0, unanswered = 0, total = 0
            for answer in answers {
                total += 1
                guard let answer else {
                    unanswered += 1
                    continue
                }
                if answer.source == "cache" {
                    fromCache += 1
                } else if answer.wasPaid {
                    paid += 1
                } else {
                    failed += 1
                }
            }
            self.distinctKeys = total
            self.paid = paid
            self.cacheHits = fromCache
            self.failed = failed
            self.unanswered = unanswered
            self.sent = max(self.sent, paid)
        }

        /// Splits ``paid`` into the lookups that refreshed a stale cached answer and the new ones.
        public mutating func split(paidStale: Int) {
            guard let paid else { return }
            self.paidStale = min(paidStale, paid)
            self.paidNew = paid - min(paidStale, paid)
        }

        /// Whether the counters are consistent: every distinct lookup ended one way, and nothing was bought
        /// that was not sent.
        public var addsUp: Bool {
            guard let paid, let failed, let unanswered else { return false }
            return paid + self.cacheHits + failed + unanswered == self.distinctKeys && self.sent >= paid
        }
    }

    public struct Outputs: Codable, Sendable, Equatable {
        public var table: String
        public var contacts: String?
        public var errors: String
        public init(table: String, contacts: String? = nil, errors: String) {
            self.table = table
            self.contacts = contacts
            self.errors = errors
        }
    }

    public var id: String
    public var name: String
    public var outputTable: String
    public var connection: String
    public var state: State
    public var timings: Timings
    public var customers: Records
    public var contacts: Records?
    public var fieldCoverage: [String: Int]
    /// Per contacts output column: how many enriched contacts have it.
    public var contactFieldCoverage: [String: Int]?
    public var lookups: Lookups
    public var outputs: Outputs
    public var message: String?
    /// What the job did that its author would not expect (a segment that selects nothing, a segment value no
    /// row holds); a job with warnings is `completedWithWarnings` (absent from results written before them).
    public var warnings: [String]?

    public init(id: String, name: String, outputTable: String, connection: String, state: State, timings: Timings,
                customers: Records, contacts: Records? = nil, fieldCoverage: [String: Int],
                contactFieldCoverage: [String: Int]? = nil, lookups: Lookups, outputs: Outputs, message: String? = nil,
                warnings: [String]? = nil) {
        self.id = id
        self.name = name
        self.outputTable = outputTable
        self.connection = connection
        self.state = state
        self.timings = timings
        self.customers = customers
        self.contacts = contacts
        self.fieldCoverage = fieldCoverage
        self.contactFieldCoverage = contactFieldCoverage
        self.lookups = lookups
        self.outputs = outputs
        self.message = message
        self.warnings = warnings
    }
}
