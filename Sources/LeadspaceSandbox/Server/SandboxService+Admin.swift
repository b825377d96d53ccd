import Foundation
import Hummingbird

extension SandboxService {
    /// `POST /oauth/authorize`: program credentials → token pair.
    func authorize(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        self.statistics.countRequest(.oauth)
        let reply: SandboxReply
        switch await self.decodeBody(OAuthAuthorizeRequest.self, from: request) {
        case .failure(let failure):
            reply = failure.reply
        case .success(let body):
            if let grant = self.access.authorize(user: body.user, pass: body.pass, now: Self.epochSeconds()) {
                reply = .json(.ok, Self.encode(grant))
            } else {
                reply = self.error(.unauthorized, "Unauthorized", details: "unknown program id or wrong secret")
            }
        }
        return try await self.deliver(reply, context: context)
    }

    /// `PUT /oauth/authorize`: refresh token → new token pair.
    func refresh(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        self.statistics.countRequest(.oauth)
        let reply: SandboxReply
        switch await self.decodeBody(OAuthRefreshRequest.self, from: request) {
        case .failure(let failure):
            reply = failure.reply
        case .success(let body):
            let now = Self.epochSeconds()
            if let grant = self.access.refresh(user: body.user, refreshToken: body.refreshToken, now: now) {
                reply = .json(.ok, Self.encode(grant))
            } else {
                reply = self.error(.unauthorized, "Unauthorized", details: "unknown or used refresh token")
            }
        }
        return try await self.deliver(reply, context: context)
    }

    /// `GET /sandbox/stats`.
    func stats() -> Response {
        Self.plainJSON(self.snapshot())
    }

    /// `POST /sandbox/reset`: zeroes the counters (credits, tokens and batches are left alone).
    func resetStatistics() -> Response {
        self.statistics.reset()
        return Self.plainJSON(self.snapshot())
    }

    /// `POST /sandbox/oauth/expire`: expires every issued OAuth access token.
    func expireTokens() -> Response {
        self.access.expireAccessTokens()
        return Self.plainJSON(["expired": true])
    }

    /// `POST /sandbox/oauth/revoke`: forgets every issued access and refresh token.
    func revokeTokens() -> Response {
        self.access.revokeSessions()
        return Self.plainJSON(["revoked": true])
    }

    /// `POST /sandbox/credits` `{"credits": n | null}`: sets the balance (null = unlimited).
    func setCredits(_ request: Request) async -> Response {
        struct Body: Decodable {
            var credits: Int?
        }
        guard let buffer = try? await request.body.collect(upTo: 4096),
            let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        else {
            return Self.plainJSON(["error": "expected {\"credits\": n | null}"], status: .badRequest)
        }
        self.credits.setBalance(body.credits)
        return Self.plainJSON(self.snapshot())
    }

    /// The counters with the credit balance filled in.
    func snapshot() -> RequestStatistics.Snapshot {
        var snapshot = self.statistics.snapshot()
        snapshot.creditsRemaining = self.credits.balance
        return snapshot
    }

    /// A JSON answer that is not counted in the statistics (the sandbox's own endpoints).
    private static func plainJSON(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: Self.encode(value)))
        )
    }
}
