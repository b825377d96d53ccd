/// How a connection proves itself to Leadspace: a perpetual token, or an OAuth program id and secret that
/// the client trades for short-lived tokens (`POST /oauth/authorize`, refreshed with `PUT`).
///
/// Both forms are secrets: this type's description never shows them.
public enum LeadspaceCredentials: Sendable, Equatable, CustomStringConvertible {
    /// A perpetual token ("Leadspace token"), sent as is.
    case token(String)
    /// An OAuth program: `user` and `pass` of `POST /oauth/authorize`.
    case oauth(programID: String, secret: String)

    public var description: String {
        switch self {
        case .token: "LeadspaceCredentials.token(<redacted>)"
        case .oauth(let programID, _): "LeadspaceCredentials.oauth(programID: \(programID), secret: <redacted>)"
        }
    }
}
