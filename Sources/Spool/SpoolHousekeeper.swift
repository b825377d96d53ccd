import Foundation

/// Removes what the spool's contract says may go: producers' partial files in `tmp/` older than a day, and
/// finished jobs older than the retention period. Nothing else is ever deleted.
public struct SpoolHousekeeper: Sendable {
    public let layout: SpoolLayout

    public init(layout: SpoolLayout) {
        self.layout = layout
    }

    /// Entries of `tmp/` not modified for `age` seconds. Returns the names removed.
    @discardableResult
    public func removeStaleTemporaries(olderThan age: TimeInterval, now: Date = Date()) -> [String] {
        self.remove(in: self.layout.tmp, olderThan: age, now: now, includeHidden: true)
    }

    /// Jobs in `done/` and `failed/` that finished more than `days` ago. Returns the ids removed.
    @discardableResult
    public func removeExpiredJobs(olderThanDays days: Int, now: Date = Date()) -> [String] {
        let age = TimeInterval(days) * 86_400
        return self.remove(in: self.layout.done, olderThan: age, now: now, includeHidden: false)
            + self.remove(in: self.layout.failed, olderThan: age, now: now, includeHidden: false)
    }

    private func remove(in directory: String, olderThan age: TimeInterval, now: Date, includeHidden: Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed: [String] = []
        for name in names where includeHidden || !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let modified = Self.finishedAt(path), now.timeIntervalSince(modified) > age else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(name) }
        }
        return removed
    }

    /// A job's finishing time: its result or error file's, else the entry's own (without following links).
    static func finishedAt(_ path: String) -> Date? {
        for marker in [JobDirectory.resultName, JobDirectory.errorName] {
            var status = stat()
            if lstat((path as NSString).appendingPathComponent(marker), &status) == 0 {
                return Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec))
            }
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec))
    }
}
