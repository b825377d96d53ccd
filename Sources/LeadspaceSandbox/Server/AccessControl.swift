import Locking

/// Decides which bearer tokens are good: the perpetual tokens given on the command line and OAuth tokens the
/// sandbox issued and that have not expired. With neither configured, any non-empty token is accepted.
public final class AccessControl: Sendable {
    /// An OAuth program: the `user` and `pass` that `POST /oauth/authorize` accepts.
    public struct Program: Sendable, Hashable {
        public var id: String
        public var secret: String

        public init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }
    }

    public let perpetualTokens: Set<String>
    public let program: Program?
    /// Lifetime of issued access tokens, in seconds.
    public let tokenLifetime: Int

    private struct Sessions {
        /// Access token → expiry (epoch seconds).
        var accessTokens: [String: Int] = [:]
        /// Refresh token → program id.
        var refreshTokens: [String: String] = [:]
    }

    private let sessions = Locked(Sessions())

    init(perpetualTokens: [String], program: Program?, tokenLifetime: Int) {
        self.perpetualTokens = Set(perpetualTokens.filter { !$0.isEmpty })
        self.program = program
        self.tokenLifetime = tokenLifetime
    }

    /// Whether the `Authorization` header value carries an acceptable bearer token at `now` (epoch seconds).
    func isAuthorized(header: String?, now: Int) -> Bool {
        guard let header, let token = Self.bearerToken(header), !token.isEmpty else {
            return false
        }
        if self.perpetualTokens.isEmpty && self.program == nil {
            return true
        }
        if self.perpetualTokens.contains(token) {
            return true
        }
        return self.sessions.withLock { sessions in
            guard let expiry = sessions.accessTokens[token] else {
                return false
            }
            return now < expiry
        }
    }

    /// Issues a token pair for good program credentials; nil otherwise.
    func authorize(user: String, pass: String, now: Int) -> OAuthGrant? {
        guard let program, user == program.id, pass == program.secret else {
            return nil
        }
        return self.issue(programID: program.id, now: now)
    }

    /// Issues a new token pair for a refresh token the sandbox handed out to this program; nil otherwise.
    /// The old access token stays good until it expires, as clients refresh ahead of expiry.
    func refresh(user: String, refreshToken: String, now: Int) -> OAuthGrant? {
        let owner = self.sessions.withLock { $0.refreshTokens.removeValue(forKey: refreshToken) }
        guard let program, let owner, owner == user, user == program.id else {
            return nil
        }
        return self.issue(programID: owner, now: now)
    }

    /// Makes every issued access token expired, so tests can exercise the refresh path without waiting a day.
    func expireAccessTokens() {
        self.sessions.withLock { sessions in
            for token in sessions.accessTokens.keys {
                sessions.accessTokens[token] = 0
            }
        }
    }

    /// Forgets every issued access and refresh token, as when an administrator ends a program's sessions: the
    /// next request is refused (401), a refresh too, and only a new login gets a token.
    func revokeSessions() {
        self.sessions.withLock { sessions in
            sessions.accessTokens.removeAll()
            sessions.refreshTokens.removeAll()
        }
    }

    private func issue(programID: String, now: Int) -> OAuthGrant {
        let token = "lsat_" + FaultInjector.identifier(hexDigits: 32)
        let refreshToken = "lsrt_" + FaultInjector.identifier(hexDigits: 32)
        let expiry = now + self.tokenLifetime
        self.sessions.withLock { sessions in
            sessions.accessTokens[token] = expiry
            sessions.refreshTokens[refreshToken] = programID
        }
        return OAuthGrant(token: token, refreshToken: refreshToken, expiration: expiry)
    }

    /// "Bearer abc" (any case, any spacing) → "abc".
    private static func bearerToken(_ header: String) -> String? {
        let trimmed = header.trimmingWhitespace()
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else {
            return nil
        }
        return String(trimmed.dropFirst(7)).trimmingWhitespace()
    }
}
