import Dispatch
import Formats
import Jobs
import Foundation
import Logging
import Spool

/// Runs one claimed job: plan (validate, read customers, dedup into distinct lookups), enrich (hand pending
/// lookups to the connection's scheduler, record answers in the ledger), write (stream customers again and
/// fan answers out into the output table), then move the job to `done/` — or to `failed/` with `error.json`.
///
/// Which step comes next is ``JobLifecycle``'s decision: the runner feeds it events (an answer, a pause, the
/// outcome of a rename) and performs the actions it returns.
///
/// `@unchecked Sendable`: all mutable state is confined to `queue`; ``connectionName`` and ``progress()`` read
/// what the queue published under a lock.
final class JobRunner: @unchecked Sendable {
    enum Finish: Sendable {
        case done(ResultSummary)
        case failed(JobError)
        /// Neither done/ nor failed/ could be reached: the job stays in active/ (the next start takes it up).
        case stranded(String)
    }

    let id: String
    let queue: DispatchQueue
    private let layout: SpoolLayout
    private let configuration: DaemonConfiguration
    private var logger: Logger
    private let onFinish: @Sendable (JobRunner, Finish) -> Void
    private let outputTables: OutputTableRegistry
    private let cache: LookupCache?
    private var directory: String { self.layout.active(self.id) }
    private var job: JobDirectory { JobDirectory(self.directory) }

    private var descriptor: JobDescriptor?
    private var connection: ConnectionRuntime?
    private var lifecycle = JobLifecycle()
    /// Bulk calls an earlier run had accepted: their results are fetched when the job starts enriching.
    private var acceptedBulks: [(path: String, keys: [String])] = []
    /// The result, once the outputs are written (the completion is logged and reported with it).
    private var summary: ResultSummary?
    /// The job's lookups (after its matching rules): match key and number; the queries sent are the plan's.
    private var keys: [String] = []
    private var keyIndex: [String: Int] = [:]
    /// What the planning pass learnt (the write pass reads the inputs again with it).
    private var plan = JobPlan()
    private var answers: [String: CompanyAnswer] = [:]
    /// Lookups whose cached answer had gone stale when the job was planned (this run or one before it, as the
    /// ledger says): what they are paid for is a refresh, not a new company.
    private var staleKeys: Set<String> = []
    /// The job's `maxPaidLookups` as the scheduler has it, and the records sent before this run (its counters,
    /// or the paid answers of its ledger when a crash lost those): what the cap is counted from.
    private var cap: Int?
    private var spentBefore = 0
    private var ledger: JobLedger?
    private var lookupStats = ResultSummary.Lookups()
    /// The plan's counts, copied out while it runs (the progress callback may not read `plan` during its scan).
    private var rows = 0
    private var inScope = 0
    private let startedAt = Date()
    /// What `progress()` reports, published from the job's queue so readers never wait for a busy job.
    private let published = PublishedProgress()

    init(
        id: String,
        layout: SpoolLayout,
        configuration: DaemonConfiguration,
        outputTables: OutputTableRegistry,
        cache: LookupCache?,
        logger: Logger,
        onFinish: @escaping @Sendable (JobRunner, Finish) -> Void
    ) {
        self.id = id
        self.outputTables = outputTables
        self.cache = cache
        self.layout = layout
        self.configuration = configuration
        self.logger = logger
        self.logger[metadataKey: "job_id"] = "\(id)"
        self.onFinish = onFinish
        self.queue = DispatchQueue(label: "enrichd.job.\(id)")
    }

    // MARK: - Planning

    func start(connections: [String: ConnectionRuntime]) {
        self.queue.async {
            do throws(JobError) {
                try self.prepare(connections: connections)
            } catch {
                self.run(.failed(error))
            }
        }
    }

    /// The job's connection, once its descriptor is read (published: readable from any queue).
    var connectionName: String? {
        let name = self.published.snapshot().connection
        return name.isEmpty ? nil : name
    }

    private func prepare(connections: [String: ConnectionRuntime]) throws(JobError) {
        let jobFile = self.job.descriptor
        let data: [UInt8]
        do {
            data = try JobFile.readRegularFile(jobFile, displayName: JobDirectory.descriptorName)
        } catch where error.code == .fileNotFound {
            throw JobError(.fileNotFound, "the job has no job.json", file: "job.json",
                           hint: "a bundle directory must contain job.json next to its data files")
        }
        let descriptor = try JobDescriptor.parse(data)
        self.descriptor = descriptor
        self.publish()
        self.logger[metadataKey: "job_name"] = "\(descriptor.name)"
        self.logger[metadataKey: "connection"] = "\(descriptor.connection)"
        // Checked against the configuration the daemon handed this job (read on its queue, not the runtimes').
        try JobValidator.checkConnection(of: descriptor, in: self.configuration.connections)
        guard let connection = connections[descriptor.connection] else {
            throw JobError(.unknownConnection, "connection \"\(descriptor.connection)\" is not running",
                           file: "job.json", keyPath: "connection", hint: "reload or restart the daemon")
        }
        self.connection = connection
        if let owner = self.outputTables.claim(descriptor.outputTable, for: self.id) {
            throw JobError(.outputTableBusy, "job \(owner) is writing output table \"\(descriptor.outputTable)\" right now",
                           file: "job.json", keyPath: "outputTable",
                           hint: "submit this job again when \(owner) has finished, or choose another outputTable")
        }
        self.logger.notice("job started", metadata: ["message_id": "\(MessageID.jobStarted)",
                                                     "output_table": "\(descriptor.outputTable)"])

        self.logger.debug("planning: reading the job's files", metadata: [
            "customers_file": "\(descriptor.customers.file)", "contacts_file": "\(descriptor.contacts?.file ?? "")"])
        try self.plan.scan(descriptor, bundle: self.directory, inputRoots: self.configuration.inputRoots,
                           progress: { rows, inScope in
                               (self.rows, self.inScope) = (rows, inScope)
                               self.publish()
                           })
        (self.rows, self.inScope) = (self.plan.rows, self.plan.inScope)

        let ledgerPath = self.job.ledger
        let recorded = JobLedger.load(path: ledgerPath)
        // The matching rules, across jobs too: answers this job's ledger or the cache already has are candidates.
        var recordedByName: [String: [String]] = [:]
        for key in recorded.answers.keys {
            if let parts = CompanyKeyParts(key: key) { recordedByName[parts.name, default: []].append(key) }
        }
        self.plan.group(descriptor.matching) { name in
            (recordedByName[name] ?? []) + (self.cache?.companyKeys(named: name) ?? [])
        }
        self.keys = self.plan.lookupKeys
        self.keyIndex.reserveCapacity(self.keys.count)
        for (index, key) in self.keys.enumerated() { self.keyIndex[key] = index }
        self.lookupStats.distinctKeys = self.keys.count
        self.lookupStats.savedByDedup = self.plan.queryRows - self.keys.count
        self.lookupStats.savedByIncompleteTwins = self.plan.savedByRule[.incompleteTwin, default: 0]
        self.lookupStats.savedByNearDuplicates = self.plan.savedByRule[.nearDuplicate, default: 0]
        self.lookupStats.savedByPlaceAfterLegalForm = self.plan.savedByRule[.placeAfterLegalForm, default: 0]
        self.answers.reserveCapacity(self.keys.count)
        for key in self.keys { if let answer = recorded.answers[key] { self.answers[key] = answer } }
        self.staleKeys = recorded.refreshedStale
        do {
            self.ledger = try JobLedger(path: ledgerPath)
        } catch {
            throw JobError(.writeFailed, "cannot open the job's ledger: \(error)")
        }
        // Fresh answers from the persistent cache are free; they are recorded in the ledger like any other.
        if let cache = self.cache {
            do {
                try cache.lookupJSON(self.keys.lazy.filter { self.answers[$0] == nil },
                                     stale: { self.staleKeys.insert($0) }) { key, json in
                    guard var answer = CompanyAnswer(json: json) else { return }
                    answer.source = "cache"
                    self.answers[key] = answer
                    try self.ledger?.append(key: key, answerJSON: json, fromCache: true, batched: true)
                }
            } catch {
                throw JobError(.writeFailed, "cannot record answers in the job's ledger: \(error)")
            }
            do {
                try self.ledger?.sync()
            } catch {
                throw JobError(.writeFailed, "cannot record answers in the job's ledger: \(error)")
            }
        }
        self.lookupStats.cacheHits = self.answers.values.reduce(0) { $0 + ($1.source == "cache" ? 1 : 0) }
        // Requests earlier runs of this job paid for count too.
        if let data = FileManager.default.contents(atPath: self.lookupStatsPath),
            let previous = try? JSONDecoder().decode(ResultSummary.Lookups.self, from: data)
        {
            self.lookupStats.sent += previous.sent
            self.lookupStats.retries += previous.retries
            self.lookupStats.rateLimited += previous.rateLimited
            self.lookupStats.bulkCalls += previous.bulkCalls
        }
        self.spentBefore = max(self.lookupStats.sent,
                               recorded.answers.values.reduce(0) { $0 + ($1.wasPaid ? 1 : 0) })
        let pending = self.keys.enumerated().filter { self.answers[$0.element] == nil }
        self.logger.info("job planned", metadata: [
            "rows": "\(self.rows)", "in_scope": "\(self.inScope)", "distinct_lookups": "\(self.keys.count)",
            "already_answered": "\(self.answers.count)", "pending": "\(pending.count)",
        ])
        self.acceptedBulks = recorded.bulks
        self.run(.planned(pending: pending.count))
    }

    /// Hands the pending lookups to the connection; bulk calls an earlier run had accepted (paid) but not recorded
    /// the answers of are polled for instead of sent again.
    private func enqueuePending() {
        guard let connection = self.connection else { return }
        var resumed = Set<String>()
        for bulk in self.acceptedBulks {
            let keys = bulk.keys.filter { self.keyIndex[$0] != nil && self.answers[$0] == nil && !resumed.contains($0) }
            guard !keys.isEmpty else { continue }
            resumed.formUnion(keys)
            self.logger.notice("fetching the results of a bulk call accepted before the restart",
                               metadata: ["records": "\(keys.count)"])
            connection.resumeBulk(path: bulk.path, requests: keys.map(self.request), for: self.sink)
        }
        self.acceptedBulks = []
        let pending = self.keys.filter { self.answers[$0] == nil && !resumed.contains($0) }
        // The cap is counted where requests are sent (the connection's scheduler), before any is queued.
        self.cap = self.descriptor?.maxPaidLookups
        if let cap = self.cap { connection.setAllowance(max(0, cap - self.spentBefore), for: self.sink) }
        connection.enqueue(pending.map(self.request), for: self.sink)
    }

    /// The request for lookup `key`, with the external id it always has in this job (a resumed bulk call's
    /// results are matched by it): derived from the key, not the lookup's number, which a restart may change
    /// when the cache changed meanwhile (the rule across jobs).
    private func request(_ key: String) -> LookupRequest {
        let index = self.keyIndex[key]!
        // FNV-1a, 64 bits: stable across processes (Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return LookupRequest(sink: self.sink, key: key,
                             record: self.plan.lookupQueries[index].record(externalID: "\(self.id)#\(String(hash, radix: 16))"))
    }

    private var lookupStatsPath: String { self.job.lookupCounters }

    /// Keeps the request counters with the ledger, so a resumed job still reports what all its runs paid.
    private func saveLookupStats() {
        guard let data = try? JSONEncoder().encode(self.lookupStats) else { return }
        try? DurableFile.write(data, to: self.lookupStatsPath)
    }

    // MARK: - Enriching

    /// Where the connection delivers this job's answers and counts: straight onto the job's queue.
    private var sink: LookupSink {
        LookupSink(jobID: self.id) { [weak self] event in self?.handle(event) }
    }

    private func handle(_ event: LookupEvent) {
        self.queue.async {
            guard !self.lifecycle.state.isFinal else { return }
            switch event {
            case .capReached:
                let cap = self.cap ?? 0
                self.run(.paused("maxPaidLookups \(NumberText.grouped(cap)) reached: raise it in active/\(self.id)/job.json and reload (systemctl reload enrichd)",
                                 cause: .jobCap))
            case .bulkCall:
                self.lookupStats.bulkCalls += 1
            case .bulkAccepted(let path, let keys):
                do {
                    try self.ledger?.appendBulk(path: path, keys: keys)
                } catch {
                    self.run(.failed(JobError(.writeFailed, "cannot record a bulk call in the job's ledger: \(error)",
                                              hint: "free space in the spool's filesystem, then retry the job")))
                }
            case .attempt(let billed, let retry, let rateLimited):
                if billed { self.lookupStats.sent += 1 }
                if retry { self.lookupStats.retries += 1 }
                if rateLimited { self.lookupStats.rateLimited += 1 }
            case .answer(let key, let answer):
                guard self.lifecycle.recordsAnswers, self.keyIndex[key] != nil, self.answers[key] == nil else { return }
                self.answers[key] = answer
                let answered = self.answers.count
                self.published.update(answered: true) { $0.answered = answered }
                if answer.source == "lookup" && self.cache != nil { self.cacheBacklog.append((key, answer)) }
                do {
                    try self.ledger?.append(key: key, answer: answer,
                                            replacedStale: answer.wasPaid && self.staleKeys.contains(key))
                } catch {
                    let reason = (error as? POSIXError).map { String(cString: strerror($0.code.rawValue)) } ?? "\(error)"
                    self.run(.failed(JobError(.writeFailed, "cannot record answers in the job's ledger: \(reason)",
                                              hint: "free space in the spool's filesystem, then retry the job")))
                    return
                }
                self.run(.answered(complete: self.answers.count == self.keys.count))
            }
        }
    }

    /// Answers to store in the persistent cache at the next checkpoint (one transaction for many).
    private var cacheBacklog: [(key: String, answer: CompanyAnswer)] = []

    /// While answers arrive, a checkpoint runs at most every 50 ms (the lifecycle schedules it): the ledger's
    /// tail is fsynced, new answers go to the persistent cache in one transaction, and the request counters are
    /// saved. Per answer that would be hundreds of fsyncs and commits a second once bulk calls deliver thousands
    /// of answers. Runs on `queue`.
    private func checkpoint() {
        if !self.cacheBacklog.isEmpty {
            self.cache?.store(self.cacheBacklog)
            self.cacheBacklog.removeAll(keepingCapacity: true)
        }
        guard !self.lifecycle.state.isFinal else { return }
        try? self.ledger?.sync()
        self.saveLookupStats()
    }

    /// After a reload: the job's `maxPaidLookups` is read again from its job.json; a raised cap lets a job it
    /// held go on, a lowered one holds it sooner.
    func reloadCap() {
        self.queue.async {
            guard self.lifecycle.recordsAnswers, let connection = self.connection,
                let data = try? JobFile.readRegularFile(self.job.descriptor, displayName: JobDirectory.descriptorName),
                let descriptor = try? JobDescriptor.parse(data)
            else { return }
            let cap = descriptor.maxPaidLookups
            guard cap != self.cap else { return }
            self.logger.notice("maxPaidLookups changed", metadata: [
                "max_paid_lookups": "\(cap.map(String.init) ?? "none")", "previous": "\(self.cap.map(String.init) ?? "none")"])
            if let old = self.cap, let cap {
                connection.raiseAllowance(by: cap - old, job: self.id)
            } else {
                // Counted as at the start: what every run sent, or paid for when counters were lost.
                let spent = max(self.spentBefore, self.lookupStats.sent)
                connection.setAllowance(cap.map { max(0, $0 - spent) }, for: self.sink)
            }
            self.cap = cap
            self.descriptor?.maxPaidLookups = cap
            // Free to go unless the scheduler finds the new cap reached too (it says so again).
            self.run(.paused(nil, cause: .jobCap))
        }
    }

    func setPaused(_ reason: String?) {
        // Published at once (not when the job's queue gets to it): STATUS= and progress.json follow right away.
        self.published.update(answered: false) { state in
            guard state.phase == .enriching || state.phase == .paused else { return }
            state.pausedReason = reason
            state.phase = reason == nil ? .enriching : .paused
        }
        self.queue.async { self.run(.paused(reason)) }
    }

    /// Stops for a daemon shutdown: nothing more is sent, but answers to requests already in flight are still
    /// recorded (they are paid for). The job stays in active/ and resumes on the next start.
    func stop() {
        self.queue.async { self.run(.stop) }
    }

    /// Makes every recorded answer durable (the end of a shutdown drain).
    func flush() {
        self.queue.sync { self.checkpoint() }
    }

    /// Ends the job as cancelled: what was answered is written, the rest is marked as never looked up.
    func cancel() {
        self.queue.async { self.run(.cancel) }
    }

    // MARK: - The lifecycle's actions

    /// Feeds an event to the lifecycle and performs its actions; an action's outcome (a rename that failed, the
    /// outputs written) is the next event. Runs on `queue`.
    private func run(_ first: JobLifecycle.Event) {
        var events = [first]
        while !events.isEmpty {
            let event = events.removeFirst()
            for action in self.lifecycle.handle(event) {
                if let next = self.perform(action) { events.append(next) }
            }
        }
    }

    private func perform(_ action: JobLifecycle.Action) -> JobLifecycle.Event? {
        switch action {
        case .enqueue:
            self.enqueuePending()
        case .withdraw:
            self.connection?.remove(job: self.id)
        case .scheduleCheckpoint:
            self.queue.asyncAfter(deadline: .now() + .milliseconds(50)) { self.run(.checkpointDue) }
        case .checkpoint:
            self.checkpoint()
        case .publish:
            self.publish()
        case .logPaused(let reason, let cause):
            let messageID = cause == .connection ? MessageID.jobPaused : MessageID.spendingCapReached
            self.logger.warning("job paused: \(reason)", metadata: ["message_id": "\(messageID)"])
        case .logResumed:
            self.logger.notice("job resumed", metadata: ["message_id": "\(MessageID.jobResumed)"])
        case .writeOutputs:
            self.checkpoint()
            do {
                guard let descriptor = self.descriptor else { return .failed(JobError(.internalError, "no descriptor")) }
                var writer = JobOutputWriter(
                    id: self.id, job: self.job, descriptor: descriptor, inputRoots: self.configuration.inputRoots,
                    plan: self.plan, keys: self.keys, keyIndex: self.keyIndex, answers: self.answers,
                    cancelled: self.lifecycle.isCancelled, lookups: self.lookupStats,
                    staleKeys: self.cache == nil ? nil : self.staleKeys, startedAt: self.startedAt)
                self.plan = JobPlan()  // the writer's copy stays unique (its memo changes as it reads)
                self.summary = try writer.write()
                return .outputsWritten
            } catch {
                return .failed(error)
            }
        case .moveToDone:
            do {
                try DurableFile.rename(self.directory, to: self.layout.done(self.id))
                return .movedToDone
            } catch {
                return .moveToDoneFailed("\(error)")
            }
        case .moveToFailed(var error):
            // What this run sent counts when the job is retried (best effort: the disk may be full).
            self.saveLookupStats()
            if error.code == .cancelled && error.hint == nil { error.hint = "requeue it with enrichctl retry \(self.id)" }
            self.logger.error("job failed: \(error.message)", metadata: [
                "message_id": "\(MessageID.jobFailed)", "error_code": "\(error.code)",
                "error_file": "\(error.file ?? "")", "error_line": "\(error.line.map(String.init) ?? "")",
            ])
            if let reason = JobFailure.moveToFailed(self.job, id: self.id, layout: self.layout, error: error,
                                                    logger: self.logger)
            {
                return .moveToFailedFailed(reason)
            }
            return .movedToFailed
        case .finish(.done(let cancelled)):
            guard let summary = self.summary else { return nil }
            let headline = summary.customers.headline
            self.logger.notice(
                "job \(cancelled ? "cancelled" : "completed"): enriched \(headline.enriched) of \(headline.total) profiles (\(headline.percent)%)",
                metadata: ["message_id": "\(MessageID.jobCompleted)", "enriched": "\(summary.customers.enriched)",
                           "enriched_profiles": "\(headline.enriched)", "profiles": "\(headline.total)",
                           "rows": "\(summary.customers.outputRows)", "paid_lookups": "\(summary.lookups.sent)"])
            self.onFinish(self, .done(summary))
        case .finish(.failed(var error)):
            if error.code == .cancelled && error.hint == nil { error.hint = "requeue it with enrichctl retry \(self.id)" }
            self.onFinish(self, .failed(error))
        case .finish(.stranded(let reason)):
            self.logger.critical("job stranded in active/: \(reason)", metadata: [
                "message_id": "\(MessageID.jobFailed)", "error_code": "\(JobError.Code.writeFailed)"])
            self.published.update(answered: false) { $0.pausedReason = "stranded: \(reason)" }
            self.onFinish(self, .stranded(reason))
        }
        return nil
    }

    // MARK: - Progress

    /// The job's progress, read without waiting for its queue (which may be busy reading or writing files).
    func progress() -> ProgressReport {
        self.published.report(id: self.id, startedAt: self.startedAt)
    }

    /// Publishes the queue-confined counters for ``progress()``; called on `queue`.
    private func publish(answered: Bool = false) {
        self.published.update(answered: answered) { state in
            state.name = self.descriptor?.name ?? self.id
            state.outputTable = self.descriptor?.outputTable ?? ""
            state.connection = self.descriptor?.connection ?? ""
            state.phase = self.lifecycle.phase
            state.rows = self.rows
            state.inScope = self.inScope
            state.lookups = self.keys.count
            state.answered = self.answers.count
            state.pausedReason = self.lifecycle.pausedReason
        }
    }
}

/// Moves a job that cannot be processed to `failed/ID/` with an `error.json` a person can act on, logging what
/// went wrong on the way.
enum JobFailure {
    /// Returns why the job could not be moved (`nil`: it is in failed/).
    @discardableResult
    static func moveToFailed(_ job: JobDirectory, id: String, layout: SpoolLayout, error: JobError, logger: Logger)
        -> String?
    {
        let (moved, problems) = job.moveToFailed(layout.failed(id), error: error)
        for problem in problems { logger.error("\(problem)") }
        return moved ? nil : problems.last
    }
}
