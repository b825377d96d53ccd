import Formats
import Foundation

/// A line of a saved enrichment's `history.jsonl`: one finished run, or one refresh the schedule skipped.
public struct RefreshHistoryEntry: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case succeeded, completedWithWarnings, failed, cancelled
        /// The refresh came due while the previous run was still queued or active: not run.
        case skipped
    }

    /// The run's job id (absent for a skipped refresh).
    public var jobId: String?
    public var outcome: Outcome
    /// When the refresh was due (absent for a run started by hand).
    public var dueAt: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var durationSeconds: Double?
    public var inScope: Int?
    public var enrichedProfiles: Int?
    public var paid: Int?
    public var cacheHits: Int?
    /// Why it was skipped, or why it failed.
    public var reason: String?
    /// A failed run's error code (error.json's `code`): says whether the next refresh may succeed.
    public var errorCode: String?

    public init(jobId: String?, outcome: Outcome, dueAt: String? = nil, startedAt: String? = nil,
                finishedAt: String? = nil, durationSeconds: Double? = nil, inScope: Int? = nil,
                enrichedProfiles: Int? = nil, paid: Int? = nil, cacheHits: Int? = nil, reason: String? = nil,
                errorCode: String? = nil) {
        self.jobId = jobId
        self.outcome = outcome
        self.dueAt = dueAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.inScope = inScope
        self.enrichedProfiles = enrichedProfiles
        self.paid = paid
        self.cacheHits = cacheHits
        self.reason = reason
        self.errorCode = errorCode
    }

    /// The line for a run that finished with results.
    public init(result: ResultSummary, dueAt: String?) {
        let outcome: Outcome = switch result.state {
        case .succeeded: .succeeded
        case .completedWithWarnings: .completedWithWarnings
        case .failed: .failed
        case .cancelled: .cancelled
        }
        self.init(jobId: result.id, outcome: outcome, dueAt: dueAt, startedAt: result.timings.startedAt,
                  finishedAt: result.timings.finishedAt, durationSeconds: result.timings.durationSeconds,
                  inScope: result.customers.inScope, enrichedProfiles: result.customers.headline.enriched,
                  paid: result.lookups.paid ?? result.lookups.sent, cacheHits: result.lookups.cacheHits,
                  reason: result.message)
    }

    /// The line for a run that failed before it had results (error.json).
    public init(failed id: String, error: JobError, finishedAt: String, dueAt: String?) {
        self.init(jobId: id, outcome: error.code == .cancelled ? .cancelled : .failed, dueAt: dueAt,
                  finishedAt: finishedAt, reason: error.description, errorCode: error.code.rawValue)
    }

    /// The line for a refresh skipped because the previous run (`running`) had not finished.
    public init(skippedAt dueAt: String, running: String) {
        self.init(jobId: nil, outcome: .skipped, dueAt: dueAt,
                  reason: "the previous run \(running) was still queued or active")
    }

    /// Customer Insights' status words for an enrichment whose last finished run this is: `Successful`,
    /// `Completed with warnings`, `Cancelled`, `Failed (permanent)` when the definition or its data must be fixed
    /// (an invalid file, a missing column, a path or connection not allowed), else `Failed (retrying)`: the
    /// next refresh or a retry may succeed.
    public var status: String {
        switch self.outcome {
        case .succeeded: return "Successful"
        case .completedWithWarnings: return "Completed with warnings"
        case .cancelled: return "Cancelled"
        case .skipped: return "Skipped"
        case .failed:
            let permanent: Set<JobError.Code> = [
                .invalidJSON, .unknownKey, .wrongType, .missingKey, .invalidValue, .fileNotFound, .unreadableFile,
                .emptyFile, .invalidUTF8, .invalidEncoding, .malformedCSV, .raggedRow, .missingColumn, .duplicateColumn,
                .duplicateCustomerId, .pathNotAllowed, .unknownConnection, .consentRequired,
            ]
            let permanentCause = self.errorCode.map { permanent.contains(JobError.Code(rawValue: $0)) } ?? false
            return permanentCause ? "Failed (permanent)" : "Failed (retrying)"
        }
    }

    /// One line of JSON, keys sorted.
    public func line() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// The entries of history.jsonl's lines; a line that does not decode (written by a later version, or
    /// damaged) is left out rather than failing the whole history.
    public static func entries(_ lines: [[UInt8]]) -> [RefreshHistoryEntry] {
        let decoder = JSONDecoder()
        return lines.compactMap { try? decoder.decode(RefreshHistoryEntry.self, from: Data($0)) }
    }
}
