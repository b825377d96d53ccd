/// `POST /oauth/authorize` body.
struct OAuthLoginRequest: Encodable {
    var user: String
    var pass: String
    var audience = "API_GATEWAY"
}

/// `PUT /oauth/authorize` body.
struct OAuthRefreshRequest: Encodable {
    var user: String
    var refreshToken: String
}

/// The token pair `/oauth/authorize` answers with; `expiration` is in epoch seconds.
struct OAuthGrant: Decodable, Sendable {
    var token: String
    var refreshToken: String?
    var expiration: Double?

    enum CodingKeys: String, CodingKey {
        case token, refreshToken, expiration
    }

    init(token: String, refreshToken: String?, expiration: Double?) {
        self.token = token
        self.refreshToken = refreshToken
        self.expiration = expiration
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let token = c.lenientString(.token), !token.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .token, in: c, debugDescription: "no token")
        }
        self.token = token
        self.refreshToken = c.lenientString(.refreshToken)
        self.expiration = c.lenientString(.expiration).flatMap(Double.init)
    }
}
