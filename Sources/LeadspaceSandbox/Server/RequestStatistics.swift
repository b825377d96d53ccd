import Locking

/// Thread-safe counters behind `GET /sandbox/stats`: requests per endpoint, answers per status, records billed.
public final class RequestStatistics: Sendable {
    /// The endpoints counted separately.
    public enum Endpoint: Sendable {
        case single, bulk, poll, oauth
    }

    /// Faults the sandbox injected that have no HTTP status of their own (or, for malformed bodies, a lying one).
    public enum InjectedFault: Sendable {
        case serverError, timeout, reset, malformed
    }

    /// The counters at one moment, in the JSON shape of the stats endpoint.
    public struct Snapshot: Codable, Sendable, Hashable {
        public var requests = Requests()
        /// Answers per HTTP status code ("200", "429", ...).
        public var byStatus: [String: Int] = [:]
        public var recordsBilled = 0
        /// Credits left; nil (JSON null) when unlimited.
        public var creditsRemaining: Int?
        public var faults = Faults()

        public struct Requests: Codable, Sendable, Hashable {
            public var single = 0
            public var bulk = 0
            public var poll = 0
            public var oauth = 0
        }

        public struct Faults: Codable, Sendable, Hashable {
            public var serverError = 0
            public var timeout = 0
            public var reset = 0
            public var malformed = 0
        }

        private enum CodingKeys: String, CodingKey {
            case requests, byStatus, recordsBilled, creditsRemaining, faults
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.requests, forKey: .requests)
            try container.encode(self.byStatus, forKey: .byStatus)
            try container.encode(self.recordsBilled, forKey: .recordsBilled)
            // Always present: null says "unlimited" explicitly.
            try container.encode(self.creditsRemaining, forKey: .creditsRemaining)
            try container.encode(self.faults, forKey: .faults)
        }
    }

    private let counters = Locked(Snapshot())

    public init() {}

    func countRequest(_ endpoint: Endpoint) {
        self.counters.withLock { counters in
            switch endpoint {
            case .single: counters.requests.single += 1
            case .bulk: counters.requests.bulk += 1
            case .poll: counters.requests.poll += 1
            case .oauth: counters.requests.oauth += 1
            }
        }
    }

    func countStatus(_ code: Int) {
        self.counters.withLock { $0.byStatus[String(code), default: 0] += 1 }
    }

    func countBilled(_ records: Int) {
        self.counters.withLock { $0.recordsBilled += records }
    }

    func countFault(_ fault: InjectedFault) {
        self.counters.withLock { counters in
            switch fault {
            case .serverError: counters.faults.serverError += 1
            case .timeout: counters.faults.timeout += 1
            case .reset: counters.faults.reset += 1
            case .malformed: counters.faults.malformed += 1
            }
        }
    }

    /// The counters now (credits are filled in by the server, which owns the ledger).
    public func snapshot() -> Snapshot {
        self.counters.withLock { $0 }
    }

    /// Zeroes every counter.
    public func reset() {
        self.counters.withLock { $0 = Snapshot() }
    }
}
