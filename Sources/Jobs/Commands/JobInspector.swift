import Formats
import Foundation
import Spool

/// One job as the spool shows it: where it is, what it is called, how far it got and since when. What
/// `enrichctl list`, `status`, `show` and `wait` print, read from the files the daemon writes (no daemon
/// connection).
public struct JobSnapshot: Sendable, Encodable, Equatable {
    /// The spool directory the job is in.
    public enum Place: String, Sendable, Encodable {
        case queued, active, done, failed
    }

    /// What a person wants to know: waiting, working (in which phase), or finished (how).
    public enum State: String, Sendable, Encodable {
        /// In `incoming/`, not yet claimed.
        case queued
        /// Claimed; no progress written yet.
        case starting
        case planning, enriching, writing, paused
        case succeeded, completedWithWarnings, cancelled, failed

        public var isFinished: Bool {
            switch self {
            case .succeeded, .completedWithWarnings, .cancelled, .failed: true
            case .queued, .starting, .planning, .enriching, .writing, .paused: false
            }
        }

        /// Finished with its outputs complete (warnings or not).
        public var isSuccess: Bool { self == .succeeded || self == .completedWithWarnings }

        public var words: String {
            self == .completedWithWarnings ? "completed with warnings" : self.rawValue
        }
    }

    public var id: String
    public var place: Place
    public var state: State
    /// The job's `name`, `outputTable` and `connection` (absent when its descriptor cannot be read: another
    /// submitter's queued job, or a rejected entry).
    public var name: String?
    public var outputTable: String?
    public var connection: String?
    /// The saved enrichment this job is a run of (its descriptor's `"enrichment"`).
    public var enrichment: String?
    /// The refresh such a run serves (its descriptor's `"refreshDueAt"`).
    public var refreshDueAt: String?
    /// ISO 8601 UTC; each one when known: a queued job has been submitted, an active one started, a finished
    /// one ended.
    public var submittedAt: String?
    public var startedAt: String?
    public var finishedAt: String?
    /// Seconds since the job entered its current state (submitted, started, finished).
    public var ageSeconds: Double?
    /// For a queued job: how many queued jobs the daemon claims before it (oldest first); absent when the
    /// queue cannot be listed (a submitter may only pass through incoming/).
    public var queuedAhead: Int?
    /// "Enriched 1,860 of 2,000 profiles (93.0%)" for a finished job with results; the error for a failed one.
    public var headline: String?
    public var progress: ProgressReport?
    public var result: ResultSummary?
    public var error: JobError?

    /// The snapshot without the files' contents, as `list` shows it.
    public var brief: JobSnapshot {
        var brief = self
        brief.progress = nil
        brief.result = nil
        brief.error = nil
        return brief
    }
}

/// Reads jobs' snapshots out of a spool.
public struct JobInspector: Sendable {
    public let layout: SpoolLayout
    private let now: Date

    public init(layout: SpoolLayout, now: Date = Date()) {
        self.layout = layout
        self.now = now
    }

    /// The job with this id, wherever it is, or nil when the spool has no such job. The places are looked at
    /// in the order a job moves through them (incoming, active, done or failed), so a job moving on while it
    /// is looked for is found in the later place rather than missed; a retry moves a job back to incoming, so
    /// a job not found is looked for once more.
    public func snapshot(id: String) -> JobSnapshot? {
        guard SpoolLayout.isValidID(id) else { return nil }
        return self.find(id) ?? self.find(id)
    }

    /// The queued jobs, oldest (next to be claimed) first.
    public func queued() -> [JobSnapshot] {
        let names = SpoolClaimer(layout: self.layout).queued()
        return names.enumerated().compactMap { position, name in
            let id = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
            return self.queued(id: id, entry: name, ahead: position)
        }
    }

    /// The jobs in `place` whose ids `names` lists (as read from the directory), in that order.
    public func jobs(in place: JobSnapshot.Place, names: [String]) -> [JobSnapshot] {
        switch place {
        case .queued:
            let ids = Set(names.map { $0.hasSuffix(".json") ? String($0.dropLast(5)) : $0 })
            return self.queued().filter { ids.contains($0.id) }
        case .active: return names.compactMap { self.active(id: $0) }
        case .done: return names.compactMap { self.done(id: $0) }
        case .failed: return names.compactMap { self.failed(id: $0) }
        }
    }

    private func find(_ id: String) -> JobSnapshot? {
        // By name first: a submitter may pass through incoming/ without listing it (then its place in the queue
        // is not known).
        for entry in [id + ".json", id] where Self.modificationDate(self.layout.path("incoming", entry)) != nil {
            let ahead = SpoolClaimer(layout: self.layout).queued().firstIndex(of: entry)
            if let snapshot = self.queued(id: id, entry: entry, ahead: ahead) { return snapshot }
        }
        return self.active(id: id) ?? self.done(id: id) ?? self.failed(id: id)
    }

    // MARK: - One place each

    private func queued(id: String, entry: String, ahead: Int?) -> JobSnapshot? {
        let path = self.layout.path("incoming", entry)
        guard let modified = Self.modificationDate(path) else { return nil }
        let descriptor = entry.hasSuffix(".json") ? path : JobDirectory(path).descriptor
        var snapshot = Self.snapshot(id: id, place: .queued, state: .queued, descriptorPath: descriptor)
        snapshot.submittedAt = Timestamp.iso(modified)
        snapshot.ageSeconds = self.age(since: modified)
        snapshot.queuedAhead = ahead
        return snapshot
    }

    private func active(id: String) -> JobSnapshot? {
        let directory = JobDirectory(self.layout.active(id))
        guard let started = Self.modificationDate(directory.path) else { return nil }
        guard let progress = Self.decode(ProgressReport.self, directory.progress) else {
            var snapshot = Self.snapshot(id: id, place: .active, state: .starting, descriptorPath: directory.descriptor)
            snapshot.ageSeconds = self.age(since: started)
            return snapshot
        }
        let state: JobSnapshot.State = switch progress.phase {
        case .planning: .planning
        case .enriching: progress.pausedReason == nil ? .enriching : .paused
        case .writing: .writing
        case .paused: .paused
        }
        // The names as progress.json has them; the enrichment it runs from its descriptor.
        var snapshot = Self.snapshot(id: id, place: .active, state: state, descriptorPath: directory.descriptor)
        (snapshot.name, snapshot.outputTable, snapshot.connection) = (progress.name, progress.outputTable, progress.connection)
        snapshot.startedAt = progress.startedAt
        snapshot.ageSeconds = Self.date(progress.startedAt).map(self.age(since:))
        snapshot.progress = progress
        return snapshot
    }

    private func done(id: String) -> JobSnapshot? {
        let directory = JobDirectory(self.layout.done(id))
        guard let finished = Self.modificationDate(directory.path) else { return nil }
        guard let result = Self.decode(ResultSummary.self, directory.result) else {
            // A finished job's directory without a readable result.json (the submitter may not read it).
            var snapshot = Self.snapshot(id: id, place: .done, state: .succeeded, descriptorPath: directory.descriptor)
            snapshot.ageSeconds = self.age(since: finished)
            return snapshot
        }
        return self.finished(id: id, place: .done, result: result, error: nil, modified: finished)
    }

    private func failed(id: String) -> JobSnapshot? {
        let directory = JobDirectory(self.layout.failed(id))
        guard let modified = Self.modificationDate(directory.path) else { return nil }
        let error = Self.decode(JobError.self, directory.error)
        if let result = Self.decode(ResultSummary.self, directory.result) {
            return self.finished(id: id, place: .failed, result: result, error: error, modified: modified)
        }
        var snapshot = Self.snapshot(id: id, place: .failed, state: error?.code == .cancelled ? .cancelled : .failed,
                                     descriptorPath: directory.descriptor)
        let ended = Self.modificationDate(directory.error) ?? modified
        snapshot.finishedAt = Timestamp.iso(ended)
        snapshot.ageSeconds = self.age(since: ended)
        snapshot.headline = error?.description
        snapshot.error = error
        return snapshot
    }

    private func finished(id: String, place: JobSnapshot.Place, result: ResultSummary, error: JobError?,
                          modified: Date) -> JobSnapshot {
        let state: JobSnapshot.State = switch result.state {
        case .succeeded: .succeeded
        case .completedWithWarnings: .completedWithWarnings
        case .cancelled: .cancelled
        case .failed: .failed
        }
        var snapshot = JobSnapshot(id: id, place: place, state: state, name: result.name,
                                   outputTable: result.outputTable, connection: result.connection)
        snapshot.startedAt = result.timings.startedAt
        snapshot.finishedAt = result.timings.finishedAt
        snapshot.ageSeconds = self.age(since: Self.date(result.timings.finishedAt) ?? modified)
        snapshot.headline = error?.description ?? result.headlineText
        snapshot.result = result
        snapshot.error = error
        return snapshot
    }

    // MARK: - Files

    private struct Names: Decodable {
        var name: String?
        var outputTable: String?
        var connection: String?
        var enrichment: String?
        var refreshDueAt: String?
    }

    /// A snapshot with the names (and the enrichment a run serves) its descriptor gives.
    private static func snapshot(id: String, place: JobSnapshot.Place, state: JobSnapshot.State,
                                 descriptorPath: String) -> JobSnapshot {
        let names = Self.names(descriptorPath: descriptorPath)
        var snapshot = JobSnapshot(id: id, place: place, state: state, name: names?.name,
                                   outputTable: names?.outputTable, connection: names?.connection)
        snapshot.enrichment = names?.enrichment
        snapshot.refreshDueAt = names?.refreshDueAt
        return snapshot
    }

    /// The names in a descriptor, read leniently (a job that will be refused still has a name to show), from
    /// no more than the daemon's limit of it.
    private static func names(descriptorPath: String) -> Names? {
        guard let handle = FileHandle(forReadingAtPath: descriptorPath) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: JobFile.maximumDescriptorBytes) else { return nil }
        return try? JSONDecoder().decode(Names.self, from: data)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ path: String) -> T? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(type, from: $0) }
    }

    private static func modificationDate(_ path: String) -> Date? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
    }

    private static func date(_ iso: String) -> Date? { Timestamp.date(iso) }

    private func age(since date: Date) -> Double {
        (max(0, self.now.timeIntervalSince(date)) * 10).rounded() / 10
    }
}
