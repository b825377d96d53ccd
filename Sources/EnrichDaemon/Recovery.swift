import Foundation
import Jobs
import Logging
import Spool

/// What the daemon does at start with each entry left in `active/` by a stop or a crash.
enum RecoveryDecision: Equatable {
    /// Not a job directory (a stray file): left alone.
    case skip
    /// A claim interrupted between mkdir and rename left an empty directory: removed.
    case removeEmptyClaim
    /// Resumed from its ledger; `starts`: how many daemon starts found it active without progress.
    case resume(starts: Int)
    /// Active across more starts than allowed without progress (it crashes the daemon): set aside in failed/.
    case setAside(JobError)

    /// A job active across more daemon starts than this (without a graceful stop) is a poison job.
    static let maximumStartsWhileActive = 3

    /// - Parameter starts: the job's start counter after counting this start (reset by progress and by a
    ///   graceful stop).
    static func decide(id: String, isDirectory: Bool, hasJobFile: Bool, isEmpty: Bool, starts: () -> Int) -> Self {
        guard isDirectory else { return .skip }
        if !hasJobFile && isEmpty { return .removeEmptyClaim }
        let starts = starts()
        guard starts > Self.maximumStartsWhileActive else { return .resume(starts: starts) }
        return .setAside(JobError(
            .poisonJob,
            "the daemon restarted \(starts - 1) times in a row while this job was active without progress; it was set aside so the service stops crash-looping",
            hint: "look at the daemon's log for this job (journalctl -u enrichd JOB_ID=\(id)); requeue it with enrichctl retry \(id)"))
    }
}

/// Recovery at start: walks `active/`, applies each entry's ``RecoveryDecision`` and returns the jobs to resume.
struct Recovery {
    let layout: SpoolLayout
    let logger: Logger

    func jobsToResume() -> [String] {
        let active = (try? FileManager.default.contentsOfDirectory(atPath: self.layout.active)) ?? []
        var resume: [String] = []
        for id in active.sorted() where !SpoolLayout.isIgnored(id) {
            let job = JobDirectory(self.layout.active(id))
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: job.path, isDirectory: &isDirectory)
            let decision = RecoveryDecision.decide(
                id: id, isDirectory: exists && isDirectory.boolValue,
                hasJobFile: FileManager.default.fileExists(atPath: job.descriptor),
                isEmpty: (try? FileManager.default.contentsOfDirectory(atPath: job.path))?.isEmpty ?? false,
                starts: { StartCounter.increment(job.path, progress: JobLedger.count(path: job.ledger)) })
            switch decision {
            case .skip:
                continue
            case .removeEmptyClaim:
                rmdir(job.path)
            case .resume(let starts):
                // A write the crash interrupted left its temporary (progress.json's, say): nothing will rename it
                // now, and it must not travel on to done/.
                let removed = DurableFile.removeTemporaries(in: job.path)
                var metadata: Logger.Metadata = ["job_id": "\(id)", "starts": "\(starts)"]
                if !removed.isEmpty { metadata["removed_temporaries"] = "\(removed.joined(separator: ","))" }
                self.logger.notice("resuming job", metadata: metadata)
                resume.append(id)
            case .setAside(let error):
                self.logger.error("poison job set aside: \(error.message)", metadata: [
                    "job_id": "\(id)", "message_id": "\(MessageID.jobFailed)", "error_code": "\(error.code)"])
                JobFailure.moveToFailed(job, id: id, layout: self.layout, error: error, logger: self.logger)
            }
        }
        return resume
    }
}
