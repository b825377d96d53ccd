import Formats
import Jobs
import Foundation

/// Single flight across jobs: while one job's lookup of a key is queued or in flight on a connection, other
/// jobs needing the same key wait for that answer instead of paying for their own; a job that plans just after
/// an answer arrived gets it from a short-lived memo (the persistent cache may not have it yet, or be off).
///
/// `@unchecked Sendable`: all state is behind `lock`.
final class SharedLookups: @unchecked Sendable {
    private struct Entry {
        var owner: String
        var request: LookupRequest
        var waiters: [String] = []
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var settled: [String: (answer: CompanyAnswer, at: UInt64)] = [:]
    static let memoLifetime: UInt64 = 3600 * 1_000_000_000
    static let memoCapacity = 200_000

    /// Registers a job's requests: returns those it must send itself, and answers already settled by other
    /// jobs (the rest are under way and will be delivered when they arrive).
    func claim(_ requests: [LookupRequest]) -> (send: [LookupRequest], settled: [(key: String, answer: CompanyAnswer)]) {
        self.lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            var send: [LookupRequest] = []
            var settled: [(key: String, answer: CompanyAnswer)] = []
            for request in requests {
                if let memo = self.settled[request.key], now - memo.at < Self.memoLifetime {
                    var answer = memo.answer
                    answer.source = "cache"
                    settled.append((request.key, answer))
                } else if self.entries[request.key] != nil {
                    self.entries[request.key]!.waiters.append(request.jobID)
                } else {
                    self.entries[request.key] = Entry(owner: request.jobID, request: request)
                    send.append(request)
                }
            }
            return (send, settled)
        }
    }

    /// The jobs an answer for `key` belongs to: the sender and everyone waiting for it.
    func answered(key: String, by job: String, answer: CompanyAnswer) -> [String] {
        self.lock.withLock {
            if answer.status != .error {
                if self.settled.count >= Self.memoCapacity { self.settled.removeAll(keepingCapacity: true) }
                self.settled[key] = (answer, DispatchTime.now().uptimeNanoseconds)
            }
            guard let entry = self.entries[key], entry.owner == job else { return [job] }
            self.entries[key] = nil
            return [entry.owner] + entry.waiters
        }
    }

    /// A job leaves (finished, failed, cancelled, stopping): it stops waiting, and lookups it owned that others
    /// wait for are handed to the first waiter, who must now send them (returned).
    func release(job: String) -> [LookupRequest] {
        self.lock.withLock {
            var handOver: [LookupRequest] = []
            for (key, var entry) in self.entries {
                entry.waiters.removeAll { $0 == job }
                if entry.owner == job {
                    guard let next = entry.waiters.first else {
                        self.entries[key] = nil
                        continue
                    }
                    entry.owner = next
                    entry.waiters.removeFirst()
                    entry.request.jobID = next
                    handOver.append(entry.request)
                }
                self.entries[key] = entry
            }
            return handOver
        }
    }
}
