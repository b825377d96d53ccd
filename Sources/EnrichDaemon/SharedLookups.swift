import Jobs
import Locking

/// Single flight across jobs: while one job's lookup of a key is queued or in flight on a connection, other
/// jobs needing the same key wait for that answer instead of paying for their own; a job that plans just after
/// an answer arrived gets it from a short-lived memo (the persistent cache may not have it yet, or be off).
final class SharedLookups: Sendable {
    private struct Entry {
        var owner: LookupSink
        var request: LookupRequest
        var waiters: [LookupSink] = []
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Recent answers: when they came, and which job bought them.
        var settled: [String: (answer: CompanyAnswer, at: UInt64, buyer: String)] = [:]
    }

    private let state = Locked(State())
    private let clock: any UptimeClock
    static let memoLifetime: UInt64 = 3600 * 1_000_000_000
    static let memoCapacity = 200_000

    init(clock: any UptimeClock = SystemUptime()) {
        self.clock = clock
    }

    /// Registers a job's requests: returns those it must send itself, and answers already settled by other
    /// jobs (the rest are under way and will be delivered when they arrive).
    func claim(_ requests: [LookupRequest]) -> (send: [LookupRequest], settled: [(key: String, answer: CompanyAnswer)]) {
        let now = self.clock.nanoseconds
        return self.state.withLock { state in
            var send: [LookupRequest] = []
            var settled: [(key: String, answer: CompanyAnswer)] = []
            for request in requests {
                if let memo = state.settled[request.key], now - memo.at < Self.memoLifetime {
                    // Free for any other job; the job that bought it (a retry of a job that failed before it
                    // could record the answer) gets it as its own.
                    var answer = memo.answer
                    if memo.buyer != request.jobID { answer.source = "cache" }
                    settled.append((request.key, answer))
                } else if state.entries[request.key] != nil {
                    state.entries[request.key]!.waiters.append(request.sink)
                } else {
                    state.entries[request.key] = Entry(owner: request.sink, request: request)
                    send.append(request)
                }
            }
            return (send, settled)
        }
    }

    /// Where an answer for `key` goes: the sender and everyone waiting for it.
    func answered(key: String, by sender: LookupSink, answer: CompanyAnswer) -> [LookupSink] {
        let now = self.clock.nanoseconds
        return self.state.withLock { state in
            if answer.status != .error {
                if state.settled.count >= Self.memoCapacity { state.settled.removeAll(keepingCapacity: true) }
                state.settled[key] = (answer, now, sender.jobID)
            }
            guard let entry = state.entries[key], entry.owner.jobID == sender.jobID else { return [sender] }
            state.entries[key] = nil
            return [entry.owner] + entry.waiters
        }
    }

    /// A job leaves (finished, failed, cancelled, stopping): it stops waiting, and lookups it owned that others
    /// wait for are handed to the first waiter, who must now send them (returned).
    func release(job: String) -> [LookupRequest] {
        self.state.withLock { state in
            var handOver: [LookupRequest] = []
            for (key, var entry) in state.entries {
                entry.waiters.removeAll { $0.jobID == job }
                if entry.owner.jobID == job {
                    guard let next = entry.waiters.first else {
                        state.entries[key] = nil
                        continue
                    }
                    entry.owner = next
                    entry.waiters.removeFirst()
                    entry.request.sink = next
                    handOver.append(entry.request)
                }
                state.entries[key] = entry
            }
            return handOver
        }
    }
}
