/// `POST /oauth/authorize` body.
struct OAuthAuthorizeRequest: Decodable, Sendable {
    var user: String
    var pass: String
    var audience: String?
}

/// `PUT /oauth/authorize` body.
struct OAuthRefreshRequest: Decodable, Sendable {
    var user: String
    var refreshToken: String
}

/// The answer to both: an access token, the token to refresh it with, and its expiry in epoch seconds.
public struct OAuthGrant: Codable, Sendable, Hashable {
    public var token: String
    public var refreshToken: String
    public var expiration: Int
}
