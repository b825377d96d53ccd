import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix

/// The Leadspace enrichment API over async-http-client, completion-based so a Dispatch scheduler can drive it.
///
/// Every answer is classified into a ``LookupOutcome``. The client retries only what the protocol asks of
/// it — a request whose OAuth token was rejected is sent once more with a new token, and bulk results are
/// polled until ready — and leaves retries, rate and pauses to the scheduler. It never logs the token.
public final class LeadspaceClient: Sendable {
    static let userAgent = "enrichd/0.1"

    public let baseURL: String
    let authenticator: LeadspaceAuthenticator
    let httpClient: HTTPClient
    let logger: Logger

    /// A client with a perpetual token the daemon swaps in place (``TokenStore/replace(with:)``) on reload.
    public convenience init(baseURL: String, tokens: TokenStore, httpClient: HTTPClient, logger: Logger) {
        self.init(baseURL: baseURL, source: .store(tokens), httpClient: httpClient, logger: logger)
    }

    /// A client with a perpetual token or OAuth program credentials.
    public convenience init(baseURL: String, credentials: LeadspaceCredentials, httpClient: HTTPClient,
                            logger: Logger) {
        self.init(baseURL: baseURL, source: LeadspaceAuthenticator.source(credentials), httpClient: httpClient,
                  logger: logger)
    }

    init(baseURL: String, source: LeadspaceAuthenticator.Source, httpClient: HTTPClient, logger: Logger,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        let baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.baseURL = baseURL
        self.httpClient = httpClient
        self.logger = logger
        self.authenticator = LeadspaceAuthenticator(source: source, baseURL: baseURL, httpClient: httpClient,
                                                    logger: logger, clock: clock)
    }

    /// Replaces the credentials (on reload); new OAuth credentials start a new session at the next request.
    public func replaceCredentials(with credentials: LeadspaceCredentials) {
        self.authenticator.replace(with: credentials)
    }

    /// Whether the client logs in with OAuth (rather than sending a perpetual token).
    public var usesOAuth: Bool { self.authenticator.usesOAuth }

    /// Sends one single-enrichment request and calls `completion` exactly once, on an event loop thread.
    public func enrichSingle(
        _ record: EnrichmentRecord,
        timeout: Duration,
        completion: @escaping @Sendable (LookupOutcome) -> Void
    ) {
        self.enrichSingle(record, timeout: timeout, method: .POST, contentType: "application/json",
                          completion: completion)
    }

    /// `method` and `contentType` let tests provoke the 405 and 415 answers a wrong client would get.
    func enrichSingle(
        _ record: EnrichmentRecord,
        timeout: Duration,
        method: HTTPMethod,
        contentType: String,
        completion: @escaping @Sendable (LookupOutcome) -> Void
    ) {
        let body: Data
        do {
            body = try JSONEncoder().encode(record)
        } catch {
            completion(.fatal(reason: "cannot encode the record: \(error)", trackingID: nil))
            return
        }
        self.send(method, "/enrichment/enrich/single", body: body, contentType: contentType,
                  deadline: Self.deadline(after: timeout)).whenComplete { result in
            completion(Self.outcome(of: result))
        }
    }

    // MARK: - Sending

    /// Sends an authenticated request. With OAuth, a 401 gets the token refreshed (or a new login) and the
    /// request sent once more; the second 401 is the answer.
    func send(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String = "application/json",
              deadline: NIODeadline) -> EventLoopFuture<HTTPClient.Response> {
        let eventLoop = self.httpClient.eventLoopGroup.any()
        return self.attempt(method, path, body: body, contentType: contentType, deadline: deadline,
                            eventLoop: eventLoop, mayRetryUnauthorized: true)
    }

    private func attempt(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String,
                         deadline: NIODeadline, eventLoop: any EventLoop,
                         mayRetryUnauthorized: Bool) -> EventLoopFuture<HTTPClient.Response> {
        self.authenticator.token(on: eventLoop, deadline: deadline).flatMap { token in
            let request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(
                    url: self.url(path), method: method,
                    headers: Self.headers(token: token, contentType: contentType),
                    body: body.map { .data($0) }
                )
            } catch {
                return eventLoop.makeFailedFuture(ClassifiedFailure(
                    outcome: .fatal(reason: "cannot build the request: \(error)", trackingID: nil), unreachable: false))
            }
            return Self.execute(request, on: self.httpClient, eventLoop: eventLoop, deadline: deadline)
                .flatMap { response in
                    if response.status == .unauthorized, mayRetryUnauthorized,
                        self.authenticator.rejected(token: token)
                    {
                        self.logger.notice("Leadspace rejected the OAuth token (HTTP 401); getting a new one and retrying once")
                        return self.attempt(method, path, body: body, contentType: contentType, deadline: deadline,
                                            eventLoop: eventLoop, mayRetryUnauthorized: false)
                    }
                    return eventLoop.makeSucceededFuture(response)
                }
        }
    }

    /// Runs `request`, failing it with `HTTPClientError.deadlineExceeded` at `deadline`: async-http-client
    /// applies its own deadline only while a request waits for a connection, not to a server that never answers.
    static func execute(_ request: HTTPClient.Request, on httpClient: HTTPClient, eventLoop: any EventLoop,
                        deadline: NIODeadline) -> EventLoopFuture<HTTPClient.Response> {
        let task = httpClient.execute(request: request, delegate: ResponseAccumulator(request: request),
                                      eventLoop: .delegate(on: eventLoop), deadline: deadline)
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            task.fail(reason: HTTPClientError.deadlineExceeded)
        }
        task.futureResult.whenComplete { _ in timer.cancel() }
        return task.futureResult
    }

    /// `path` relative to the base URL, or as is when Leadspace handed out an absolute URL.
    func url(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return self.baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    private static func headers(token: String, contentType: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: Self.userAgent)
        return headers
    }

    static func deadline(after timeout: Duration) -> NIODeadline {
        let (seconds, attoseconds) = timeout.components
        return NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    // MARK: - Classification

    /// Classifies how a single-style request ended.
    static func outcome(of result: Result<HTTPClient.Response, any Error>) -> LookupOutcome {
        switch result {
        case .success(let response): Self.classify(response)
        case .failure(let error as ClassifiedFailure): error.outcome
        case .failure(let error): Self.classify(error)
        }
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
        case 405, 415:
            return .fatal(reason: Self.reason("HTTP \(code) (enrichd sent a wrong method or headers)", errorBody),
                          trackingID: trackingID)
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
        if let error = error as? ClassifiedFailure {
            return error.outcome
        }
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
            if [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
                return .transient(reason: "cannot connect: \(String(cString: strerror(error.errnoCode)))", trackingID: nil,
                                  mayHaveBeenBilled: false)
            }
            return .transient(reason: "I/O error: \(error.description)", trackingID: nil, mayHaveBeenBilled: true)
        }
        return .transient(reason: "request failed: \(error)", trackingID: nil, mayHaveBeenBilled: true)
    }

    static func reason(_ fallback: String, _ body: ErrorBody?) -> String {
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
