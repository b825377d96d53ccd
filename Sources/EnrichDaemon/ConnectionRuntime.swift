import AsyncHTTPClient
import Enrichment
import Foundation
import LeadspaceAPI
import Logging
import Scheduling

/// One lookup as the scheduler carries it: which job and key it answers, and what to send.
struct LookupRequest: Sendable {
    var jobID: String
    var key: String
    var record: EnrichmentRecord
}

/// What the connection reports back to a job for each request it made.
enum LookupEvent: Sendable {
    /// The lookup is done: record this answer.
    case answer(key: String, answer: CompanyAnswer)
    /// A request went out (billed or possibly billed); `retry` when it was not the first attempt.
    case attempt(billed: Bool, retry: Bool, rateLimited: Bool)
}

/// A configured Leadspace connection at run time: its token, client and scheduler.
///
/// `@unchecked Sendable`: `configuration` changes only on the daemon's control queue, before `update`.
final class ConnectionRuntime: @unchecked Sendable {
    let name: String
    private(set) var configuration: ConnectionConfiguration
    let tokens: TokenStore
    private let client: LeadspaceClient
    private(set) var scheduler: DispatchLookupScheduler<LookupRequest>!
    private let shared = SharedLookups()
    private let events: @Sendable (String, LookupEvent) -> Void
    private let logger: Logger

    init(
        name: String,
        configuration: ConnectionConfiguration,
        retry: RetryConfiguration,
        token: String,
        httpClient: HTTPClient,
        logger: Logger,
        events: @escaping @Sendable (String, LookupEvent) -> Void,
        paused: @escaping @Sendable (String, String) -> Void,
        resumed: @escaping @Sendable (String) -> Void,
        turned: @escaping @Sendable () -> Void,
        stalled: Bool = false
    ) {
        self.name = name
        self.configuration = configuration
        self.tokens = TokenStore(token: token)
        self.events = events
        var logger = logger
        logger[metadataKey: "connection"] = "\(name)"
        self.logger = logger
        self.client = LeadspaceClient(baseURL: configuration.baseURL, tokens: self.tokens, httpClient: httpClient,
                                      logger: logger)
        let client = self.client
        let shared = self.shared
        // Answers go to the job that sent the request and to every job waiting on the same key.
        let deliver: @Sendable (LookupRequest, CompanyAnswer) -> Void = { request, answer in
            for job in shared.answered(key: request.key, by: request.jobID, answer: answer) {
                events(job, .answer(key: request.key, answer: answer))
            }
        }
        let timeout = Duration.milliseconds(configuration.requestTimeoutMs)
        let connectionLogger = logger
        self.scheduler = DispatchLookupScheduler(
            name: name,
            settings: Self.settings(configuration, retry),
            perform: { lookup, complete in
                turned()
                // Test hook (ENRICHD_TEST_STALL_MARKER): requests vanish, as in a wedged scheduler.
                if stalled { return }
                let request = lookup.payload
                client.enrichSingle(request.record, timeout: timeout) { outcome in
                    let retry = lookup.attempts > 1
                    switch outcome {
                    case .answered(let result):
                        events(request.jobID, .attempt(billed: true, retry: retry, rateLimited: false))
                        deliver(request, Self.answer(from: result, person: request.record.person != nil))
                        complete(.finished)
                    case .invalidInput(let reason, let trackingID):
                        events(request.jobID, .attempt(billed: true, retry: retry, rateLimited: false))
                        deliver(request, CompanyAnswer(
                            status: .invalidInput, reason: "Leadspace rejected the input: \(reason)",
                            trackingID: trackingID, answeredAt: Timestamp.now()))
                        complete(.finished)
                    case .fatal(let reason, let trackingID):
                        connectionLogger.error("Leadspace answered unexpectedly; this is a bug in enrichd or a changed API",
                                               metadata: ["reason": "\(reason)", "tracking_id": "\(trackingID ?? "")",
                                                          "job_id": "\(request.jobID)"])
                        events(request.jobID, .attempt(billed: true, retry: retry, rateLimited: false))
                        deliver(request, CompanyAnswer(
                            status: .error, reason: reason, trackingID: trackingID, answeredAt: Timestamp.now()))
                        complete(.finished)
                    case .rateLimited(let retryAfter, _):
                        events(request.jobID, .attempt(billed: false, retry: retry, rateLimited: true))
                        complete(.retry(reason: "rate limited (HTTP 429)", notBefore: retryAfter, rateLimited: true))
                    case .transient(let reason, let trackingID, let billed):
                        events(request.jobID, .attempt(billed: billed, retry: retry, rateLimited: false))
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
                turned: turned
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

    /// Queues a job's lookups, except those another job already has under way (single flight).
    func enqueue(job: String, requests: [LookupRequest]) {
        let (own, settled) = self.shared.claim(requests)
        for (key, answer) in settled { self.events(job, .answer(key: key, answer: answer)) }
        if !own.isEmpty { self.scheduler.enqueue(job: job, payloads: own) }
    }

    /// Drops a job's queued lookups; lookups other jobs were waiting for are handed over to them.
    func remove(job: String) {
        self.scheduler.removeJob(job)
        for request in self.shared.release(job: job) {
            self.scheduler.enqueue(job: request.jobID, payloads: [request])
        }
    }

    /// Applies a reloaded configuration and token; a paused connection gets another chance.
    func reload(configuration: ConnectionConfiguration, retry: RetryConfiguration, token: String) {
        self.configuration = configuration
        self.tokens.replace(with: token)
        self.scheduler.update(settings: Self.settings(configuration, retry))
        self.scheduler.resume()
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

enum Timestamp {
    static func now() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }
}
