import Dispatch
import Foundation
import Jobs
import Logging
import POSIX
import Spool

/// `hooks.runFinished`: after every job that reaches done/ or failed/ — succeeded, completed with warnings,
/// failed or cancelled; a one-off job or a saved enrichment's run — runs the configured command, so that a failed
/// refresh can page someone.
///
/// The command runs as the daemon's own user, without a shell, in a process group of its own (``SpawnedProcess``),
/// with stdin from `/dev/null` and a minimal environment (``Run/environment(inheriting:)``): what it is told about
/// the job, `PATH`, and `LANG`/`LC_ALL` when the daemon has them — never the daemon's own environment, which holds
/// `CREDENTIALS_DIRECTORY` and `NOTIFY_SOCKET`. The first ``outputLimit`` bytes of its stdout and stderr are
/// logged with its outcome (notice on success, warning with ``MessageID/hookFailed`` otherwise). When it outlives
/// `timeoutSeconds`, its process group gets SIGTERM and, ``killGraceSeconds`` later, SIGKILL; whatever it leaves
/// in its group when it exits is killed too. A hook's failure is only logged: it never changes the job, and
/// nothing here runs on the control queue or a job's queue (a thread per running hook waits for its exit).
///
/// At most ``concurrentLimit`` hooks run at once; up to ``backlogLimit`` more wait in order, and beyond that a
/// hook is not run (logged). At shutdown the daemon's drain waits for running hooks within its own deadline
/// (`--drain-timeout`), then ``abandon()`` kills what still runs; waiting hooks are then not run.
///
/// `@unchecked Sendable`: all mutable state is confined to `queue`.
final class RunFinishedHook: @unchecked Sendable {
    static let concurrentLimit = 4
    static let backlogLimit = 64
    /// Bytes of a hook's output (stdout and stderr together) kept for the journal; the rest is read and counted.
    static let outputLimit = 4096
    /// From SIGTERM (the timeout) to SIGKILL.
    static let killGraceSeconds = 5

    /// What a hook is told about a finished job, in its environment.
    struct Run: Equatable, Sendable {
        var jobID: String
        /// The descriptor's `name`; empty when job.json could not be read (a rejected job).
        var jobName: String
        /// The saved enrichment this job is a run of; empty for a one-off job.
        var enrichment: String
        /// The words result.json uses: `succeeded`, `completedWithWarnings`, `failed`, `cancelled`.
        var state: ResultSummary.State
        /// done/ID/result.json, or failed/ID/error.json for a job in failed/ (a failed job, or one cancelled
        /// before it started); absolute.
        var result: String
        var spool: String

        /// The search path a hook gets when the daemon has none.
        static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

        /// What the finished job `id` left in done/ or failed/; `nil` when it is in neither.
        static func read(jobID id: String, layout: SpoolLayout) -> Run? {
            let job: JobDirectory
            let state: ResultSummary.State
            let result: String
            if FileManager.default.fileExists(atPath: layout.done(id)) {
                job = JobDirectory(layout.done(id))
                result = job.result
                // A done/ job without a readable result.json is worth a look: it is reported as failed.
                state = FileManager.default.contents(atPath: job.result)
                    .flatMap { try? JSONDecoder().decode(ResultState.self, from: $0) }?.state ?? .failed
            } else if FileManager.default.fileExists(atPath: layout.failed(id)) {
                job = JobDirectory(layout.failed(id))
                result = job.error
                let error = FileManager.default.contents(atPath: job.error)
                    .flatMap { try? JSONDecoder().decode(JobError.self, from: $0) }
                state = error?.code == .cancelled ? .cancelled : .failed
            } else {
                return nil
            }
            // Read leniently: a job in failed/ may be there because its descriptor is not valid.
            let descriptor = FileManager.default.contents(atPath: job.descriptor)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            let name = (descriptor["name"] as? String ?? "").replacingOccurrences(of: "\0", with: "")
            let enrichment = (descriptor["enrichment"] as? String).flatMap(EnrichmentName.init(rawValue:))
            return Run(jobID: id, jobName: name, enrichment: enrichment?.rawValue ?? "", state: state,
                       result: Self.absolute(result), spool: Self.absolute(layout.root))
        }

        private struct ResultState: Decodable {
            var state: ResultSummary.State
        }

        /// A spool given as `--spool ./spool` is relative; the hook runs in `/`.
        private static func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }

        /// The hook's whole environment: this run's `ENRICHD_*` variables, and from `inherited` (the daemon's)
        /// only `PATH`, `LANG` and `LC_ALL`.
        func environment(inheriting inherited: [String: String]) -> [String: String] {
            var environment = [
                "PATH": inherited["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPath,
                "ENRICHD_JOB_ID": self.jobID,
                "ENRICHD_JOB_NAME": self.jobName,
                "ENRICHD_ENRICHMENT": self.enrichment,
                "ENRICHD_STATE": self.state.rawValue,
                "ENRICHD_RESULT": self.result,
                "ENRICHD_SPOOL": self.spool,
            ]
            for name in ["LANG", "LC_ALL"] {
                if let value = inherited[name] { environment[name] = value }
            }
            return environment
        }
    }

    /// A finished job whose hook is to run, with the command configured when it finished.
    private struct Pending: Sendable {
        var jobID: String
        var hook: HookCommand
    }

    /// One running hook: used only on `queue` (its sources' handlers find it there by pid).
    private final class Running {
        let run: Run
        let hook: HookCommand
        let process: SpawnedProcess
        var output: [UInt8] = []
        var discarded = 0
        var outputSource: (any DispatchSourceRead)?
        var timers: [any DispatchSourceTimer] = []
        var timedOut = false
        var killed = false
        var abandoned = false

        init(run: Run, hook: HookCommand, process: SpawnedProcess) {
            self.run = run
            self.hook = hook
            self.process = process
        }

        /// Reads what the pipe holds now (it is non-blocking); at end of file, stops reading.
        func readOutput() {
            guard self.outputSource != nil else { return }
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(self.process.output, &chunk, chunk.count)
                if count > 0 {
                    let kept = min(count, RunFinishedHook.outputLimit - self.output.count)
                    self.output += chunk.prefix(kept)
                    self.discarded += count - kept
                } else if count == 0 {
                    self.closeOutput()
                    return
                } else if errno != EINTR {
                    return
                }
            }
        }

        /// The source's cancel handler closes the descriptor (never while the source may still read it).
        func closeOutput() {
            self.outputSource?.cancel()
            self.outputSource = nil
        }

        var outputText: String {
            var text = String(decoding: self.output, as: UTF8.self)
            while let last = text.unicodeScalars.last, CharacterSet.whitespacesAndNewlines.contains(last) {
                text.unicodeScalars.removeLast()
            }
            if self.discarded > 0 { text += " … (\(self.discarded) more bytes not kept)" }
            return text
        }
    }

    private let queue = DispatchQueue(label: "enrichd.hooks")
    private let layout: SpoolLayout
    private let logger: Logger
    /// The daemon's environment, of which a hook gets only `PATH`, `LANG` and `LC_ALL`.
    private let inherited: [String: String]
    private var hook: HookCommand?
    private var scheduled = HookQueue<Pending>(limit: RunFinishedHook.concurrentLimit,
                                               backlog: RunFinishedHook.backlogLimit)
    private var running: [pid_t: Running] = [:]

    init(layout: SpoolLayout, logger: Logger, hook: HookCommand?,
         inherited: [String: String] = ProcessInfo.processInfo.environment) {
        self.layout = layout
        self.logger = logger
        self.hook = hook
        self.inherited = inherited
        if let hook {
            logger.info("runFinished hook: \(hook.program)", metadata: ["timeout_seconds": "\(hook.timeoutSeconds)"])
        }
    }

    /// A reloaded configuration's hook; jobs that finished before keep the hook they were given.
    func configure(_ hook: HookCommand?) {
        self.queue.async {
            guard hook != self.hook else { return }
            self.hook = hook
            if let hook {
                self.logger.notice("runFinished hook is now \(hook.program)",
                                   metadata: ["timeout_seconds": "\(hook.timeoutSeconds)"])
            } else {
                self.logger.notice("no runFinished hook from now on")
            }
        }
    }

    /// The job `id` reached done/ or failed/: runs the hook (if one is configured) for it, now or when a slot
    /// frees. Returns at once.
    func jobFinished(id: String) {
        self.queue.async {
            guard let hook = self.hook else { return }
            switch self.scheduled.submit(Pending(jobID: id, hook: hook)) {
            case .start(let pending): self.start(pending)
            case .wait: break
            case .drop(let pending):
                let why = "\(Self.backlogLimit) hooks are already waiting"
                self.logger.warning("runFinished hook not run for job \(pending.jobID): \(why)",
                                    metadata: ["message_id": "\(MessageID.hookFailed)", "job_id": "\(pending.jobID)",
                                               "hook": "\(pending.hook.program)"])
            }
        }
    }

    /// No hook is running or waiting (the daemon's drain asks). A ``jobFinished(id:)`` called before, from the same
    /// queue, counts: `queue` is serial, so it was admitted first.
    var isIdle: Bool {
        self.queue.sync { self.scheduled.isIdle }
    }

    /// The daemon exits now: hooks still running are killed (SIGKILL to their process groups), waiting ones are not
    /// run; each is logged.
    func abandon() {
        self.queue.sync {
            for pending in self.scheduled.stop() {
                self.logger.warning("runFinished hook not run for job \(pending.jobID): enrichd is stopping",
                                    metadata: ["message_id": "\(MessageID.hookFailed)", "job_id": "\(pending.jobID)",
                                               "hook": "\(pending.hook.program)"])
            }
            for hook in self.running.values where !hook.abandoned {
                hook.abandoned = true
                hook.process.signalGroup(SIGKILL)
                self.logger.warning("runFinished hook for job \(hook.run.jobID) killed: enrichd is stopping",
                                    metadata: self.metadata(hook.run, hook.hook, failed: true))
            }
        }
    }

    // MARK: - One hook

    /// Starts `first`, or the next waiting hook for as long as one cannot even be started.
    private func start(_ first: Pending) {
        var next: Pending? = first
        while let pending = next {
            if self.launch(pending) { return }
            next = self.scheduled.finished()
        }
    }

    /// Whether the hook is running (it then ends in ``exited(_:_:)``); logs why not.
    private func launch(_ pending: Pending) -> Bool {
        guard let run = Run.read(jobID: pending.jobID, layout: self.layout) else {
            self.logger.warning("runFinished hook not run for job \(pending.jobID): it is in neither done/ nor failed/",
                                metadata: ["message_id": "\(MessageID.hookFailed)", "job_id": "\(pending.jobID)",
                                           "hook": "\(pending.hook.program)"])
            return false
        }
        let process: SpawnedProcess
        do {
            let environment = run.environment(inheriting: self.inherited)
            process = try SpawnedProcess.spawn(pending.hook.command, environment: environment)
        } catch {
            self.logger.warning("runFinished hook failed for job \(run.jobID): cannot start \(error)",
                                metadata: self.metadata(run, pending.hook, failed: true))
            return false
        }
        let hook = Running(run: run, hook: pending.hook, process: process)
        self.running[process.pid] = hook

        let pid = process.pid
        let output = DispatchSource.makeReadSource(fileDescriptor: process.output, queue: self.queue)
        output.setEventHandler { [weak self] in self?.running[pid]?.readOutput() }
        output.setCancelHandler { close(process.output) }
        hook.outputSource = output
        output.activate()

        let timeout = DispatchSource.makeTimerSource(queue: self.queue)
        timeout.schedule(deadline: .now() + .seconds(pending.hook.timeoutSeconds))
        timeout.setEventHandler { [weak self] in self?.timedOut(pid) }
        timeout.activate()
        hook.timers.append(timeout)

        // waitid blocks: a thread of its own per running hook (at most `concurrentLimit`), woken by the exit.
        Thread.detachNewThread { [self] in
            let termination = process.waitForExit()
            self.queue.async { self.exited(pid, termination) }
        }
        return true
    }

    /// The timeout: SIGTERM to the process group now, SIGKILL after the grace. The child is not reaped before
    /// ``exited(_:_:)``, so its group id cannot have been reused.
    private func timedOut(_ pid: pid_t) {
        guard let hook = self.running[pid] else { return }
        hook.timedOut = true
        hook.process.signalGroup(SIGTERM)
        let kill = DispatchSource.makeTimerSource(queue: self.queue)
        kill.schedule(deadline: .now() + .seconds(Self.killGraceSeconds))
        kill.setEventHandler { [weak self] in
            guard let hook = self?.running[pid] else { return }
            hook.killed = true
            hook.process.signalGroup(SIGKILL)
        }
        kill.activate()
        hook.timers.append(kill)
    }

    private func exited(_ pid: pid_t, _ termination: SpawnedProcess.Termination) {
        guard let hook = self.running.removeValue(forKey: pid) else { return }
        for timer in hook.timers { timer.cancel() }
        hook.readOutput()
        hook.closeOutput()
        // What the hook left behind in its group goes with it; its zombie still holds the group's id.
        hook.process.signalGroup(SIGKILL)
        hook.process.reap()
        if !hook.abandoned { self.report(hook, termination) }
        if let next = self.scheduled.finished() { self.start(next) }
    }

    private func report(_ hook: Running, _ termination: SpawnedProcess.Termination) {
        var metadata = self.metadata(hook.run, hook.hook, failed: termination != .exited(0) || hook.timedOut)
        switch termination {
        case .exited(let status): metadata["exit_status"] = "\(status)"
        case .signalled(let signal): metadata["signal"] = "\(signal)"
        }
        let output = hook.outputText
        if !output.isEmpty { metadata["hook_output"] = "\(output)" }
        let job = hook.run.jobID
        if hook.timedOut {
            let signals = hook.killed ? "SIGTERM, and SIGKILL \(Self.killGraceSeconds) s later" : "SIGTERM"
            let timeout = hook.hook.timeoutSeconds
            self.logger.warning(
                "runFinished hook failed for job \(job): \(hook.hook.program) timed out after \(timeout) s; its process group got \(signals)",
                metadata: metadata)
        } else if termination == .exited(0) {
            self.logger.notice("runFinished hook succeeded for job \(job)", metadata: metadata)
        } else {
            self.logger.warning("runFinished hook failed for job \(job): \(hook.hook.program) \(termination)",
                                metadata: metadata)
        }
    }

    private func metadata(_ run: Run, _ hook: HookCommand, failed: Bool) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "job_id": "\(run.jobID)", "hook": "\(hook.program)", "state": "\(run.state.rawValue)",
        ]
        if !run.enrichment.isEmpty { metadata["enrichment"] = "\(run.enrichment)" }
        if failed { metadata["message_id"] = "\(MessageID.hookFailed)" }
        return metadata
    }
}
