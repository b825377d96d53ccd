import Formats
import Foundation
import Jobs

/// The daemon's one-line `STATUS=` (what `systemctl status enrichd` shows): a pure function of what the control
/// queue knows, so every wording is unit-tested.
struct StatusLine {
    struct ActiveJob: Sendable {
        var connection: String?
        var progress: ProgressReport
    }

    var stopping = false
    var queued = 0
    var active: [ActiveJob] = []
    /// Paused connections and why (only those holding up an active job are shown).
    var pausedConnections: [String: String] = [:]
    /// Jobs that could reach neither done/ nor failed/ since this start.
    var stranded = 0
    /// The saved enrichment refreshed next by its schedule, and when (ISO 8601).
    var nextRefresh: (name: String, at: String)?

    var text: String {
        if self.stopping { return "stopping, \(self.active.count) active job(s) will resume on next start" }
        let paused = self.pausedConnections.filter { connection, _ in
            self.active.contains { $0.connection == connection }
        }.sorted { $0.key < $1.key }
        if !paused.isEmpty {
            let reasons = paused.map { "\($0.value) (connection \($0.key))" }.joined(separator: "; ")
            return "paused: \(reasons); \(self.active.count) active, \(self.queued) queued"
        }
        let stranded = self.stranded == 0 ? ""
            : "; \(self.stranded) stranded in active/ (see journal; restart after fixing the spool's permissions)"
        guard !self.active.isEmpty else {
            let next = self.nextRefresh.map { "; next refresh \($0.name) at \($0.at)" } ?? ""
            return "idle, \(self.queued) queued" + next + stranded
        }
        let reports = self.active.map(\.progress).sorted { $0.startedAt < $1.startedAt }
        var line = "\(reports.count) active, \(self.queued) queued"
        if let first = reports.first {
            let rate = reports.reduce(0) { $0 + $1.lookupsPerSecond }
            line += "; \(first.name) \(Int(first.percent))% (\(NumberText.grouped(first.answered))/\(NumberText.grouped(first.lookups)))"
            line += ", \(String(format: "%.1f", rate)) lookups/s"
        }
        return line + stranded
    }
}
