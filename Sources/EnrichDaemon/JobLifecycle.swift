import Formats
import Jobs

/// The lifecycle of one job as a pure state machine: events in, actions out. `JobRunner` performs the actions
/// (files, ledger, connection, journal) and feeds their outcome back as events; nothing here does I/O or reads a
/// clock, so every transition is unit-tested.
///
///     planning → enriching ⇄ paused → writing → done | cancelled
///         ↓          ↓          ↓         ↓
///       failed   stopping   stopping   failed → stranded (neither done/ nor failed/ could be reached)
///
/// `stopping` is a daemon shutdown: nothing new is sent, answers in flight are still recorded, and the job stays in
/// `active/` for the next start. A job ends exactly once: `done`, `cancelled`, `failed` or `stranded` each come
/// with one `.finish`, which frees its slot — also when the spool refuses the final rename.
struct JobLifecycle: Equatable, Sendable {
    /// Why a job may pause; each holds it on its own, and it goes on when none does.
    enum PauseCause: Int, Comparable, Sendable {
        /// The connection paused (credentials refused, credits spent: 401, 427).
        case connection
        /// The connection's budget for the day or month is used up.
        case budget
        /// The job's own `maxPaidLookups` is reached.
        case jobCap

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    enum State: Equatable, Sendable {
        case planning
        case enriching
        case paused(reason: String)
        /// Writing the outputs; `cancelled` when a cancel ended the enrichment.
        case writing(cancelled: Bool)
        case stopping
        case done
        case cancelled
        case failed
        /// Could reach neither `done/` nor `failed/` (e.g. the service user may not write there): it stays in
        /// `active/`, reported, its slot freed; the next start takes it up again.
        case stranded(reason: String)

        var isFinal: Bool {
            switch self {
            case .done, .cancelled, .failed, .stranded: true
            default: false
            }
        }
    }

    enum Event: Equatable, Sendable {
        /// Planning read the inputs: `pending` lookups have no answer yet.
        case planned(pending: Int)
        /// Planning, recording or writing failed: the job goes to `failed/`.
        case failed(JobError)
        /// A new answer was recorded; `complete`: it was the last one missing.
        case answered(complete: Bool)
        /// A cause holds the job (with its reason) or lets it go (`nil`): the connection (401, 427), a budget,
        /// the job's cap.
        case paused(String?, cause: PauseCause = .connection)
        case cancel
        case stop
        /// The checkpoint timer fired.
        case checkpointDue
        /// The outputs are written (in `active/`); the job may move to `done/`.
        case outputsWritten
        /// The job is in `done/`.
        case movedToDone
        /// The rename into `done/` failed.
        case moveToDoneFailed(String)
        /// The job is in `failed/`.
        case movedToFailed
        /// The rename into `failed/` failed too.
        case moveToFailedFailed(String)
    }

    enum Action: Equatable, Sendable {
        /// Hand the pending lookups to the connection.
        case enqueue
        /// Take the job's requests off the connection (nothing more is sent for it).
        case withdraw
        /// Run a checkpoint in 50 ms (ledger fsync, cache transaction, counters).
        case scheduleCheckpoint
        /// Run a checkpoint now.
        case checkpoint
        case writeOutputs
        case moveToDone
        case moveToFailed(JobError)
        /// Publish progress (phase, paused reason).
        case publish
        case logPaused(String, cause: PauseCause = .connection)
        case logResumed
        /// The job is over: free its slot and report how it ended.
        case finish(Outcome)
    }

    enum Outcome: Equatable, Sendable {
        case done(cancelled: Bool)
        case failed(JobError)
        case stranded(String)
    }

    private(set) var state: State = .planning
    /// What holds the job, by cause (the paused state's reason joins them).
    private(set) var pauses: [PauseCause: String] = [:]
    private(set) var checkpointScheduled = false
    /// The error the job is failing with (kept while it moves to failed/).
    private(set) var failure: JobError?

    /// What progress.json and STATUS= say.
    var phase: ProgressReport.Phase {
        switch self.state {
        case .planning: .planning
        case .enriching, .stopping: .enriching
        case .paused: .paused
        case .writing, .done, .cancelled, .failed, .stranded: .writing
        }
    }

    var pausedReason: String? {
        if case .paused(let reason) = self.state { return reason }
        return nil
    }

    /// Whether answers are still recorded (they are paid for): while enriching, paused or stopping.
    var recordsAnswers: Bool {
        switch self.state {
        case .enriching, .paused, .stopping: true
        default: false
        }
    }

    var isCancelled: Bool {
        switch self.state {
        case .writing(cancelled: true), .cancelled: true
        default: false
        }
    }

    /// The actions for `event`; an event the state does not take (an answer after the end, a cancel while
    /// stopping, a second stop) changes nothing and returns none.
    mutating func handle(_ event: Event) -> [Action] {
        switch (self.state, event) {
        case (.planning, .planned(let pending)):
            if pending == 0 {
                self.state = .writing(cancelled: false)
                return [.publish, .writeOutputs]
            }
            self.state = .enriching
            return [.publish, .enqueue]

        case (.planning, .cancel):
            return self.fail(JobError(.cancelled, "cancelled before it started"))
        case (.planning, .stop):
            self.state = .stopping
            return [.withdraw]

        case (.enriching, .answered(let complete)), (.paused, .answered(let complete)):
            var actions = self.scheduleCheckpoint()
            if complete {
                self.state = .writing(cancelled: false)
                actions += [.publish, .writeOutputs]
            }
            return actions
        case (.stopping, .answered):
            return self.scheduleCheckpoint()

        case (.enriching, .paused(let reason?, let cause)), (.paused, .paused(let reason?, let cause)):
            self.pauses[cause] = reason
            let joined = self.joinedPauses
            guard self.state != .paused(reason: joined) else { return [] }
            self.state = .paused(reason: joined)
            return [.publish, .logPaused(reason, cause: cause)]
        case (.enriching, .paused(nil, let cause)):
            self.pauses[cause] = nil
            return []
        case (.paused, .paused(nil, let cause)):
            self.pauses[cause] = nil
            guard !self.pauses.isEmpty else {
                self.state = .enriching
                return [.publish, .logResumed]
            }
            // Another cause still holds it.
            self.state = .paused(reason: self.joinedPauses)
            return [.publish]

        case (.enriching, .cancel), (.paused, .cancel):
            self.state = .writing(cancelled: true)
            return [.withdraw, .publish, .writeOutputs]

        case (.enriching, .stop), (.paused, .stop):
            self.state = .stopping
            return [.withdraw, .checkpoint]

        case (_, .checkpointDue):
            self.checkpointScheduled = false
            return [.checkpoint]

        case (.writing, .outputsWritten):
            return [.moveToDone]
        case (.writing(let cancelled), .movedToDone):
            self.state = cancelled ? .cancelled : .done
            return [.finish(.done(cancelled: cancelled))]
        case (.writing, .moveToDoneFailed(let reason)):
            return self.fail(JobError(.writeFailed, "cannot move the job to done/: \(reason)",
                                      hint: "let the service user write to the spool's done/ directory, then restart enrichd"))

        case (.planning, .failed(let error)), (.enriching, .failed(let error)), (.paused, .failed(let error)),
            (.writing, .failed(let error)), (.stopping, .failed(let error)):
            return self.fail(error)

        case (.failed, .movedToFailed):
            guard let failure = self.failure else { return [] }
            return [.finish(.failed(failure))]
        case (.failed, .moveToFailedFailed(let reason)):
            let why = "\(self.failure?.message ?? "failed"); and cannot move the job to failed/: \(reason)"
            self.state = .stranded(reason: why)
            return [.finish(.stranded(why))]

        default:
            return []
        }
    }

    /// The reasons that hold the job, the connection's first.
    private var joinedPauses: String {
        self.pauses.sorted { $0.key < $1.key }.map(\.value).joined(separator: "; ")
    }

    private mutating func scheduleCheckpoint() -> [Action] {
        guard !self.checkpointScheduled else { return [] }
        self.checkpointScheduled = true
        return [.scheduleCheckpoint]
    }

    private mutating func fail(_ error: JobError) -> [Action] {
        let wasWithdrawn = self.state == .stopping || self.state == .writing(cancelled: true)
        self.state = .failed
        self.failure = error
        return (wasWithdrawn ? [] : [.withdraw]) + [.moveToFailed(error)]
    }
}
