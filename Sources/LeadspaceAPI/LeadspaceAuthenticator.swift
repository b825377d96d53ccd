import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Locking

/// A request that ended before it got a usable answer (no token, or it could not be built), already
/// classified: the outcome to report for it.
struct ClassifiedFailure: Error, Sendable {
    var outcome: LookupOutcome
    /// No HTTP answer came back at all (from `/oauth/authorize`).
    var unreachable: Bool
}

/// Hands out the bearer token for each request: a perpetual token from a ``TokenStore``, or an OAuth token
/// it logs in for, refreshes ahead of expiry and refreshes again when Leadspace rejects it.
///
/// Concurrent requests share one login or refresh in flight. Never logs or describes a token or secret.
final class LeadspaceAuthenticator: Sendable, CustomStringConvertible {
    /// Refresh when less than this remains of a token's life (or half its life, for short-lived tokens).
    static let refreshMargin: Double = 300
    static let requestTimeout: TimeAmount = .seconds(30)

    enum Source: Sendable {
        case store(TokenStore)
        case oauth(programID: String, secret: String)
    }

    struct Grant: Sendable {
        var token: String
        var refreshToken: String?
        /// Epoch seconds; nil when Leadspace did not say.
        var expiresAt: Double?
        var obtainedAt: Double
        /// Leadspace answered 401 to this token: do not use it again.
        var rejected = false

        func isDue(at now: Double) -> Bool {
            guard let expiresAt = self.expiresAt else { return false }
            let margin = min(LeadspaceAuthenticator.refreshMargin, max(0, expiresAt - self.obtainedAt) / 2)
            return now >= expiresAt - margin
        }

        func isUsable(at now: Double) -> Bool {
            !self.rejected && (self.expiresAt.map { now < $0 } ?? true)
        }
    }

    private struct State {
        var source: Source
        /// Bumped when the credentials are replaced, so a login for the old ones is not kept.
        var generation = 0
        var grant: Grant?
        var pending: EventLoopFuture<String>?
    }

    private enum Decision {
        case ready(String)
        case wait(EventLoopFuture<String>)
        case fetch(EventLoopPromise<String>, programID: String, secret: String, previous: Grant?, generation: Int)
    }

    private let state: Locked<State>
    private let baseURL: String
    private let httpClient: HTTPClient
    private let logger: Logger
    private let clock: @Sendable () -> Double

    init(source: Source, baseURL: String, httpClient: HTTPClient, logger: Logger,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.state = Locked(State(source: source))
        self.baseURL = baseURL
        self.httpClient = httpClient
        self.logger = logger
        self.clock = clock
    }

    static func source(_ credentials: LeadspaceCredentials) -> Source {
        switch credentials {
        case .token(let token): .store(TokenStore(token: token))
        case .oauth(let programID, let secret): .oauth(programID: programID, secret: secret)
        }
    }

    var usesOAuth: Bool {
        self.state.withLock { state in
            if case .oauth = state.source { return true }
            return false
        }
    }

    var description: String { self.usesOAuth ? "LeadspaceAuthenticator(oauth)" : "LeadspaceAuthenticator(token)" }

    /// Swaps the credentials (on reload). A perpetual token goes into the existing store; new OAuth
    /// credentials drop the current OAuth session.
    func replace(with credentials: LeadspaceCredentials) {
        self.state.withLock { state in
            switch (credentials, state.source) {
            case (.token(let token), .store(let store)):
                store.replace(with: token)
            case (.oauth(let programID, let secret), .oauth(let oldProgramID, let oldSecret))
                where programID == oldProgramID && secret == oldSecret:
                break
            default:
                state.source = Self.source(credentials)
                state.grant = nil
                state.pending = nil
                state.generation += 1
            }
        }
    }

    /// The token to send now; logs in or refreshes first when needed, within `deadline` (and at most
    /// ``requestTimeout``; requests arriving meanwhile share the first one's login).
    func token(on eventLoop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<String> {
        let now = self.clock()
        let decision: Decision = self.state.withLock { state in
            switch state.source {
            case .store(let store):
                return .ready(store.current)
            case .oauth(let programID, let secret):
                if let pending = state.pending { return .wait(pending) }
                if let grant = state.grant, grant.isUsable(at: now), !grant.isDue(at: now) { return .ready(grant.token) }
                let promise = eventLoop.makePromise(of: String.self)
                state.pending = promise.futureResult
                return .fetch(promise, programID: programID, secret: secret, previous: state.grant,
                              generation: state.generation)
            }
        }
        switch decision {
        case .ready(let token):
            return eventLoop.makeSucceededFuture(token)
        case .wait(let future):
            return future.hop(to: eventLoop)
        case .fetch(let promise, let programID, let secret, let previous, let generation):
            let deadline = min(deadline, .now() + Self.requestTimeout)
            self.fetch(promise, programID: programID, secret: secret, previous: previous, generation: generation,
                       deadline: deadline)
            return promise.futureResult
        }
    }

    /// Leadspace answered 401 to `token`; returns whether the request is worth sending once more with a new one.
    func rejected(token: String) -> Bool {
        self.state.withLock { state in
            guard case .oauth = state.source else { return false }
            if state.grant?.token == token {
                state.grant?.rejected = true
            }
            return true
        }
    }

    /// Refreshes (or, without a refresh token or when refreshing fails, logs in) and completes `promise`.
    private func fetch(_ promise: EventLoopPromise<String>, programID: String, secret: String, previous: Grant?,
                       generation: Int, deadline: NIODeadline) {
        let finish: @Sendable (Result<Grant, any Error>) -> Void = { result in
            self.state.withLock { state in
                guard state.generation == generation else { return }
                state.pending = nil
                if case .success(let grant) = result { state.grant = grant }
            }
            switch result {
            case .success(let grant):
                let lifetime = grant.expiresAt.map { "\(Int(($0 - grant.obtainedAt).rounded())) s" } ?? "unknown"
                self.logger.debug("Leadspace OAuth token obtained", metadata: ["lifetime": "\(lifetime)"])
                promise.succeed(grant.token)
            case .failure(let error):
                // An early refresh that fails still leaves a token that is good until it expires.
                if let previous, previous.isUsable(at: self.clock()) {
                    self.logger.warning("Leadspace OAuth refresh failed; using the current token until it expires",
                                        metadata: ["error": "\(Self.describe(error))"])
                    promise.succeed(previous.token)
                } else {
                    promise.fail(error)
                }
            }
        }
        let login: @Sendable () -> Void = {
            self.call(.POST, OAuthLoginRequest(user: programID, pass: secret), deadline: deadline).whenComplete(finish)
        }
        guard let refreshToken = previous?.refreshToken else {
            login()
            return
        }
        self.call(.PUT, OAuthRefreshRequest(user: programID, refreshToken: refreshToken), deadline: deadline).whenComplete { result in
            switch result {
            case .success: finish(result)
            case .failure: login()
            }
        }
    }

    private func call(_ method: HTTPMethod, _ body: some Encodable, deadline: NIODeadline) -> EventLoopFuture<Grant> {
        let eventLoop = self.httpClient.eventLoopGroup.any()
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Accept", value: "application/json")
            headers.add(name: "User-Agent", value: LeadspaceClient.userAgent)
            request = try HTTPClient.Request(url: self.baseURL + "/oauth/authorize", method: method, headers: headers,
                                             body: .data(try JSONEncoder().encode(body)))
        } catch {
            return eventLoop.makeFailedFuture(ClassifiedFailure(
                outcome: .fatal(reason: "cannot build the OAuth request: \(error)", trackingID: nil), unreachable: false))
        }
        let clock = self.clock
        return LeadspaceClient.execute(request, on: self.httpClient, eventLoop: eventLoop, deadline: deadline)
            .flatMapErrorThrowing { error in
                throw ClassifiedFailure(outcome: LeadspaceClient.classify(error), unreachable: true)
            }
            .flatMapThrowing { response in
                try Self.grant(from: response, now: clock())
            }
    }

    static func grant(from response: HTTPClient.Response, now: Double) throws(ClassifiedFailure) -> Grant {
        let body = response.body.map { Data(buffer: $0) } ?? Data()
        switch response.status.code {
        case 200, 201:
            guard let grant = try? JSONDecoder().decode(OAuthGrant.self, from: body) else {
                throw ClassifiedFailure(outcome: .transient(
                    reason: "malformed OAuth answer (HTTP \(response.status.code))", trackingID: nil,
                    mayHaveBeenBilled: false), unreachable: false)
            }
            return Grant(token: grant.token, refreshToken: grant.refreshToken, expiresAt: grant.expiration,
                         obtainedAt: now)
        case 401, 403:
            let trackingID = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.trackingID
            throw ClassifiedFailure(outcome: .unauthorized(trackingID: trackingID), unreachable: false)
        default:
            var outcome = LeadspaceClient.classify(response)
            if case .invalidInput(let reason, let trackingID) = outcome {
                outcome = .fatal(reason: "Leadspace rejected the OAuth request: \(reason)", trackingID: trackingID)
            } else if case .transient(let reason, let trackingID, _) = outcome {
                outcome = .transient(reason: "OAuth: \(reason)", trackingID: trackingID, mayHaveBeenBilled: false)
            }
            throw ClassifiedFailure(outcome: outcome, unreachable: false)
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? ClassifiedFailure).map { "\($0.outcome)" } ?? "\(error)"
    }
}
