import Locking

/// The current bearer token of a connection, swapped atomically when the daemon reloads it.
///
/// The token is a secret: this type's description never shows it.
public final class TokenStore: Sendable, CustomStringConvertible {
    private let token: Locked<String>

    public init(token: String) {
        self.token = Locked(token)
    }

    public var current: String {
        self.token.withLock { $0 }
    }

    public func replace(with token: String) {
        self.token.withLock { $0 = token }
    }

    public var description: String { "TokenStore(<redacted>)" }
}
