import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix

/// The Leadspace enrichment API over async-http-client, completion-based so a Dispatch scheduler can drive it.
///
/// Every answer is classified into a ``LookupOutcome``; the client itself never retries (the scheduler owns
/// retries, rate and pauses) and never logs the token.
public final class LeadspaceClient: Sendable {
    public let baseURL: String
    private let tokens: TokenStore
    private let httpClient: HTTPClient
    private let logger: Logger

    public init(baseURL: String, tokens: TokenStore, httpClient: HTTPClient, logger: Logger) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokens = tokens
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Sends one single-enrichment request and calls `completion` exactly once, on an event loop thread.
    public func enrichSingle(
        _ record: EnrichmentRecord,
        timeout: Duration,
        completion: @escaping @Sendable (LookupOutcome) -> Void
    ) {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: self.baseURL + "/enrichment/enrich/single",
                method: .POST,
                headers: self.headers(),
                body: .data(try JSONEncoder().encode(record))
            )
        } catch {
            completion(.fatal(reason: "cannot build the request: \(error)", trackingID: nil))
            return
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)
        self.httpClient.execute(request: request, deadline: deadline).whenComplete { result in
            switch result {
            case .success(let response):
                completion(Self.classify(response))
            case .failure(let error):
                completion(Self.classify(error))
            }
        }
    }

    private func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(self.tokens.current)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "enrichd/0.1")
        return headers
    }

    /// Classifies an HTTP answer.
    static func classify(_ response: HTTPClient.Response) -> LookupOutcome {
        let body = response.body.map { Data(buffer: $0) } ?? Data()
        let errorBody = try? JSONDecoder().decode(ErrorBody.self, from: body)
        let trackingID = errorBody?.trackingID
        let code = response.status.code
        switch code {
        case 200:
            guard let result = try? JSONDecoder().decode(EnrichmentResult.self, from: body) else {
                return .transient(reason: "malformed response body (HTTP 200)", trackingID: nil, mayHaveBeenBilled: true)
            }
            return .answered(result)
        case 400:
            return .invalidInput(reason: Self.reason("not enough or invalid input", errorBody), trackingID: trackingID)
        case 401:
            return .unauthorized(trackingID: trackingID)
        case 427:
            return .outOfCredits(trackingID: trackingID)
        case 429:
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
            return .rateLimited(retryAfter: retryAfter, trackingID: trackingID)
        case 500...599:
            return .transient(reason: Self.reason("HTTP \(code)", errorBody), trackingID: trackingID,
                              mayHaveBeenBilled: true)
        default:
            return .fatal(reason: Self.reason("unexpected HTTP \(code)", errorBody), trackingID: trackingID)
        }
    }

    /// Classifies a transport failure: all are transient, but only some may have reached Leadspace.
    static func classify(_ error: any Error) -> LookupOutcome {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout:
                return .transient(reason: "connect timeout", trackingID: nil, mayHaveBeenBilled: false)
            case .deadlineExceeded, .readTimeout:
                return .transient(reason: "request timed out", trackingID: nil, mayHaveBeenBilled: true)
            case .remoteConnectionClosed:
                return .transient(reason: "connection closed by the server", trackingID: nil, mayHaveBeenBilled: true)
            default:
                break
            }
        }
        if error is ChannelError || error is NIOConnectionError {
            return .transient(reason: "connection failed: \(error)", trackingID: nil, mayHaveBeenBilled: false)
        }
        if let error = error as? IOError {
            return .transient(reason: "I/O error: \(error.description)", trackingID: nil, mayHaveBeenBilled: true)
        }
        return .transient(reason: "request failed: \(error)", trackingID: nil, mayHaveBeenBilled: true)
    }

    private static func reason(_ fallback: String, _ body: ErrorBody?) -> String {
        let text = [body?.error, body?.details].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        return text.isEmpty ? fallback : "\(fallback): \(text)"
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by Leadspace).
    static func parseRetryAfter(_ value: String) -> Duration? {
        guard let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 3600 else {
            return nil
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}
