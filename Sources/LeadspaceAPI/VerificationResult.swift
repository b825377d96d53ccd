/// What ``LeadspaceClient/verify(timeout:completion:)`` found out about a connection.
public enum VerificationResult: Sendable, Equatable {
    /// Leadspace accepted the credentials and answered a lookup.
    case ok
    /// Leadspace refused the token, or the OAuth program id or secret (HTTP 401).
    case invalidCredentials
    /// The credentials are good but the credits are spent (HTTP 427).
    case outOfCredits
    /// No HTTP answer: connection refused, DNS, TLS, timeout or reset.
    case unreachable(String)
    /// An answer that fits none of the above (5xx, 405/415, a malformed body…).
    case unexpected(String)
}
