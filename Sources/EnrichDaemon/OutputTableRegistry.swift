import Locking

/// The output tables active jobs are writing: two jobs may not write the same table at the same time.
final class OutputTableRegistry: Sendable {
    /// Table (lowercased) → the job writing it.
    private let owners = Locked<[String: String]>([:])

    /// Claims `table` for `job`; returns the current owner when another job holds it.
    func claim(_ table: String, for job: String) -> String? {
        self.owners.withLock { owners in
            if let owner = owners[table.lowercased()], owner != job { return owner }
            owners[table.lowercased()] = job
            return nil
        }
    }

    func release(job: String) {
        self.owners.withLock { $0 = $0.filter { $0.value != job } }
    }
}
