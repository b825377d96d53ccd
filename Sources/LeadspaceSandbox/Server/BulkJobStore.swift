import Locking

/// Finished bulk batches waiting to be polled. Batches are processed at submission (billing happens then, as
/// the provider charges on receipt) and merely become visible after a processing delay.
final class BulkJobStore: Sendable {
    enum Lookup: Sendable {
        case unknown
        case processing
        case ready([BulkRecordResult])
    }

    private struct Job {
        var results: [BulkRecordResult]
        var readyAt: ContinuousClock.Instant
    }

    private let jobs = Locked<[String: Job]>([:])

    func add(id: String, results: [BulkRecordResult], readyAt: ContinuousClock.Instant) {
        self.jobs.withLock { $0[id] = Job(results: results, readyAt: readyAt) }
    }

    /// The batch's state at `now`; results can be fetched any number of times.
    func lookup(id: String, now: ContinuousClock.Instant) -> Lookup {
        self.jobs.withLock { jobs in
            guard let job = jobs[id] else {
                return .unknown
            }
            return now < job.readyAt ? .processing : .ready(job.results)
        }
    }
}
