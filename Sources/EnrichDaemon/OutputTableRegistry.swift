import Foundation

/// The output tables active jobs are writing: two jobs may not write the same table at the same time.
final class OutputTableRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var owners: [String: String] = [:]

    /// Claims `table` for `job`; returns the current owner when another job holds it.
    func claim(_ table: String, for job: String) -> String? {
        self.lock.withLock {
            if let owner = self.owners[table.lowercased()], owner != job { return owner }
            self.owners[table.lowercased()] = job
            return nil
        }
    }

    func release(job: String) {
        self.lock.withLock { self.owners = self.owners.filter { $0.value != job } }
    }
}
