import Foundation
import Jobs
import Logging
import POSIX
import Spool

/// A `control/cancel-ID` file written by `enrichctl cancel ID`.
struct CancelRequest: Equatable {
    var id: String
    /// Who wrote it (the file's owner); `nil` when it vanished before it could be read.
    var requester: uid_t?
    var requestedAt: timespec

    static func == (a: Self, b: Self) -> Bool {
        a.id == b.id && a.requester == b.requester && a.requestedAt.tv_sec == b.requestedAt.tv_sec
            && a.requestedAt.tv_nsec == b.requestedAt.tv_nsec
    }
}

/// What to do with a cancel request: a pure decision, unit-tested.
enum CancelDecision: Equatable {
    /// Not written by root, the daemon's user or the job's submitter.
    case refused
    /// Older than the job's arrival in incoming/ (left for a job that had failed and was then retried).
    case stale
    case cancelActive
    /// The job is still queued: claim it and move it to failed/ as cancelled.
    case cancelQueued(entry: String)
    /// Neither queued nor active (done, failed, unknown): nothing to cancel.
    case noSuchJob

    /// - Parameters:
    ///   - activeSince: for an active job, when it arrived in incoming/ (`.some(nil)` if unknown); `nil` if it
    ///     is not active.
    ///   - queued: the job's entry in incoming/ and its change time, if it is queued.
    static func decide(_ request: CancelRequest, daemonUID: uid_t, submitter: uid_t?, activeSince: timespec??,
                       queued: (entry: String, since: timespec?)?) -> Self {
        guard let requester = request.requester, requester == 0 || requester == daemonUID || requester == submitter
        else { return .refused }
        if let activeSince {
            if let since = activeSince, request.requestedAt.isBefore(since) { return .stale }
            return .cancelActive
        }
        if let queued {
            if let since = queued.since, request.requestedAt.isBefore(since) { return .stale }
            return .cancelQueued(entry: queued.entry)
        }
        return .noSuchJob
    }
}

/// Reads and consumes the cancel requests in `control/`, decides each (``CancelDecision``), cancels queued jobs
/// itself and returns the active jobs to cancel.
struct CancelRequests {
    let layout: SpoolLayout
    let claimer: SpoolClaimer
    let logger: Logger

    /// - Parameter activeSince: the active jobs, each with when it arrived in incoming/.
    /// - Returns: the active jobs to cancel, and the queued jobs cancelled (now in failed/).
    func process(activeSince: [String: timespec?]) -> (cancelActive: [String], cancelledQueued: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.layout.control)) ?? []
        var cancelActive: [String] = []
        var cancelledQueued: [String] = []
        for name in names where name.hasPrefix("cancel-") {
            let id = String(name.dropFirst("cancel-".count))
            let path = self.layout.path("control", name)
            var status = stat()
            let readable = lstat(path, &status) == 0
            let request = CancelRequest(id: id, requester: readable ? status.st_uid : nil, requestedAt: status.st_mtim)
            unlink(path)
            let queued = [id, "\(id).json"].first { FileManager.default.fileExists(atPath: self.layout.path("incoming", $0)) }
                .map { entry -> (entry: String, since: timespec?) in
                    var info = stat()
                    return (entry, lstat(self.layout.path("incoming", entry), &info) == 0 ? info.st_ctim : nil)
                }
            let decision = CancelDecision.decide(request, daemonUID: geteuid(), submitter: self.submitter(of: id),
                                                 activeSince: activeSince[id], queued: queued)
            switch decision {
            case .refused:
                self.logger.warning("cancel request refused: not the job's submitter", metadata: [
                    "job_id": "\(id)", "requester_uid": "\(request.requester.map(String.init) ?? "?")"])
            case .stale:
                self.logger.warning("stale cancel request ignored: it is older than the job's submission",
                                    metadata: ["job_id": "\(id)"])
            case .cancelActive:
                self.logger.notice("cancelling job", metadata: ["job_id": "\(id)"])
                cancelActive.append(id)
            case .cancelQueued(let entry):
                guard let claim = try? self.claimer.claim(name: entry) else { continue }
                let error = JobError(.cancelled, "cancelled before it started", hint: "requeue it with enrichctl retry \(claim.id)")
                JobFailure.moveToFailed(JobDirectory(claim.directory), id: claim.id, layout: self.layout, error: error,
                                        logger: self.logger)
                self.logger.notice("cancelled a queued job", metadata: ["job_id": "\(claim.id)"])
                cancelledQueued.append(claim.id)
            case .noSuchJob:
                self.logger.notice("cancel request for a job that is neither queued nor active: ignored",
                                   metadata: ["job_id": "\(id)"])
            }
        }
        return (cancelActive, cancelledQueued)
    }

    /// The user who submitted a job: the owner of its queued entry, or of its directory in active/ (a bundle
    /// stays its submitter's), or of the job.json the daemon moved into a directory of its own; for a run of a
    /// saved enrichment that the daemon or root submitted, the enrichment's owner.
    private func submitter(of id: String) -> uid_t? {
        var status = stat()
        for path in [self.layout.path("incoming", id), self.layout.path("incoming", "\(id).json"), self.layout.active(id)]
        where lstat(path, &status) == 0 {
            if status.st_uid != geteuid() && status.st_uid != 0 { return status.st_uid }
            // A refresh the daemon (or root) submitted answers to the enrichment's owner.
            if let owner = self.enrichmentOwner(descriptor: JobDirectory(path).descriptor) { return owner }
            if lstat(JobDirectory(path).descriptor, &status) == 0 { return status.st_uid }
            return nil
        }
        return nil
    }

    /// The owner of the saved enrichment a job's descriptor names, when that is not the daemon.
    private func enrichmentOwner(descriptor path: String) -> uid_t? {
        guard let bytes = try? JobFile.readDescriptor(path, displayName: path),
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
            let name = (object["enrichment"] as? String).flatMap(EnrichmentName.init(rawValue:))
        else { return nil }
        var status = stat()
        guard lstat(self.layout.enrichment(name.rawValue).path, &status) == 0, status.st_uid != geteuid() else {
            return nil
        }
        return status.st_uid
    }
}
