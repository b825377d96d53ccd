import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension LeadspaceClient {
    /// Records one bulk call may carry.
    public static let maximumBulkRecords = 500
    /// The first wait between polls of a bulk batch; it doubles up to ``maximumPollInterval``.
    static let firstPollInterval: Duration = .milliseconds(250)
    static let maximumPollInterval: Duration = .seconds(5)

    private struct BulkRequest: Encodable {
        var data: [EnrichmentRecord]
    }

    private struct BulkAccepted: Decodable {
        var id: String
    }

    private struct BulkResults: Decodable {
        var results: [EnrichmentResult]
    }

    /// Sends up to 500 records in one bulk call, polls for the results and calls `completion` exactly once,
    /// on an event loop thread.
    ///
    /// - Parameters:
    ///   - timeout: the deadline of each HTTP request (the submission and every poll).
    ///   - maximumWait: how long to keep polling before giving the batch up as lost (its records were paid).
    ///   - accepted: called with the polling path once Leadspace accepted the batch (202) and polling begins:
    ///     the call is paid, and from here on it only waits for results (it holds no request slot). Keep the
    ///     path to fetch the results after a restart (``resumeBulk(path:records:timeout:maximumWait:completion:)``).
    public func enrichBulk(
        records: [EnrichmentRecord],
        timeout: Duration,
        maximumWait: Duration = .seconds(600),
        accepted: (@Sendable (String) -> Void)? = nil,
        completion: @escaping @Sendable (BulkOutcome) -> Void
    ) {
        guard (1...Self.maximumBulkRecords).contains(records.count) else {
            completion(.failed(.fatal(reason: "a bulk call takes 1 to \(Self.maximumBulkRecords) records, not \(records.count)",
                                      trackingID: nil)))
            return
        }
        // Results are matched by external_id; a record without one gets a positional id on the wire.
        var wireRecords = records
        for index in wireRecords.indices where wireRecords[index].externalID == nil {
            wireRecords[index].externalID = "enrichd-bulk-\(index)"
        }
        let wireIDs = wireRecords.map { $0.externalID! }
        let body: Data
        do {
            body = try JSONEncoder().encode(BulkRequest(data: wireRecords))
        } catch {
            completion(.failed(.fatal(reason: "cannot encode the records: \(error)", trackingID: nil)))
            return
        }
        let giveUpAt = ContinuousClock.now + maximumWait
        let acceptedCallback = accepted
        self.send(.POST, "/enrichment/enrich/bulk", body: body, deadline: Self.deadline(after: timeout))
            .whenComplete { result in
                guard case .success(let response) = result, response.status.code == 202 || response.status.code == 200
                else {
                    completion(.failed(Self.outcome(of: result)))
                    return
                }
                let data = response.body.map { Data(buffer: $0) } ?? Data()
                if response.status.code == 200, let results = try? JSONDecoder().decode(BulkResults.self, from: data) {
                    completion(.completed(Self.match(results.results, wireIDs: wireIDs, records: records)))
                    return
                }
                guard let accepted = try? JSONDecoder().decode(BulkAccepted.self, from: data), !accepted.id.isEmpty else {
                    completion(.failed(.transient(reason: "malformed bulk answer (HTTP \(response.status.code))",
                                                  trackingID: nil, mayHaveBeenBilled: true)))
                    return
                }
                if let acceptedCallback { acceptedCallback(accepted.id) }
                self.fetchResults(accepted.id, after: Self.firstPollInterval, wireIDs: wireIDs, records: records,
                                  timeout: timeout, giveUpAt: giveUpAt, completion: completion)
            }
    }

    /// Fetches the results of a bulk call accepted earlier (by a process that then stopped), polling `path`
    /// until they are ready; `records` are the call's records, with the `external_id`s they were sent with.
    public func resumeBulk(
        path: String,
        records: [EnrichmentRecord],
        timeout: Duration,
        maximumWait: Duration = .seconds(600),
        completion: @escaping @Sendable (BulkOutcome) -> Void
    ) {
        let wireIDs = records.enumerated().map { index, record in record.externalID ?? "enrichd-bulk-\(index)" }
        self.fetchResults(path, after: .zero, wireIDs: wireIDs, records: records, timeout: timeout,
                          giveUpAt: ContinuousClock.now + maximumWait, completion: completion)
    }

    /// Polls `path` and pairs the results with `records` by their wire ids.
    private func fetchResults(
        _ path: String, after delay: Duration, wireIDs: [String], records: [EnrichmentRecord], timeout: Duration,
        giveUpAt: ContinuousClock.Instant, completion: @escaping @Sendable (BulkOutcome) -> Void
    ) {
        self.poll(path, after: delay, timeout: timeout, giveUpAt: giveUpAt, lastProblem: nil) { outcome in
            switch outcome {
            case .success(let results):
                completion(.completed(Self.match(results, wireIDs: wireIDs, records: records)))
            case .failure(let failure):
                completion(.failed(failure.outcome))
            }
        }
    }

    /// Polls `path` until the results are ready. The batch is paid for by now, so 204s, 429s, 5xx answers
    /// and transport errors only make it wait longer; the outcomes that end polling are the rest.
    private func poll(
        _ path: String,
        after delay: Duration,
        timeout: Duration,
        giveUpAt: ContinuousClock.Instant,
        lastProblem: String?,
        completion: @escaping @Sendable (Result<[EnrichmentResult], ClassifiedFailure>) -> Void
    ) {
        guard ContinuousClock.now + delay < giveUpAt else {
            let problem = lastProblem.map { " (last: \($0))" } ?? ""
            completion(.failure(ClassifiedFailure(
                outcome: .transient(reason: "bulk results not ready in time\(problem)", trackingID: nil,
                                    mayHaveBeenBilled: true), unreachable: false)))
            return
        }
        let eventLoop = self.httpClient.eventLoopGroup.any()
        eventLoop.scheduleTask(in: Self.timeAmount(delay)) {}.futureResult.whenComplete { _ in
            self.send(.GET, path, body: nil, deadline: Self.deadline(after: timeout)).whenComplete { result in
                let next = min(delay * 2, Self.maximumPollInterval)
                let again: @Sendable (Duration, String?) -> Void = { wait, problem in
                    self.poll(path, after: wait, timeout: timeout, giveUpAt: giveUpAt,
                              lastProblem: problem ?? lastProblem, completion: completion)
                }
                switch result {
                case .success(let response):
                    switch response.status.code {
                    case 200:
                        let data = response.body.map { Data(buffer: $0) } ?? Data()
                        if let results = try? JSONDecoder().decode(BulkResults.self, from: data) {
                            completion(.success(results.results))
                        } else {
                            again(next, "malformed results (HTTP 200)")
                        }
                    case 202, 204:
                        again(next, nil)
                    case 404:
                        completion(.failure(ClassifiedFailure(
                            outcome: .transient(reason: "Leadspace does not know the bulk request (HTTP 404)",
                                                trackingID: Self.trackingID(response), mayHaveBeenBilled: true),
                            unreachable: false)))
                    case 429:
                        let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
                        again(max(retryAfter ?? next, next), "rate limited (HTTP 429)")
                    case 500...599:
                        again(next, "HTTP \(response.status.code)")
                    default:
                        completion(.failure(ClassifiedFailure(outcome: Self.classify(response), unreachable: false)))
                    }
                case .failure(let error as ClassifiedFailure):
                    // No token (credentials refused, identity provider down): the batch cannot be fetched.
                    if case .transient(let reason, _, _) = error.outcome {
                        again(next, reason)
                    } else {
                        completion(.failure(error))
                    }
                case .failure(let error):
                    if case .transient(let reason, _, _) = Self.classify(error) {
                        again(next, reason)
                    } else {
                        completion(.failure(ClassifiedFailure(outcome: Self.classify(error), unreachable: true)))
                    }
                }
            }
        }
    }

    /// Pairs results with the records they answer, by `external_id` (Leadspace promises no order).
    static func match(_ results: [EnrichmentResult], wireIDs: [String], records: [EnrichmentRecord]) -> [LookupOutcome] {
        var byID: [String: EnrichmentResult] = [:]
        for result in results {
            if let id = result.externalID { byID[id] = result }
        }
        return wireIDs.indices.map { index in
            guard var result = byID[wireIDs[index]] else {
                return .transient(reason: "missing from the bulk results", trackingID: nil, mayHaveBeenBilled: true)
            }
            let message = result.errorMessage.map { ": \($0)" } ?? ""
            switch result.errorCode {
            case nil where result.status?.lowercased() == "failure" && result.company == nil && result.person == nil:
                return .transient(reason: "Leadspace reported a failure without a code", trackingID: nil,
                                  mayHaveBeenBilled: false)
            case nil:
                result.externalID = records[index].externalID
                return .answered(result)
            case 1200:
                return .invalidInput(reason: "Leadspace error 1200 (invalid input)\(message)", trackingID: nil)
            case 1100:
                return .transient(reason: "Leadspace internal error 1100\(message); retry the record",
                                  trackingID: nil, mayHaveBeenBilled: false)
            case let code?:
                return .transient(reason: "Leadspace error \(code)\(message)", trackingID: nil, mayHaveBeenBilled: false)
            }
        }
    }

    static func trackingID(_ response: HTTPClient.Response) -> String? {
        let data = response.body.map { Data(buffer: $0) } ?? Data()
        return (try? JSONDecoder().decode(ErrorBody.self, from: data))?.trackingID
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
