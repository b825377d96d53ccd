import POSIX
import Credentials
import AsyncHTTPClient
import Dispatch
import Formats
import Jobs
import Foundation
import LeadspaceAPI
import Logging
import Spool
import Systemd

/// The enrichd daemon: watches the spool, claims jobs, runs them through their connections' schedulers,
/// and reports to systemd (`READY=1`, `STATUS=`, `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`).
///
/// `@unchecked Sendable`: mutable state is confined to `control`, a serial queue.
public final class Daemon: @unchecked Sendable {
    public struct Options: Sendable {
        public var configurationPath: String
        public var spoolOverride: String?
        /// Drain the queue, then exit.
        public var once: Bool
        /// How long in-flight requests may take to finish on SIGTERM.
        public var drainTimeout: Duration

        public init(configurationPath: String, spoolOverride: String? = nil, once: Bool = false,
                    drainTimeout: Duration = .seconds(10)) {
            self.configurationPath = configurationPath
            self.spoolOverride = spoolOverride
            self.once = once
            self.drainTimeout = drainTimeout
        }
    }

    /// `EX_CONFIG` from sysexits.h: systemd's unit does not restart on it.
    public static let configurationErrorExitCode: Int32 = 78
    /// `EX_TEMPFAIL`: `--once` stopped because a connection paused (credentials refused, credits spent); the
    /// jobs stay in active/ and the next run resumes them.
    public static let pausedExitCode: Int32 = 75
    /// The status a graceful stop exits with.
    private var stopStatus: Int32 = 0

    private let options: Options
    private let control = DispatchQueue(label: "enrichd.control")
    private let notifier = SystemdNotifier()
    /// sd_notify blocks while the manager's socket is full; it never holds up the control queue.
    private let notifyQueue = DispatchQueue(label: "enrichd.notify")
    private let watchdog = Watchdog()
    private var logger: Logger
    private var configuration: DaemonConfiguration
    private let layout: SpoolLayout
    private let claimer: SpoolClaimer
    private let httpClient: HTTPClient
    private var connections: [String: ConnectionRuntime] = [:]
    private var runners: [String: JobRunner] = [:]
    private let outputTables = OutputTableRegistry()
    /// `hooks.runFinished`, run after each job that reaches done/ or failed/.
    private let hooks: RunFinishedHook
    private let cache: LookupCache?
    private var pausedConnections: [String: String] = [:]
    /// Jobs that could reach neither done/ nor failed/ (id → why): shown in STATUS= until the next start.
    private var stranded: [String: String] = [:]
    /// When each active job arrived in incoming/ (a cancel request older than that is stale).
    private var queuedAt: [String: timespec] = [:]
    private var watcher: InotifyWatcher?
    private var controlWatcher: InotifyWatcher?
    /// Saved enrichments' schedules, and the one timer set for the next refresh.
    private var enrichments: EnrichmentScheduler
    private var enrichmentTimer: (any DispatchSourceTimer)?
    private var signalWatcher: SignalWatcher?
    private var sources: [any DispatchSourceProtocol] = []
    private var progressTimer: (any DispatchSourceTimer)?
    private var stopping = false
    private var lastStatus = ""
    /// Test hook: the scheduler drops requests (see ``Daemon/stallHookEngaged()``).
    private let stalled: Bool

    /// Loads the configuration and credentials; throws a message suitable for stderr on a configuration error.
    public init(options: Options, logger: Logger) throws(StartupError) {
        self.options = options
        self.logger = logger
        do {
            self.configuration = try DaemonConfiguration.load(path: options.configurationPath, checkingPrograms: true)
        } catch {
            throw StartupError(description: error.description)
        }
        if let spool = options.spoolOverride { self.configuration.spool = spool }
        self.layout = SpoolLayout(root: self.configuration.spool)
        self.claimer = SpoolClaimer(layout: self.layout)
        self.enrichments = EnrichmentScheduler(layout: self.layout, logger: logger)
        self.hooks = RunFinishedHook(layout: self.layout, logger: logger, hook: self.configuration.hooks.runFinished)
        let tokens = try Self.loadTokens(self.configuration)
        self.stalled = Self.stallHookEngaged()
        if self.configuration.cacheEnabled {
            do {
                self.cache = try LookupCache(path: self.configuration.cache.path,
                                             matchFreshnessDays: self.configuration.cache.matchFreshnessDays,
                                             missFreshnessDays: self.configuration.cache.missFreshnessDays)
            } catch {
                throw StartupError(description: "\(error)")
            }
        } else {
            self.cache = nil
        }
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            timeout: .init(connect: .seconds(10)), decompression: .disabled))
        for (name, connection) in self.configuration.connections {
            self.connections[name] = self.makeConnection(name: name, configuration: connection, credentials: tokens[name]!)
        }
    }

    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Each connection's credentials: OAuth (program id + secret) or a perpetual token.
    private static func loadTokens(_ configuration: DaemonConfiguration) throws(StartupError) -> [String: LeadspaceCredentials] {
        var credentials: [String: LeadspaceCredentials] = [:]
        for (name, connection) in configuration.connections {
            do {
                credentials[name] = try TokenLoader.credentials(connection, name: name)
            } catch {
                throw StartupError(description: error.description)
            }
        }
        return credentials
    }

    private func makeConnection(name: String, configuration: ConnectionConfiguration,
                                credentials: LeadspaceCredentials) -> ConnectionRuntime {
        ConnectionRuntime(
            name: name, configuration: configuration, retry: self.configuration.retry, credentials: credentials,
            httpClient: self.httpClient, logger: self.logger,
            paused: { [weak self] connection, reason in
                guard let self else { return }
                self.control.async { self.connectionPaused(connection, reason: reason) }
            },
            resumed: { [weak self] connection in
                guard let self else { return }
                self.control.async { self.connectionResumed(connection) }
            },
            turned: { [watchdog] in watchdog.markTurn() },
            stalled: self.stalled
        )
    }

    /// `ENRICHD_TEST_STALL_MARKER=PATH`: when that file exists at start, it is removed and this run's scheduler
    /// silently drops its requests, so the service's watchdog test can watch systemd restart a stalled daemon.
    private static func stallHookEngaged() -> Bool {
        guard let marker = ProcessInfo.processInfo.environment["ENRICHD_TEST_STALL_MARKER"], !marker.isEmpty,
            unlink(marker) == 0
        else { return false }
        return true
    }

    // MARK: - Running

    /// Starts the daemon on its queues and never returns; the process exits from the control queue.
    ///
    /// Not dispatchMain(): on Linux it leaves the main thread with every signal unblocked, and a SIGTERM
    /// delivered there would kill the process instead of reaching the signalfd. Nothing runs on the main
    /// queue; the main thread keeps the watchdog (if systemd asked for one), with the handled signals blocked.
    public func run() -> Never {
        self.control.async { self.start() }
        guard let interval = self.notifier.watchdogInterval() else {
            while true { sleep(3600) }
        }
        let control = self.control
        let watchdog = self.watchdog
        self.watchdog.run(
            interval: interval, notifier: self.notifier,
            busyTick: { [weak self] window in
                guard let daemon = self else { return }
                control.async { daemon.watchdogTick(window: window) }
            },
            heartbeat: { control.async { watchdog.markBeat() } })
    }

    private func start() {
        self.logger.notice("enrichd starting", metadata: ["spool": "\(self.layout.root)",
                                                         "connections": "\(self.connections.keys.sorted())"])
        // Legal forms, public suffixes and country names load on another core while the spool is recovered, so
        // the first job does not wait for them.
        DispatchQueue.global(qos: .userInitiated).async { @Sendable in _ = MatchKey.referenceData }
        do {
            try self.layout.create()
        } catch {
            self.logger.critical("cannot prepare the spool: \(error)")
            self.exit(Self.configurationErrorExitCode)
        }
        self.installSignalHandlers()
        // Recovery: jobs left in active/ by a stop or crash resume from their ledgers.
        for id in Recovery(layout: self.layout, logger: self.logger).jobsToResume() { self.startRunner(id: id) }
        // Saved enrichments' runs that ended while they could not be recorded (a crash, a cancelled queued run).
        EnrichmentRuns(layout: self.layout, logger: self.logger).reconcile()
        // Their schedules: a refresh missed while the daemon was down is submitted now, once.
        self.enrichmentsChanged()
        do {
            self.watcher = try InotifyWatcher(
                directory: self.layout.incoming, mask: [.movedTo, .create, .closeWrite], queue: self.control
            ) { @Sendable [weak self] events in
                guard let self else { return }
                if events.contains(where: { $0.mask.contains(.queueOverflow) || !SpoolLayout.isIgnored($0.name) }) {
                    self.claimQueued()
                }
            }
        } catch {
            self.logger.critical("cannot watch \(self.layout.incoming): \(error)")
            self.exit(1)
        }
        do {
            self.controlWatcher = try InotifyWatcher(
                directory: self.layout.control, mask: [.movedTo, .create, .closeWrite], queue: self.control
            ) { @Sendable [weak self] _ in self?.processControlRequests() }
        } catch {
            self.logger.warning("cannot watch \(self.layout.control); cancel requests are seen on rescans: \(error)")
        }
        self.housekeeping()
        self.processControlRequests()
        self.claimQueued()
        self.startTimers()
        self.notify(.ready, .status(self.statusLine()))
        self.logger.notice("enrichd ready", metadata: ["active_jobs": "\(self.runners.count)"])
        // The match keys' reference data, loaded off the start path (READY=1 does not wait for it; `start` began
        // loading it) and named once.
        let logger = self.logger
        DispatchQueue.global(qos: .utility).async { @Sendable in
            let sources = MatchKey.referenceData
            logger.info("match keys: \(sources.legalForms); public suffixes from \(sources.publicSuffixes)")
            if sources.publicSuffixesBuiltIn {
                logger.warning("\(PublicSuffixList.systemPath) is missing (install Debian's publicsuffix package): registrable domains use a small built-in list of suffixes")
            }
        }
        self.checkOnce()
    }

    private func startTimers() {
        // A rescan catches anything inotify could not tell us: every minute on a network filesystem (inotify does
        // not see changes made by other machines) or without a watch on control/, else every 15 minutes as a
        // safety net. An idle daemon on a local disk otherwise wakes only for the watchdog.
        let network = Filesystem.isNetwork(self.layout.root)
        let interval: Int = network || self.controlWatcher == nil ? 60 : 900
        if network {
            self.logger.notice("the spool is on a network filesystem: rescanning it every minute",
                               metadata: ["spool": "\(self.layout.root)"])
        }
        let rescan = DispatchSource.makeTimerSource(queue: self.control)
        rescan.schedule(deadline: .now() + .seconds(interval), repeating: .seconds(interval), leeway: .seconds(5))
        rescan.setEventHandler { @Sendable [weak self] in
            self?.processControlRequests()
            self?.claimQueued()
        }
        rescan.activate()
        self.sources.append(rescan)

        let housekeeping = DispatchSource.makeTimerSource(queue: self.control)
        housekeeping.schedule(deadline: .now() + 3600, repeating: 3600, leeway: .seconds(60))
        housekeeping.setEventHandler { @Sendable [weak self] in self?.housekeeping() }
        housekeeping.activate()
        self.sources.append(housekeeping)

        // The watchdog's pings come from the main thread (see Watchdog.run), from now on.
        self.watchdog.start()
    }

    /// Pings the watchdog only while the schedulers are turning: idle, waiting on their own timers (nothing in
    /// flight), or completing requests. Requests outstanding with no completion for a whole watchdog interval
    /// mean a wedged scheduler, and systemd should restart us. Reading each scheduler's state synchronously also
    /// proves its queue is not deadlocked.
    private func watchdogTick(window: UInt64) {
        // Idle: nothing can be stalled; ping without waking the schedulers' queues.
        guard !self.runners.isEmpty else {
            self.notify(.watchdog)
            return
        }
        var stalledConnections: [String] = []
        for (name, connection) in self.connections {
            let state = connection.scheduler.snapshot()
            // Read the last turn before the clock: another thread may mark a turn in between.
            let lastTurn = self.watchdog.lastTurnNanoseconds
            if Watchdog.stalled(inFlight: state.inFlight, paused: state.pauseReason != nil, lastTurn: lastTurn,
                                now: DispatchTime.now().uptimeNanoseconds, window: window) {
                stalledConnections.append(name)
            }
        }
        guard stalledConnections.isEmpty else {
            self.logger.critical("scheduler stalled: requests outstanding, none sent or completed for a whole watchdog interval",
                                 metadata: ["connections": "\(stalledConnections)"])
            return
        }
        self.notify(.watchdog)
    }

    /// Progress files and `STATUS=` are refreshed once a second, only while jobs are active.
    private func updateProgressTimer() {
        if self.runners.isEmpty {
            self.progressTimer?.cancel()
            self.progressTimer = nil
            self.publishStatus()
            return
        }
        guard self.progressTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: self.control)
        timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(100))
        timer.setEventHandler { @Sendable [weak self] in self?.publishProgress() }
        timer.activate()
        self.progressTimer = timer
    }

    private func publishProgress() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for runner in self.runners.values {
            let report = runner.progress()
            guard let data = try? encoder.encode(report) else { continue }
            try? DurableFile.write(data, to: JobDirectory(self.layout.active(runner.id)).progress,
                                   durable: false)
        }
        self.publishStatus()
    }

    private func publishStatus() {
        let line = self.statusLine()
        guard line != self.lastStatus else { return }
        self.lastStatus = line
        self.notify(.status(line))
    }

    func statusLine() -> String {
        StatusLine(
            stopping: self.stopping, queued: self.claimer.queued().count,
            active: self.runners.values.map { .init(connection: $0.connectionName, progress: $0.progress()) },
            pausedConnections: self.pausedConnections, stranded: self.stranded.count,
            nextRefresh: self.enrichments.nextRefresh.map { ($0.name.rawValue, Timestamp.iso($0.at)) }
        ).text
    }

    // MARK: - Housekeeping and control requests

    private func housekeeping() {
        let housekeeper = SpoolHousekeeper(layout: self.layout)
        for name in housekeeper.removeStaleTemporaries(olderThan: 86_400) {
            self.logger.notice("removed a stale partial submission from tmp/", metadata: ["entry": "\(name)"])
        }
        for id in housekeeper.removeExpiredJobs(olderThanDays: self.configuration.retentionDays) {
            self.logger.notice("removed a finished job past its retention",
                               metadata: ["job_id": "\(id)", "retention_days": "\(self.configuration.retentionDays)"])
        }
    }

    /// `control/cancel-ID` files written by `enrichctl cancel ID` (see ``CancelRequests``).
    private func processControlRequests() {
        let activeSince = Dictionary(uniqueKeysWithValues: self.runners.keys.map { ($0, self.queuedAt[$0]) })
        let outcome = CancelRequests(layout: self.layout, claimer: self.claimer, logger: self.logger)
            .process(activeSince: activeSince)
        for id in outcome.cancelActive { self.runners[id]?.cancel() }
        let runs = EnrichmentRuns(layout: self.layout, logger: self.logger)
        var enrichmentsChanged = false
        for id in outcome.cancelledQueued {
            if runs.record(jobID: id) { enrichmentsChanged = true }
            self.hooks.jobFinished(id: id)
        }
        // enrichctl enrichment create/edit/activate/deactivate/delete/run leave this note.
        if unlink(self.layout.path("control", EnrichmentStore.changedNoteName)) == 0 { enrichmentsChanged = true }
        if enrichmentsChanged { self.enrichmentsChanged() }
    }

    // MARK: - Claiming

    private func claimQueued() {
        guard !self.stopping else { return }
        for name in self.claimer.queued() {
            guard self.runners.count < self.configuration.maxActiveJobs else { break }
            let claim: SpoolClaimer.Claim?
            var entry = stat()
            let queuedAt = lstat(self.layout.path("incoming", name), &entry) == 0 ? entry.st_ctim : nil
            do {
                claim = try self.claimer.claim(name: name)
            } catch {
                self.logger.error("cannot claim \(name): \(error)")
                continue
            }
            guard let claim else { continue }
            if let rejection = claim.rejection {
                let error = JobError(.unreadableFile, rejection, file: name)
                let stranded = JobFailure.moveToFailed(JobDirectory(claim.directory), id: claim.id, layout: self.layout,
                                                       error: error, logger: self.logger)
                self.logger.error("job rejected: \(rejection)", metadata: [
                    "job_id": "\(claim.id)", "message_id": "\(MessageID.jobFailed)", "entry": "\(name)",
                    "error_code": "\(error.code)"])
                if stranded == nil { self.hooks.jobFinished(id: claim.id) }
                continue
            }
            self.logger.notice("job accepted", metadata: [
                "job_id": "\(claim.id)", "message_id": "\(MessageID.jobAccepted)", "entry": "\(name)"])
            self.queuedAt[claim.id] = queuedAt
            self.startRunner(id: claim.id)
        }
        self.publishStatus()
    }

    private func startRunner(id: String) {
        let runner = JobRunner(id: id, layout: self.layout, configuration: self.configuration,
                               outputTables: self.outputTables, cache: self.cache, logger: self.logger) {
            @Sendable [weak self] runner, finish in
            guard let self else { return }
            self.control.async { self.runnerFinished(runner, finish) }
        }
        self.runners[id] = runner
        self.watchdog.setBusy(true)
        runner.start(connections: self.connections)
        self.updateProgressTimer()
    }

    private func runnerFinished(_ runner: JobRunner, _ finish: JobRunner.Finish) {
        guard self.runners[runner.id] === runner else { return }
        self.runners[runner.id] = nil
        self.queuedAt[runner.id] = nil
        // A job that could not leave active/ frees its slot; it is shown until the next start takes it up again.
        if case .stranded(let reason) = finish {
            self.stranded[runner.id] = reason
        } else {
            if EnrichmentRuns(layout: self.layout, logger: self.logger).record(jobID: runner.id) {
                self.enrichmentsChanged()
            }
            self.hooks.jobFinished(id: runner.id)
        }
        self.watchdog.setBusy(!self.runners.isEmpty)
        self.outputTables.release(job: runner.id)
        self.updateProgressTimer()
        self.claimQueued()
        self.checkOnce()
    }

    // MARK: - Saved enrichments' schedules

    /// The saved enrichments (or one's runs) changed: read them again, serve what is due, set the timer.
    private func enrichmentsChanged() {
        self.enrichments.reload()
        self.enrichmentsDue()
    }

    /// Serves the due refreshes (their runs land in incoming/, where the watch claims them) and sets the one
    /// timer for the next: a wall-clock deadline, so a suspended machine or a clock change still fires on time.
    private func enrichmentsDue() {
        if !self.enrichments.wake().isEmpty { self.claimQueued() }
        self.enrichmentTimer?.cancel()
        self.enrichmentTimer = nil
        guard !self.stopping, let next = self.enrichments.nextWake else { return }
        let delay = max(0, next.timeIntervalSince(self.enrichments.now()))
        let timer = DispatchSource.makeTimerSource(queue: self.control)
        timer.schedule(wallDeadline: .now() + delay, leeway: .seconds(1))
        timer.setEventHandler { @Sendable [weak self] in
            self?.enrichmentsDue()
            self?.publishStatus()
        }
        timer.resume()
        self.enrichmentTimer = timer
    }

    private func checkOnce() {
        guard self.options.once, !self.stopping, self.runners.isEmpty, self.claimer.queued().isEmpty else { return }
        self.logger.notice("queue drained (--once), exiting")
        self.shutdown()
    }

    private func connectionPaused(_ connection: String, reason: String) {
        self.pausedConnections[connection] = reason
        var metadata: Logger.Metadata = ["connection": "\(connection)", "message_id": "\(MessageID.jobPaused)"]
        if let status = Self.httpStatus(in: reason) { metadata["http_status"] = "\(status)" }
        self.logger.warning("connection paused: \(reason)", metadata: metadata)
        for runner in self.runners.values where runner.connectionName == connection {
            runner.setPaused(reason)
        }
        // progress.json first (runner queues are FIFO, so it sees the pause), then STATUS=.
        self.publishProgress()
        if self.options.once && !self.stopping {
            // A batch run does not wait for credits or a new token: it stops, and the next run resumes the jobs.
            self.logger.warning("--once: a connection paused, stopping; the jobs resume on the next run",
                                metadata: ["connection": "\(connection)", "exit_code": "\(Self.pausedExitCode)"])
            self.stopStatus = Self.pausedExitCode
            self.shutdown()
        }
    }

    /// The status in a pause reason ("… (HTTP 427)"), for the journal's HTTP_STATUS field.
    static func httpStatus(in reason: String) -> Int? {
        guard let range = reason.range(of: "HTTP ", options: .backwards) else { return nil }
        let digits = reason[range.upperBound...].prefix { $0.isNumber }
        return digits.count == 3 ? Int(digits) : nil
    }

    private func connectionResumed(_ connection: String) {
        guard self.pausedConnections.removeValue(forKey: connection) != nil else { return }
        self.logger.notice("connection resumed: a probe succeeded", metadata: [
            "connection": "\(connection)", "message_id": "\(MessageID.jobResumed)"])
        for runner in self.runners.values where runner.connectionName == connection { runner.setPaused(nil) }
        self.publishProgress()
    }

    // MARK: - Signals

    /// The signals the daemon handles; ``EnrichdCommand`` blocks them before any thread starts.
    public static let handledSignals = [SIGTERM, SIGINT, SIGHUP]

    private func installSignalHandlers() {
        do {
            self.signalWatcher = try SignalWatcher(signals: Self.handledSignals, queue: self.control) {
                @Sendable [weak self] signal in
                if signal == SIGHUP { self?.reload() } else { self?.shutdown() }
            }
        } catch {
            self.logger.critical("cannot receive signals: \(error)")
            self.exit(1)
        }
    }

    private func reload() {
        self.notify(.reloading, .monotonicNow(), .status("reloading configuration"))
        self.logger.notice("reloading configuration", metadata: ["path": "\(self.options.configurationPath)"])
        do {
            let loaded = try DaemonConfiguration.load(path: self.options.configurationPath, checkingPrograms: true)
            let tokens = try Self.loadTokens(loaded)
            let plan = ReloadPlan(running: self.configuration, loaded: loaded,
                                  spoolOverridden: self.options.spoolOverride != nil, credentialed: Set(tokens.keys))
            if !plan.later.isEmpty {
                self.logger.notice("these changes take effect at the next start (systemctl restart enrichd): \(plan.later.joined(separator: ", "))")
            }
            let configuration = plan.configuration
            let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
            if level != LogLevelSwitch.shared.level {
                LogLevelSwitch.shared.level = level
                self.logger.notice("log level is now \(level)")
            }
            for name in plan.reloaded {
                self.connections[name]?.reload(configuration: configuration.connections[name]!, retry: configuration.retry,
                                               credentials: tokens[name]!)
            }
            for name in plan.added {
                self.connections[name] = self.makeConnection(name: name, configuration: configuration.connections[name]!,
                                                             credentials: tokens[name]!)
            }
            self.configuration = configuration
            self.hooks.configure(configuration.hooks.runFinished)
            // Reloaded connections were resumed (a removed one was not: it stays paused).
            for (name, _) in self.pausedConnections where tokens[name] != nil {
                self.pausedConnections[name] = nil
                self.logger.notice("connection resumed after reload", metadata: ["connection": "\(name)"])
                for runner in self.runners.values where runner.connectionName == name { runner.setPaused(nil) }
            }
            self.logger.notice("configuration reloaded")
        } catch let error as JobError {
            self.logger.error("new configuration rejected, keeping the old one: \(error.description)")
        } catch {
            self.logger.error("new configuration rejected, keeping the old one: \(error)")
        }
        // A job's own cap is in its job.json: read again whatever the configuration did.
        for runner in self.runners.values { runner.reloadCap() }
        self.lastStatus = ""
        self.enrichmentsChanged()
        self.notify(.ready, .status(self.statusLine()))
        self.claimQueued()
    }

    private func shutdown() {
        guard !self.stopping else { return }
        self.stopping = true
        self.notify(.stopping, .status(self.statusLine()))
        self.logger.notice("enrichd stopping", metadata: ["active_jobs": "\(self.runners.count)"])
        self.watcher?.cancel()
        self.enrichmentTimer?.cancel()
        for connection in self.connections.values { connection.close() }
        for runner in self.runners.values { runner.stop() }
        self.drain(deadline: DispatchTime.now().uptimeNanoseconds + UInt64(self.options.drainTimeout.components.seconds) * 1_000_000_000)
    }

    /// Waits (bounded) for in-flight requests — their answers are paid for and belong in the ledgers — and for
    /// running `runFinished` hooks.
    private func drain(deadline: UInt64) {
        let inFlight = self.connections.values.reduce(0) { $0 + $1.outstanding }
        if (inFlight > 0 || !self.hooks.isIdle) && DispatchTime.now().uptimeNanoseconds < deadline {
            self.notify(.extendTimeout(microseconds: 5_000_000))
            self.control.asyncAfter(deadline: .now() + .milliseconds(50)) { self.drain(deadline: deadline) }
            return
        }
        if inFlight > 0 {
            self.logger.warning("drain timeout: \(inFlight) request(s) still in flight; their lookups will be resent")
        }
        self.hooks.abandon()
        // A request's answer is on its job's queue (the job's sink) before the request leaves the in-flight
        // count: the flush below runs after it.
        self.finishDrain()
    }

    /// Lets the job queues record what the drain delivered, durably (a graceful stop is not a crash), then exits.
    private func finishDrain() {
        for runner in self.runners.values {
            runner.flush()
            StartCounter.reset(self.layout.active(runner.id))
        }
        self.exit(self.stopStatus)
    }

    private func notify(_ states: NotifyState...) {
        let notifier = self.notifier
        self.notifyQueue.async { notifier.notify(states) }
    }

    private func exit(_ code: Int32) -> Never {
        // Give the last notifications (STOPPING=1) a moment to reach the manager, not forever.
        let sent = DispatchSemaphore(value: 0)
        self.notifyQueue.async { sent.signal() }
        _ = sent.wait(timeout: .now() + 2)
        try? self.httpClient.syncShutdown()
        self.logger.notice("enrichd stopped", metadata: ["exit_code": "\(code)"])
        Foundation.exit(code)
    }
}
