import Formats

/// `active/ID/progress.json`: a job's live progress, rewritten atomically about once a second.
public struct ProgressReport: Codable, Sendable, Equatable {
    public enum Phase: String, Codable, Sendable {
        case planning, enriching, writing, paused
    }

    public var id: String
    public var name: String
    public var outputTable: String
    public var connection: String
    public var phase: Phase
    public var rows: Int
    public var inScope: Int
    /// Distinct lookups the job needs.
    public var lookups: Int
    /// Lookups answered so far (including earlier runs, from the ledger).
    public var answered: Int
    public var lookupsPerSecond: Double
    public var startedAt: String
    public var updatedAt: String
    public var pausedReason: String?

    public init(id: String, name: String, outputTable: String, connection: String, phase: Phase, rows: Int,
                inScope: Int, lookups: Int, answered: Int, lookupsPerSecond: Double, startedAt: String,
                updatedAt: String, pausedReason: String? = nil) {
        self.id = id
        self.name = name
        self.outputTable = outputTable
        self.connection = connection
        self.phase = phase
        self.rows = rows
        self.inScope = inScope
        self.lookups = lookups
        self.answered = answered
        self.lookupsPerSecond = lookupsPerSecond
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.pausedReason = pausedReason
    }

    public var percent: Double {
        self.lookups == 0 ? (self.phase == .writing ? 100 : 0) : Double(self.answered) * 100 / Double(self.lookups)
    }
}
