import AsyncHTTPClient
import Foundation
import NIOCore

extension LeadspaceClient {
    /// The record `verify` looks up: small, valid, and the same every time.
    static let verificationRecord = EnrichmentRecord(
        company: CompanyInput(name: "Leadspace", website: "leadspace.com"),
        externalID: "enrichd-verify"
    )

    /// Checks the connection with one single enrichment of a fixed small record (after an OAuth login, when
    /// the client uses OAuth): the cheapest call that tells good credentials, refused credentials, spent
    /// credits and an unreachable service apart. It costs one credit when it succeeds.
    ///
    /// A 429 is waited out (up to 5 s) and tried once more. `completion` is called exactly once.
    public func verify(timeout: Duration = .seconds(20), completion: @escaping @Sendable (VerificationResult) -> Void) {
        self.verifyOnce(timeout: timeout, mayWaitOutRateLimit: true, completion: completion)
    }

    private func verifyOnce(timeout: Duration, mayWaitOutRateLimit: Bool,
                            completion: @escaping @Sendable (VerificationResult) -> Void) {
        let body = (try? JSONEncoder().encode(Self.verificationRecord)) ?? Data()
        self.send(.POST, "/enrichment/enrich/single", body: body, deadline: Self.deadline(after: timeout))
            .whenComplete { result in
                let outcome = Self.outcome(of: result)
                if case .rateLimited(let retryAfter, _) = outcome, mayWaitOutRateLimit {
                    let wait = min(retryAfter ?? .seconds(1), .seconds(5))
                    self.httpClient.eventLoopGroup.any().scheduleTask(in: Self.timeAmount(wait)) {
                        self.verifyOnce(timeout: timeout, mayWaitOutRateLimit: false, completion: completion)
                    }
                    return
                }
                completion(Self.verification(of: result, outcome: outcome))
            }
    }

    static func verification(of result: Result<HTTPClient.Response, any Error>, outcome: LookupOutcome)
        -> VerificationResult
    {
        let tracking = outcome.trackingID.map { " (tracking_id \($0))" } ?? ""
        switch outcome {
        case .answered:
            return .ok
        case .unauthorized:
            return .invalidCredentials
        case .outOfCredits:
            return .outOfCredits
        case .transient(let reason, _, _):
            switch result {
            case .failure(let failure as ClassifiedFailure) where !failure.unreachable:
                return .unexpected(reason + tracking)
            case .failure:
                return .unreachable(reason)
            case .success:
                return .unexpected(reason + tracking)
            }
        case .rateLimited:
            return .unexpected("still rate limited (HTTP 429)\(tracking)")
        case .invalidInput(let reason, _):
            return .unexpected("Leadspace rejected the verification record (HTTP 400): \(reason)\(tracking)")
        case .fatal(let reason, _):
            return .unexpected(reason + tracking)
        }
    }
}
