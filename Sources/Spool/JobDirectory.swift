import Foundation

/// The files of one job's directory (in `active/`, `done/` or `failed/`): their names are defined here once.
///
///     job.json        the descriptor (a bundle's, or the single file the daemon moved in)
///     answers.jsonl   the ledger: every answer recorded, and bulk calls accepted (pay-once across restarts)
///     lookups.json    the request counters of earlier runs
///     starts          daemon starts that found the job active without progress (poison-job detection)
///     progress.json   live progress while active
///     result.json     the result summary (done/)
///     error.json      why the job failed (failed/)
///     errors.csv      per-record problems; report.html the results view
public struct JobDirectory: Sendable, Equatable {
    public static let descriptorName = "job.json"
    public static let ledgerName = "answers.jsonl"
    public static let lookupCountersName = "lookups.json"
    public static let startsName = "starts"
    public static let progressName = "progress.json"
    public static let resultName = "result.json"
    public static let errorName = "error.json"
    public static let errorsTableName = "errors.csv"
    public static let reportName = "report.html"
    /// What a run derives from the inputs and the ledger: removed when a failed job is retried.
    public static let derivedNames: Set<String> = [
        errorName, resultName, progressName, errorsTableName, startsName, reportName,
    ]

    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public func file(_ name: String) -> String { (self.path as NSString).appendingPathComponent(name) }

    public var descriptor: String { self.file(Self.descriptorName) }
    public var ledger: String { self.file(Self.ledgerName) }
    public var lookupCounters: String { self.file(Self.lookupCountersName) }
    public var progress: String { self.file(Self.progressName) }
    public var result: String { self.file(Self.resultName) }
    public var error: String { self.file(Self.errorName) }
    public var report: String { self.file(Self.reportName) }

    /// Writes `error.json` (pretty-printed, sorted keys, durable): the one place it is written.
    public func writeError(_ error: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.write(try encoder.encode(error), to: self.error)
    }

    /// Moves the job to `destination` (its directory in `failed/`) with an `error.json` a person can act on.
    /// Derived files go first: on a full disk that frees the room error.json needs; error.json is best effort,
    /// the move is what matters. Returns what went wrong: `moved == false` means the job is still here.
    @discardableResult
    public func moveToFailed(_ destination: String, error: some Encodable) -> (moved: Bool, problems: [String]) {
        var problems: [String] = []
        unlink(self.progress)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? [] where name.hasSuffix(".tmp") {
            unlink(self.file(name))
        }
        do {
            try self.writeError(error)
        } catch {
            problems.append("cannot write error.json: \(error)")
        }
        do {
            try DurableFile.rename(self.path, to: destination)
            return (true, problems)
        } catch {
            problems.append("cannot move the job to failed/: \(error)")
            return (false, problems)
        }
    }
}
