import Foundation
import Jobs
import Logging
import Spool

/// What the daemon does when a run of a saved enrichment ends: a successful run's outputs become the
/// enrichment's `current/` (one rename), and every run gets a line in its `history.jsonl`; a failed or
/// cancelled run leaves `current/` as it was. Publishing comes before the history line and both are idempotent,
/// so a crash between them is repaired at the next start (``reconcile()``).
struct EnrichmentRuns {
    let layout: SpoolLayout
    let logger: Logger

    /// Records the ended job `id` (in done/ or failed/) if it is a run of a saved enrichment; returns whether
    /// it was one.
    @discardableResult
    func record(jobID id: String) -> Bool {
        let done = FileManager.default.fileExists(atPath: self.layout.done(id))
        let job = JobDirectory(done ? self.layout.done(id) : self.layout.failed(id))
        guard let bytes = FileManager.default.contents(atPath: job.descriptor),
            let descriptor = try? JobDescriptor.parse(Array(bytes)), let name = descriptor.enrichment
        else { return false }
        let enrichment = self.layout.enrichment(name.rawValue)
        guard FileManager.default.fileExists(atPath: enrichment.definition) else {
            self.logger.warning("a run of a deleted enrichment ended: its outputs stay in the job's directory",
                                metadata: ["job_id": "\(id)", "enrichment": "\(name)"])
            return true
        }
        let recorded = RefreshHistoryEntry.entries(enrichment.historyLines()).contains { $0.jobId == id }
        let result = FileManager.default.contents(atPath: job.result)
            .flatMap { try? JSONDecoder().decode(ResultSummary.self, from: $0) }
        do {
            let entry: RefreshHistoryEntry
            if done, let result {
                if result.state == .succeeded || result.state == .completedWithWarnings {
                    let files = [result.outputs.table, result.outputs.contacts, result.outputs.errors,
                                 JobDirectory.resultName, JobDirectory.reportName]
                        .compactMap { $0 }.filter { FileManager.default.fileExists(atPath: job.file($0)) }
                    try enrichment.publish(run: id, from: job.path, files: files)
                }
                entry = RefreshHistoryEntry(result: result, dueAt: descriptor.refreshDueAt)
            } else {
                let error = FileManager.default.contents(atPath: job.error)
                    .flatMap { try? JSONDecoder().decode(JobError.self, from: $0) }
                    ?? JobError(.internalError, "the run ended without error.json")
                entry = RefreshHistoryEntry(failed: id, error: error, finishedAt: Timestamp.now(), dueAt: descriptor.refreshDueAt)
            }
            if !recorded { try enrichment.appendHistory(try entry.line()) }
            // A failed refresh is a warning, so `journalctl -p warning` shows it.
            self.logger.log(level: entry.outcome == .failed ? .warning : .notice,
                            "enrichment run recorded: \(entry.status)", metadata: [
                "message_id": "\(MessageID.enrichmentRunRecorded)", "job_id": "\(id)", "enrichment": "\(name)",
                "outcome": "\(entry.outcome.rawValue)", "current_run": "\(enrichment.currentRunID ?? "")",
            ])
        } catch {
            self.logger.error("cannot record an enrichment run: \(error)", metadata: [
                "job_id": "\(id)", "enrichment": "\(name)"])
        }
        return true
    }

    /// At start: runs that ended while the daemon could not record them (a crash after the job reached done/
    /// or failed/, a queued run cancelled) are recorded now. Runs are found by their ids, which `enrichctl
    /// enrichment run` prefixes with the enrichment's name.
    func reconcile() {
        let enrichments = EnrichmentStore(layout: self.layout).names()
        guard !enrichments.isEmpty else { return }
        let ended = ((try? FileManager.default.contentsOfDirectory(atPath: self.layout.done)) ?? [])
            + ((try? FileManager.default.contentsOfDirectory(atPath: self.layout.failed)) ?? [])
        for name in enrichments {
            let recorded = Set(RefreshHistoryEntry.entries(self.layout.enrichment(name.rawValue).historyLines()).compactMap(\.jobId))
            for id in ended where id.hasPrefix(name.rawValue + "-") && !recorded.contains(id) {
                self.record(jobID: id)
            }
        }
    }
}
