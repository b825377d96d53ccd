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
        let jobFile = (self.directory as NSString).appendingPathComponent("job.json")
        let data: [UInt8]
        do {
            data = try JobFile.readRegularFile(jobFile, displayName: "job.json")
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

        let ledgerPath = (self.directory as NSString).appendingPathComponent("answers.jsonl")
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
        do {
            self.ledger = try JobLedger(path: ledgerPath)
        } catch {
            throw JobError(.writeFailed, "cannot open the job's ledger: \(error)")
        }
        // Fresh answers from the persistent cache are free; they are recorded in the ledger like any other.
        if let cache = self.cache {
            for key in self.keys where self.answers[key] == nil {
                guard let json = cache.lookupJSON(key), var answer = CompanyAnswer(json: json) else { continue }
                answer.source = "cache"
                self.answers[key] = answer
                do {
                    try self.ledger?.append(key: key, answerJSON: json, fromCache: true, batched: true)
                } catch {
                    throw JobError(.writeFailed, "cannot record answers in the job's ledger: \(error)")
                }
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
            connection.resumeBulk(job: self.id, path: bulk.path, requests: keys.map(self.request))
        }
        self.acceptedBulks = []
        let pending = self.keys.filter { self.answers[$0] == nil && !resumed.contains($0) }
        connection.enqueue(job: self.id, requests: pending.map(self.request))
    }

    /// The request for lookup `key`, with the external id it always has in this job (a resumed bulk call's
    /// results are matched by it): derived from the key, not the lookup's number, which a restart may change
    /// when the cache changed meanwhile (the rule across jobs).
    private func request(_ key: String) -> LookupRequest {
        let index = self.keyIndex[key]!
        // FNV-1a, 64 bits: stable across processes (Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return LookupRequest(jobID: self.id, key: key,
                             record: self.plan.lookupQueries[index].record(externalID: "\(self.id)#\(String(hash, radix: 16))"))
    }

    private var lookupStatsPath: String { (self.directory as NSString).appendingPathComponent("lookups.json") }

    /// Keeps the request counters with the ledger, so a resumed job still reports what all its runs paid.
    private func saveLookupStats() {
        guard let data = try? JSONEncoder().encode(self.lookupStats) else { return }
        try? DurableFile.write(data, to: self.lookupStatsPath)
    }

    // MARK: - Enriching

    func handle(_ event: LookupEvent) {
        self.queue.async {
            guard !self.lifecycle.state.isFinal else { return }
            switch event {
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
                    try self.ledger?.append(key: key, answer: answer)
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
        case .logPaused(let reason):
            self.logger.warning("job paused: \(reason)", metadata: ["message_id": "\(MessageID.jobPaused)"])
        case .logResumed:
            self.logger.notice("job resumed", metadata: ["message_id": "\(MessageID.jobResumed)"])
        case .writeOutputs:
            self.checkpoint()
            do {
                self.summary = try self.writeOutputs()
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
            if error.code == .cancelled && error.hint == nil { error.hint = "requeue it with enrichctl retry \(self.id)" }
            self.logger.error("job failed: \(error.message)", metadata: [
                "message_id": "\(MessageID.jobFailed)", "error_code": "\(error.code)",
                "error_file": "\(error.file ?? "")", "error_line": "\(error.line.map(String.init) ?? "")",
            ])
            if let reason = JobFailure.moveToFailed(directory: self.directory, id: self.id, layout: self.layout,
                                                    error: error, logger: self.logger)
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

    /// The answer fanned out to a row; a cancelled job's unanswered lookups are errors, anything else missing is a bug.
    private func recordedAnswer(_ key: String, line: Int) throws(JobError) -> CompanyAnswer {
        if let recorded = self.answers[key] { return recorded }
        guard self.lifecycle.isCancelled else {
            throw JobError(.internalError, "no answer recorded for the lookup of line \(line)")
        }
        return CompanyAnswer(status: .error, reason: "the job was cancelled before this lookup", answeredAt: "")
    }

    /// The output table's rows, one per in-scope customer and address kind, in input order.
    ///
    /// Per row this reads the customer's fields in place, finds its lookup through the memo and copies the
    /// answer's columns rendered once per lookup; the counts are summed per lookup and folded in at the end. The
    /// first row of a lookup this job paid for says `Paid=true` (rendered for it alone); every other row sharing
    /// the lookup says false, so the column sums to what was billed.
    private func writeCustomers(
        _ source: CustomerSource, table: CSVWriter, errors: CSVWriter, into customers: inout ResultSummary.Records,
        coverage: inout [String: Int], paid: inout [Bool]
    ) throws {
        let kinds = source.addressKinds
        let fileName = self.descriptor?.customers.file ?? ""
        // Per lookup: the answer (a cancelled job's missing ones become errors once) and whether its rows go to
        // errors.csv; per address kind and lookup (slot kind × lookups + lookup): the row count and the columns
        // after CustomerId, rendered once (bounded: rows of lookups past the bound are rendered each time).
        let lookups = self.keys.count
        var answers = [CompanyAnswer?](repeating: nil, count: lookups)
        var loaded = [Bool](repeating: false, count: lookups)
        var reported = [Bool](repeating: false, count: lookups)
        var enriched = [Bool](repeating: false, count: lookups)
        // Whether this job bought the lookup's answer (read once per lookup: a CompanyAnswer copy per row costs).
        var bought = [Bool](repeating: false, count: lookups)
        var enrichedProfiles = 0
        var counts = [Int](repeating: 0, count: lookups * kinds.count)
        let renderedLimit = 65_536
        var rendered = [[UInt8]](repeating: [], count: min(lookups, renderedLimit) * kinds.count)
        var invalidCounts = [Int](repeating: 0, count: kinds.count)
        let invalidAnswers: [RowLookup: CompanyAnswer] = Dictionary(uniqueKeysWithValues: [RowLookup.emptyName, .placeholder].map {
            ($0, CompanyAnswer(status: .invalidInput, reason: $0.invalidReason, answeredAt: ""))
        })
        func render(_ answer: CompanyAnswer, _ kind: AddressKind, paid: Bool = false) -> [UInt8] {
            CSVWriter.render(CompanyOutputTable.row(customerID: "", kind: kind, answer: answer, paid: paid).dropFirst())
        }
        let invalidRendered = invalidAnswers.mapValues { answer in kinds.map { render(answer, $0) } }
        // Read by the memo's resolver while the memo (in `plan`) is being changed: a copy, not the property.
        let rawIndex = self.plan.rawIndex
        func errorRow(_ answer: CompanyAnswer, kind: AddressKind) throws {
            try errors.write(["Customer", source.currentID, fileName, String(source.currentLine), kind.outputName,
                              answer.status.rawValue, answer.reason ?? "", answer.trackingID ?? ""])
        }
        while try source.advance() {
            customers.rows += 1
            guard source.currentInScope else {
                customers.outOfScope += 1
                continue
            }
            customers.inScope += 1
            var profileEnriched = false
            for kind in 0..<kinds.count {
                let row = source.currentLookup(kind, memo: &self.plan.memo) { rawIndex[$0.matchKey] ?? -1 }
                guard case .lookup(let raw) = row else {
                    try source.withCurrentID { try table.write(first: $0, rendered: invalidRendered[row]![kind]) }
                    invalidCounts[kind] += 1
                    try errorRow(invalidAnswers[row]!, kind: kinds[kind])
                    continue
                }
                guard raw >= 0, let index = self.plan.lookup(row) else {
                    throw JobError(.internalError, "no lookup planned for line \(source.currentLine)")
                }
                if !loaded[index] {
                    let answer = try self.recordedAnswer(self.keys[index], line: source.currentLine)
                    answers[index] = answer
                    loaded[index] = true
                    reported[index] = answer.status == .invalidInput || answer.status == .error
                    enriched[index] = answer.status == .enriched
                    bought[index] = answer.wasPaid
                }
                profileEnriched = profileEnriched || enriched[index]
                if bought[index] && !paid[index] {
                    // The one row that carries this lookup's cost.
                    paid[index] = true
                    let row = render(answers[index]!, kinds[kind], paid: true)
                    try source.withCurrentID { try table.write(first: $0, rendered: row) }
                } else if index < renderedLimit {
                    let slot = kind * min(lookups, renderedLimit) + index
                    if rendered[slot].isEmpty { rendered[slot] = render(answers[index]!, kinds[kind]) }
                    try source.withCurrentID { try table.write(first: $0, rendered: rendered[slot]) }
                } else {
                    let row = render(answers[index]!, kinds[kind])
                    try source.withCurrentID { try table.write(first: $0, rendered: row) }
                }
                counts[kind * lookups + index] += 1
                if reported[index] { try errorRow(answers[index]!, kind: kinds[kind]) }
            }
            if profileEnriched { enrichedProfiles += 1 }
        }
        customers.enrichedProfiles = enrichedProfiles
        for (kind, addressKind) in kinds.enumerated() {
            if invalidCounts[kind] > 0 {
                customers.count(.invalidInput, confidence: nil, addressType: addressKind.outputName,
                                times: invalidCounts[kind])
            }
            for index in 0..<lookups where counts[kind * lookups + index] > 0 {
                let times = counts[kind * lookups + index]
                guard let answer = answers[index] else { continue }
                customers.count(answer.status, confidence: answer.confidence, addressType: addressKind.outputName,
                                times: times)
                if answer.status == .enriched, let company = answer.company {
                    for column in CompanyOutputTable.coveredColumns(company) { coverage[column, default: 0] += times }
                }
            }
        }
    }

    private func writeOutputs() throws(JobError) -> ResultSummary {
        guard let descriptor = self.descriptor else { throw JobError(.internalError, "no descriptor") }
        let tableName = "\(descriptor.outputTable).csv"
        let contactsName = "\(descriptor.outputTable)Contacts.csv"
        let errorsName = "errors.csv"
        let tablePath = (self.directory as NSString).appendingPathComponent(".\(tableName).tmp")
        let contactsPath = (self.directory as NSString).appendingPathComponent(".\(contactsName).tmp")
        let errorsPath = (self.directory as NSString).appendingPathComponent(".\(errorsName).tmp")
        var customers = ResultSummary.Records()
        var contactRecords = ResultSummary.Records()
        var coverage = Dictionary(uniqueKeysWithValues: CompanyOutputTable.coverageColumns.map { ($0, 0) })
        var contactCoverage = Dictionary(uniqueKeysWithValues: ContactsOutputTable.coverageColumns.map { ($0, 0) })
        func removeTemporaries() {
            unlink(tablePath)
            unlink(contactsPath)
            unlink(errorsPath)
        }
        do {
            let source = try CustomerSource(descriptor: descriptor, bundle: self.directory,
                                            inputRoots: self.configuration.inputRoots)
            let table = try CSVWriter(path: tablePath)
            let errors = try CSVWriter(path: errorsPath)
            try table.write(CompanyOutputTable.columns)
            try errors.write(["RecordType", "RecordId", "File", "Line", "AddressType", "EnrichmentStatus", "Reason",
                              "TrackingId"])
            var paid = [Bool](repeating: false, count: self.keys.count)
            try self.writeCustomers(source, table: table, errors: errors, into: &customers, coverage: &coverage,
                                    paid: &paid)
            customers.placeholders = self.plan.placeholders
            customers.finish()
            if let spec = descriptor.contacts {
                let contacts = try ContactSource(spec: spec, bundle: self.directory,
                                                 inputRoots: self.configuration.inputRoots)
                let output = try CSVWriter(path: contactsPath)
                try output.write(ContactsOutputTable.columns)
                while let contact = try contacts.next(company: { self.plan.accountCompanies[$0] }) {
                    contactRecords.rows += 1
                    let answer: CompanyAnswer
                    if !self.plan.customerIDHashes.contains(CustomerSource.idHash(contact.customerID)) {
                        answer = CompanyAnswer(status: .invalidInput,
                                               reason: "no customer with id \"\(contact.customerID)\" in \(descriptor.customers.file)",
                                               answeredAt: "")
                    } else if !self.plan.inScopeAccounts.contains(contact.customerID) {
                        // The account is outside the segment (or has no company name): not in this enrichment.
                        contactRecords.outOfScope += 1
                        continue
                    } else if let query = contact.query {
                        answer = try self.recordedAnswer(query.matchKey, line: contact.line)
                    } else {
                        answer = CompanyAnswer(status: .invalidInput, reason: contact.invalidReason, answeredAt: "")
                    }
                    contactRecords.inScope += 1
                    var rowPaid = false
                    if answer.wasPaid, let query = contact.query, let index = self.keyIndex[query.matchKey], !paid[index] {
                        paid[index] = true
                        rowPaid = true
                    }
                    try output.write(ContactsOutputTable.row(contactID: contact.id, customerID: contact.customerID,
                                                             answer: answer, paid: rowPaid))
                    contactRecords.count(answer.status, confidence: nil, addressType: nil)
                    if answer.status == .enriched, let person = answer.person {
                        for column in ContactsOutputTable.coveredColumns(person) { contactCoverage[column, default: 0] += 1 }
                    }
                    if answer.status == .invalidInput || answer.status == .error {
                        try errors.write(["Contact", contact.id, spec.file, String(contact.line), "",
                                          answer.status.rawValue, answer.reason ?? "", answer.trackingID ?? ""])
                    }
                }
                contactRecords.finish()
                try output.close()
            }
            try table.close()
            try errors.close()
        } catch let error as JobError {
            removeTemporaries()
            throw error
        } catch {
            removeTemporaries()
            throw JobError(.writeFailed, "cannot write the outputs: \(error)",
                           hint: "free space in the spool's filesystem; the job can be retried with enrichctl retry")
        }

        let finishedAt = Date()
        let summary = ResultSummary(
            id: self.id,
            name: descriptor.name,
            outputTable: descriptor.outputTable,
            connection: descriptor.connection,
            state: self.lifecycle.isCancelled ? .cancelled
                : customers.errors + customers.invalidInput + contactRecords.errors + contactRecords.invalidInput > 0
                    ? .completedWithWarnings : .succeeded,
            timings: .init(startedAt: Timestamp.iso(self.startedAt), finishedAt: Timestamp.iso(finishedAt),
                           durationSeconds: (finishedAt.timeIntervalSince(self.startedAt) * 1000).rounded() / 1000),
            customers: customers,
            contacts: descriptor.contacts == nil ? nil : contactRecords,
            fieldCoverage: coverage,
            contactFieldCoverage: descriptor.contacts == nil ? nil : contactCoverage,
            lookups: self.lookupStats,
            outputs: .init(table: tableName, contacts: descriptor.contacts == nil ? nil : contactsName, errors: errorsName)
        )
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try DurableFile.write(try encoder.encode(summary), to: (self.directory as NSString).appendingPathComponent("result.json"))
            try DurableFile.rename(tablePath, to: (self.directory as NSString).appendingPathComponent(tableName))
            try DurableFile.rename(errorsPath, to: (self.directory as NSString).appendingPathComponent(errorsName))
            if descriptor.contacts != nil {
                try DurableFile.rename(contactsPath, to: (self.directory as NSString).appendingPathComponent(contactsName))
            }
            let tableFile = (self.directory as NSString).appendingPathComponent(tableName)
            let page = ReportPage.render(summary, preview: ReportPage.preview(path: tableFile))
            try DurableFile.write(Array(page.utf8), to: (self.directory as NSString).appendingPathComponent("report.html"))
        } catch {
            throw JobError(.writeFailed, "cannot write the outputs: \(error)")
        }
        return summary
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

/// Moves a job that cannot be processed to `failed/ID/` with an `error.json` a person can act on.
enum JobFailure {
    /// Returns why the job could not be moved (`nil`: it is in failed/).
    @discardableResult
    static func moveToFailed(directory: String, id: String, layout: SpoolLayout, error: JobError, logger: Logger)
        -> String?
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Derived files go first: on a full disk that frees the room error.json needs. The report is still best
        // effort; the move is what matters.
        unlink((directory as NSString).appendingPathComponent("progress.json"))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".tmp") {
            unlink((directory as NSString).appendingPathComponent(name))
        }
        if let data = try? encoder.encode(error) {
            do {
                try DurableFile.write(data, to: (directory as NSString).appendingPathComponent("error.json"))
            } catch {
                logger.error("cannot write error.json: \(error)")
            }
        }
        do {
            try DurableFile.rename(directory, to: layout.failed(id))
            return nil
        } catch {
            logger.error("cannot move the job to failed/: \(error)")
            return "\(error)"
        }
    }
}

/// A job's progress counters behind a lock, with answers counted per 100 ms over the last five seconds for
/// the rate (constant work per answer: bulk calls deliver thousands a second).
final class PublishedProgress: @unchecked Sendable {
    struct State {
        var name = ""
        var outputTable = ""
        var connection = ""
        var phase = ProgressReport.Phase.planning
        var rows = 0
        var inScope = 0
        var lookups = 0
        var answered = 0
        var pausedReason: String?
        /// Answers per 100 ms slot; slot `i` covers [`(newest - i) × 100 ms`, +100 ms) of uptime.
        var answerSlots = [Int](repeating: 0, count: PublishedProgress.slots)
        /// The uptime slot (uptime ÷ 100 ms) `answerSlots[0]` counts.
        var newestSlot: UInt64 = 0

        /// Moves the window up to `slot`, dropping counts older than five seconds.
        mutating func advance(to slot: UInt64) {
            guard slot > self.newestSlot else { return }
            let shift = Int(min(slot - self.newestSlot, UInt64(PublishedProgress.slots)))
            self.answerSlots.removeLast(shift)
            self.answerSlots.insert(contentsOf: repeatElement(0, count: shift), at: 0)
            self.newestSlot = slot
        }
    }

    static let slots = 50
    static let slotNanoseconds: UInt64 = 100_000_000

    private let lock = NSLock()
    private var state = State()

    func update(answered: Bool, _ body: (inout State) -> Void) {
        self.lock.withLock {
            body(&self.state)
            guard answered else { return }
            self.state.advance(to: DispatchTime.now().uptimeNanoseconds / Self.slotNanoseconds)
            self.state.answerSlots[0] += 1
        }
    }

    func snapshot() -> State {
        self.lock.withLock { self.state }
    }

    func report(id: String, startedAt: Date) -> ProgressReport {
        self.lock.withLock {
            self.state.advance(to: DispatchTime.now().uptimeNanoseconds / Self.slotNanoseconds)
            let recent = self.state.answerSlots.reduce(0, +)
            let window = min(5.0, max(0.5, Date().timeIntervalSince(startedAt)))
            return ProgressReport(
                id: id, name: self.state.name.isEmpty ? id : self.state.name, outputTable: self.state.outputTable,
                connection: self.state.connection, phase: self.state.phase, rows: self.state.rows,
                inScope: self.state.inScope, lookups: self.state.lookups, answered: self.state.answered,
                lookupsPerSecond: (Double(recent) / window * 10).rounded() / 10,
                startedAt: Timestamp.iso(startedAt), updatedAt: Timestamp.iso(Date()), pausedReason: self.state.pausedReason)
        }
    }
}
