import AsyncHTTPClient
import Formats
import Jobs
import Foundation
import LeadspaceAPI
import Logging
import Scheduling
import Locking

/// A configured Leadspace connection at run time: its token, client and scheduler.
///
/// `@unchecked Sendable`: `configuration` is behind a lock (`Locked`) (a reload writes it on the control queue while
/// jobs read it on theirs); `scheduler` is set once in `init`; the rest is immutable or Sendable.
final class ConnectionRuntime: @unchecked Sendable {
    let name: String
    private let settings: Locked<ConnectionConfiguration>
    var configuration: ConnectionConfiguration { self.settings.withLock { $0 } }
    private let client: LeadspaceClient
    private(set) var scheduler: DispatchLookupScheduler<LookupRequest>!
    private let shared = SharedLookups()
    /// Bulk calls Leadspace accepted whose results are still being polled for (they hold no scheduler slot).
    private let polling = PollingBulks()
    /// Hands an answer to the job that asked and to every job waiting for the same key.
    private let deliver: @Sendable (LookupRequest, CompanyAnswer) -> Void
    private let logger: Logger
    /// The jobs with a spending cap, to tell when it is reached.
    private let cappedJobs = Locked<[String: LookupSink]>([:])

    init(
        name: String,
        configuration: ConnectionConfiguration,
        retry: RetryConfiguration,
        credentials: LeadspaceCredentials,
        httpClient: HTTPClient,
        logger: Logger,
        paused: @escaping @Sendable (String, String) -> Void,
        resumed: @escaping @Sendable (String) -> Void,
        turned: @escaping @Sendable () -> Void,
        stalled: Bool = false
    ) {
        self.name = name
        self.settings = Locked(configuration)
        var logger = logger
        logger[metadataKey: "connection"] = "\(name)"
        self.logger = logger
        self.client = LeadspaceClient(baseURL: configuration.baseURL, credentials: credentials, httpClient: httpClient,
                                      logger: logger)
        let client = self.client
        let shared = self.shared
        // Answers go to the job that sent the request and to every job waiting on the same key; a waiting job did
        // not pay for it, so for it the answer is one from the cache (Source=cache, Paid=false in its output).
        let deliver: @Sendable (LookupRequest, CompanyAnswer) -> Void = { request, answer in
            for sink in shared.answered(key: request.key, by: request.sink, answer: answer) {
                var delivered = answer
                if sink.jobID != request.jobID && delivered.source == "lookup" { delivered.source = "cache" }
                sink(.answer(key: request.key, answer: delivered))
            }
        }
        self.deliver = deliver
        let timeout = Duration.milliseconds(configuration.requestTimeoutMs)
        let connectionLogger = logger
        let cappedJobs = self.cappedJobs
        self.scheduler = DispatchLookupScheduler(
            name: name,
            settings: Self.settings(configuration, retry),
            billing: .init(cost: \.cost, split: { request, count in request.split(keeping: count) }),
            perform: { [weak self] lookup, complete in
                turned()
                // Test hook (ENRICHD_TEST_STALL_MARKER): requests vanish, as in a wedged scheduler.
                if stalled { return }
                let request = lookup.payload
                if !request.batch.isEmpty {
                    self?.performBulk(lookup, timeout: timeout, deliver: deliver, complete: complete)
                    return
                }
                client.enrichSingle(request.record, timeout: timeout) { outcome in
                    let retry = lookup.attempts > 1
                    if let answer = Self.finalAnswer(outcome, person: request.record.person != nil) {
                        if case .fatal(let reason, let trackingID) = outcome {
                            connectionLogger.error("Leadspace answered unexpectedly; this is a bug in enrichd or a changed API",
                                                   metadata: ["reason": "\(reason)", "tracking_id": "\(trackingID ?? "")",
                                                              "job_id": "\(request.jobID)"])
                        }
                        request.sink(.attempt(billed: true, retry: retry, rateLimited: false))
                        deliver(request, answer)
                        complete(.finished)
                        return
                    }
                    switch outcome {
                    case .answered, .invalidInput, .fatal:
                        break  // answered above
                    case .rateLimited(let retryAfter, _):
                        request.sink(.attempt(billed: false, retry: retry, rateLimited: true))
                        complete(.retry(reason: "rate limited (HTTP 429)", notBefore: retryAfter, rateLimited: true))
                    case .transient(let reason, let trackingID, let billed):
                        request.sink(.attempt(billed: billed, retry: retry, rateLimited: false))
                        let suffix = trackingID.map { " (tracking_id \($0))" } ?? ""
                        complete(.retry(reason: reason + suffix, notBefore: nil, rateLimited: false))
                    case .unauthorized:
                        complete(.pause(reason: "Leadspace refused the credentials (HTTP 401)"))
                    case .outOfCredits:
                        complete(.pause(reason: "Leadspace credits exhausted (HTTP 427)"))
                    }
                }
            },
            events: .init(
                exhausted: { lookup in
                    let request = lookup.payload
                    deliver(request, CompanyAnswer(
                        status: .error,
                        reason: "gave up after \(lookup.attempts) attempts: \(lookup.lastFailure ?? "unknown error")",
                        answeredAt: Timestamp.now()))
                },
                paused: { reason in paused(name, reason) },
                resumed: { resumed(name) },
                circuit: { seconds in
                    if let seconds {
                        connectionLogger.warning("Leadspace keeps failing: circuit open, nothing sent for \(Int(seconds.rounded())) s, then one probe")
                    } else {
                        connectionLogger.notice("Leadspace answers again: circuit closed")
                    }
                },
                turned: turned,
                rateCut: { factor in
                    let percent = Int((factor * 100).rounded())
                    connectionLogger.warning(
                        "Leadspace is rate limiting this connection (HTTP 429): sending at \(percent)% of ratePerSecond, more again as answers come",
                        metadata: ["http_status": "429", "rate_percent": "\(percent)"])
                },
                jobCapped: { job in cappedJobs.withLock { $0[job] }?(.capReached) }
            )
        )
    }

    static func settings(_ configuration: ConnectionConfiguration, _ retry: RetryConfiguration) -> SchedulerSettings {
        SchedulerSettings(
            ratePerSecond: configuration.ratePerSecond,
            burst: configuration.burst,
            maxInFlight: configuration.maxInFlight,
            maxAttempts: retry.maxAttempts,
            baseDelay: .milliseconds(retry.baseDelayMs),
            maxDelay: .milliseconds(retry.maxDelayMs),
            probeInterval: .seconds(configuration.probeIntervalSeconds)
        )
    }

    /// Queues a job's lookups, except those another job already has under way (single flight). In bulk mode
    /// (or in auto mode with more than `bulkThreshold` lookups) they travel in bulk calls of up to 500.
    func enqueue(_ requests: [LookupRequest], for sink: LookupSink) {
        let (own, settled) = self.shared.claim(requests)
        for (key, answer) in settled { sink(.answer(key: key, answer: answer)) }
        guard !own.isEmpty else { return }
        let bulk = switch self.configuration.apiMode {
        case .single: false
        case .bulk: true
        case .auto: own.count > self.configuration.bulkThreshold
        }
        guard bulk else { return self.scheduler.enqueue(job: sink.jobID, payloads: own) }
        let batches = stride(from: 0, to: own.count, by: LeadspaceClient.maximumBulkRecords).map { start in
            let batch = Array(own[start..<min(own.count, start + LeadspaceClient.maximumBulkRecords)])
            return LookupRequest(sink: sink, key: batch[0].key, record: batch[0].record, batch: batch)
        }
        self.scheduler.enqueue(job: sink.jobID, payloads: batches)
    }

    /// Sets how many more records a job may send (`nil`: no cap); the job hears `.capReached` when it is used up
    /// with lookups still to send. Call before the job's lookups are queued.
    func setAllowance(_ remaining: Int?, for sink: LookupSink) {
        self.cappedJobs.withLock { $0[sink.jobID] = remaining == nil ? nil : sink }
        self.scheduler.setAllowance(job: sink.jobID, remaining: remaining)
    }

    /// Changes what a capped job may still send by `delta` (its cap was changed by a reload).
    func raiseAllowance(by delta: Int, job: String) {
        self.scheduler.raiseAllowance(job: job, by: delta)
    }

    /// Requests in flight plus accepted bulk calls still polling: what a shutdown drain waits for (all paid).
    var outstanding: Int { self.scheduler.snapshot().inFlight + self.polling.calls }

    /// One bulk call: answers are fanned out per record; records Leadspace could not process this time (1100,
    /// missing from the results) go back to the queue as single lookups; a failure of the whole call is retried,
    /// slowed down or paused like a single request.
    ///
    /// The call leaves the scheduler's in-flight count once Leadspace accepted it: polling for results is free
    /// and unlimited, and holding a slot for it would keep the connection from the rate it may send at. Records
    /// accepted but not yet answered stay under Leadspace's queue limit (`PollingBulks.recordLimit`).
    private func performBulk(
        _ lookup: DispatchLookupScheduler<LookupRequest>.Lookup,
        timeout: Duration,
        deliver: @escaping @Sendable (LookupRequest, CompanyAnswer) -> Void,
        complete scheduled: @escaping @Sendable (DispatchLookupScheduler<LookupRequest>.Completion) -> Void
    ) {
        let batch = lookup.payload.batch
        let sink = lookup.payload.sink
        let polling = self.polling
        let slot = SchedulerSlot(scheduled)
        // After the slot was given back the call was accepted, so paid: if its results cannot be fetched, the
        // lookups are not sent again on their own (that would pay twice); they are reported as errors, and a
        // retry of the job looks them up again on purpose.
        let complete: @Sendable (DispatchLookupScheduler<LookupRequest>.Completion) -> Void = { completion in
            guard !slot.complete(completion) else { return }
            let reason: String
            switch completion {
            case .finished: return
            case .retry(let why, _, _): reason = why
            case .pause(let why): reason = why
            }
            for request in batch {
                deliver(request, CompanyAnswer(
                    status: .error,
                    reason: "Leadspace accepted the bulk call (paid) but its results could not be fetched: \(reason)",
                    answeredAt: Timestamp.now()))
            }
        }
        let accepted: @Sendable (String) -> Void = { path in
            sink(.bulkAccepted(path: path, keys: batch.map(\.key)))
            guard polling.begin(records: batch.count) else { return }
            slot.release { polling.end(records: batch.count) }
        }
        self.client.enrichBulk(records: batch.map(\.record), timeout: timeout, accepted: accepted) { [weak self] outcome in
            defer { slot.finish() }
            switch outcome {
            case .failed(let whole):
                switch whole {
                case .rateLimited(let retryAfter, _):
                    sink(.attempt(billed: false, retry: lookup.attempts > 1, rateLimited: true))
                    complete(.retry(reason: "rate limited (HTTP 429)", notBefore: retryAfter, rateLimited: true))
                case .unauthorized:
                    complete(.pause(reason: "Leadspace refused the credentials (HTTP 401)"))
                case .outOfCredits:
                    complete(.pause(reason: "Leadspace credits exhausted (HTTP 427)"))
                case .transient(let reason, _, let billed):
                    if billed { for _ in batch { sink(.attempt(billed: true, retry: lookup.attempts > 1, rateLimited: false)) } }
                    complete(.retry(reason: "bulk call: \(reason)", notBefore: nil, rateLimited: false))
                case .invalidInput(let reason, let trackingID), .fatal(let reason, let trackingID):
                    for request in batch {
                        deliver(request, CompanyAnswer(status: .error, reason: "bulk call failed: \(reason)",
                                                       trackingID: trackingID, answeredAt: Timestamp.now()))
                    }
                    complete(.finished)
                case .answered:
                    complete(.finished)
                }
            case .completed(let outcomes):
                sink(.bulkCall)
                self?.deliverBulk(sink: sink, batch: batch, outcomes: outcomes, deliver: deliver)
                complete(.finished)
            }
        }
    }

    /// Fetches the results of a bulk call an earlier run of the daemon had accepted (paid) for a job, instead of
    /// sending its lookups again. If Leadspace no longer has them, they are looked up anew.
    func resumeBulk(path: String, requests: [LookupRequest], for sink: LookupSink) {
        let (own, settled) = self.shared.claim(requests)
        for (key, answer) in settled { sink(.answer(key: key, answer: answer)) }
        guard !own.isEmpty else { return }
        let polling = self.polling
        _ = polling.begin(records: 0)
        let deliver = self.deliver
        let timeout = Duration.milliseconds(self.configuration.requestTimeoutMs)
        self.client.resumeBulk(path: path, records: own.map(\.record), timeout: timeout) { [weak self] outcome in
            defer { polling.end(records: 0) }
            guard let self else { return }
            switch outcome {
            case .completed(let outcomes):
                self.logger.notice("fetched the results of a bulk call accepted before the restart",
                                   metadata: ["job_id": "\(sink.jobID)", "records": "\(own.count)"])
                self.deliverBulk(sink: sink, batch: own, outcomes: outcomes, deliver: deliver)
            case .failed(let failure):
                self.logger.warning("cannot fetch the results of a bulk call accepted before the restart; looking its records up again",
                                    metadata: ["job_id": "\(sink.jobID)", "records": "\(own.count)", "reason": "\(failure)"])
                let batches = stride(from: 0, to: own.count, by: LeadspaceClient.maximumBulkRecords).map { start in
                    let batch = Array(own[start..<min(own.count, start + LeadspaceClient.maximumBulkRecords)])
                    return LookupRequest(sink: sink, key: batch[0].key, record: batch[0].record, batch: batch)
                }
                self.scheduler.enqueue(job: sink.jobID, payloads: batches)
            }
        }
    }

    /// Fans a bulk call's outcomes out to its lookups; records Leadspace could not process this time go back to
    /// the queue as single lookups.
    private func deliverBulk(
        sink: LookupSink, batch: [LookupRequest], outcomes: [LookupOutcome],
        deliver: @escaping @Sendable (LookupRequest, CompanyAnswer) -> Void
    ) {
        var again: [LookupRequest] = []
        for (request, outcome) in zip(batch, outcomes) {
            guard let answer = Self.finalAnswer(outcome, person: request.record.person != nil) else {
                again.append(request)
                continue
            }
            // A record the bulk call could not handle (fatal) was not billed on its own.
            if case .fatal = outcome {} else { sink(.attempt(billed: true, retry: false, rateLimited: false)) }
            deliver(request, answer)
        }
        if !again.isEmpty { self.scheduler.enqueue(job: sink.jobID, payloads: again) }
    }

    /// Sends nothing more (a shutdown): requests in flight and accepted bulk calls still complete.
    func close() {
        self.scheduler.close()
    }

    /// Drops a job's queued lookups; lookups other jobs were waiting for are handed over to them.
    func remove(job: String) {
        self.cappedJobs.withLock { $0[job] = nil }
        self.scheduler.removeJob(job)
        for request in self.shared.release(job: job) {
            self.scheduler.enqueue(job: request.jobID, payloads: [request])
        }
    }

    /// Applies a reloaded configuration and credentials; a paused connection gets another chance.
    func reload(configuration: ConnectionConfiguration, retry: RetryConfiguration, credentials: LeadspaceCredentials) {
        self.settings.withLock { $0 = configuration }
        self.client.replaceCredentials(with: credentials)
        self.scheduler.update(settings: Self.settings(configuration, retry))
        self.scheduler.resume()
    }

    /// The answer an outcome settles a lookup with (found, not found, rejected input, or an error Leadspace
    /// will keep giving); `nil` for outcomes that call for another try or a pause.
    static func finalAnswer(_ outcome: LookupOutcome, person: Bool) -> CompanyAnswer? {
        switch outcome {
        case .answered(let result):
            Self.answer(from: result, person: person)
        case .invalidInput(let reason, let trackingID):
            CompanyAnswer(status: .invalidInput, reason: "Leadspace rejected the input: \(reason)",
                          trackingID: trackingID, answeredAt: Timestamp.now())
        case .fatal(let reason, let trackingID):
            CompanyAnswer(status: .error, reason: reason, trackingID: trackingID, answeredAt: Timestamp.now())
        default:
            nil
        }
    }

    static func answer(from result: EnrichmentResult, person: Bool) -> CompanyAnswer {
        if person {
            guard result.personEnriched, let data = result.person else {
                return CompanyAnswer(status: .notEnriched, answeredAt: Timestamp.now())
            }
            var fields = PersonFields()
            fields.leadspacePersonId = data.id
            fields.title = data.title
            fields.jobLevel = data.level
            fields.department = data.department
            fields.persona = data.persona
            fields.personaScore = data.personaScore
            fields.emailVerification = PersonFields.emailVerification(from: data.emailVerification)
            fields.verificationStatus = PersonFields.verificationStatus(from: data.verificationStatus)
            fields.linkedInUrl = data.linkedInURL
            fields.phone = data.phone
            return CompanyAnswer(status: .enriched, person: fields, answeredAt: Timestamp.now())
        }
        guard result.companyEnriched, let data = result.company else {
            return CompanyAnswer(status: .notEnriched, answeredAt: Timestamp.now())
        }
        var fields = CompanyFields()
        fields.leadspaceCompanyId = data.id
        fields.companyName = data.name
        fields.website = data.website
        fields.industry = data.industry
        fields.subIndustry = data.subIndustry
        fields.sic = data.sic
        fields.naics = data.naics
        fields.employeeCount = data.employeeCount
        fields.employeeRange = data.employeeRange
        fields.revenueUSD = data.revenueUSD
        fields.revenueRange = data.revenueRange
        fields.country = data.country
        fields.state = data.state
        fields.city = data.city
        fields.street = data.street
        fields.postalCode = data.postalCode
        fields.phone = data.phone
        fields.linkedInUrl = data.linkedInURL
        return CompanyAnswer(status: .enriched, confidence: CompanyAnswer.confidence(fromLevel: data.confidenceLevel),
                             company: fields, answeredAt: Timestamp.now())
    }
}
