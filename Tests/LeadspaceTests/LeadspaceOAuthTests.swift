import EnrichdTestSupport
import Foundation
import Testing

@testable import LeadspaceAPI

/// OAuth against the sandbox: login, refresh ahead of expiry, one refresh and retry after a 401.
struct LeadspaceOAuthTests {
    static let oauth = LeadspaceCredentials.oauth(programID: SandboxFixture.programID, secret: SandboxFixture.secret)

    @Test func logsInOnceAndReusesTheToken() async throws {
        try await SandboxFixture.run(credentials: Self.oauth) { fixture in
            for index in 0..<3 {
                #expect(await fixture.single(SandboxFixture.record(index)).isAnswered)
            }
            try #expect(fixture.count(requests: "oauth") == 1)
            try #expect(fixture.count(status: 401) == 0)
        }
    }

    @Test func anExpiredTokenIsRefreshedOnceAndTheRequestSucceeds() async throws {
        try await SandboxFixture.run(credentials: Self.oauth) { fixture in
            #expect(await fixture.single(SandboxFixture.record(1)).isAnswered)
            try fixture.expireOAuthTokens()
            let outcome = await fixture.single(SandboxFixture.record(2))
            #expect(outcome.isAnswered, "refreshed and retried: \(outcome)")
            try #expect(fixture.count(status: 401) == 1, "one 401, then the retry with the new token")
            try #expect(fixture.count(requests: "oauth") == 2, "login + one refresh")
            #expect(await fixture.single(SandboxFixture.record(3)).isAnswered)
            try #expect(fixture.count(requests: "oauth") == 2)
        }
    }

    /// The refresh token is refused too (the program's sessions were ended): the client logs in again with the
    /// program's secret and the request still succeeds.
    @Test func aRefusedRefreshLogsInAgainAndTheRequestSucceeds() async throws {
        try await SandboxFixture.run(credentials: Self.oauth) { fixture in
            #expect(await fixture.single(SandboxFixture.record(1)).isAnswered)
            try fixture.revokeOAuthSessions()
            let outcome = await fixture.single(SandboxFixture.record(2))
            #expect(outcome.isAnswered, "logged in again and retried: \(outcome)")
            try #expect(fixture.count(requests: "oauth") == 3, "login, the refused refresh, login")
            try #expect(fixture.count(status: 401) == 2, "the request with the revoked token and the refresh")
            #expect(await fixture.single(SandboxFixture.record(3)).isAnswered)
            try #expect(fixture.count(requests: "oauth") == 3)
            try #expect(fixture.count(requests: "single") == 4, "three lookups, one of them sent twice")
        }
    }

    @Test func concurrentRequestsShareOneRefresh() async throws {
        try await SandboxFixture.run(["--rate", "0"], credentials: Self.oauth) { fixture in
            #expect(await fixture.single(SandboxFixture.record(0)).isAnswered)
            try fixture.expireOAuthTokens()
            let outcomes = await withTaskGroup(of: LookupOutcome.self) { group in
                for index in 1...10 {
                    group.addTask { await fixture.single(SandboxFixture.record(index)) }
                }
                return await group.reduce(into: [LookupOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0.isAnswered }, "\(outcomes)")
            try #expect(fixture.count(requests: "oauth") == 2, "login + one shared refresh")
        }
    }

    @Test func theTokenIsRefreshedBeforeItExpires() async throws {
        try await SandboxFixture.run(["--oauth-token-lifetime", "4"], credentials: Self.oauth) { fixture in
            #expect(await fixture.single(SandboxFixture.record(1)).isAnswered)
            // Past half the token's life (the margin for short-lived tokens), before its end.
            try await Task.sleep(for: .milliseconds(2_500))
            #expect(await fixture.single(SandboxFixture.record(2)).isAnswered)
            try #expect(fixture.count(requests: "oauth") == 2, "refreshed ahead of expiry")
            try #expect(fixture.count(status: 401) == 0, "never sent an expired token")
        }
    }

    @Test func aWrongSecretIsUnauthorizedAndNothingIsSent() async throws {
        try await SandboxFixture.run(credentials: .oauth(programID: SandboxFixture.programID, secret: "wrong")) { fixture in
            let outcome = await fixture.single(SandboxFixture.record(1))
            guard case .unauthorized = outcome else { Issue.record("expected unauthorized, got \(outcome)"); return }
            try #expect(fixture.count(requests: "single") == 0)
        }
    }

    @Test func replacingTheCredentialsStartsANewSession() async throws {
        try await SandboxFixture.run(credentials: .oauth(programID: SandboxFixture.programID, secret: "wrong")) { fixture in
            guard case .unauthorized = await fixture.single(SandboxFixture.record(1)) else {
                Issue.record("expected unauthorized"); return
            }
            fixture.client.replaceCredentials(with: Self.oauth)
            #expect(await fixture.single(SandboxFixture.record(1)).isAnswered)
        }
    }

    @Test func credentialsNeverShowTheSecretOrToken() {
        let descriptions = [
            "\(LeadspaceCredentials.token("tok-123456"))",
            "\(LeadspaceCredentials.oauth(programID: "p1", secret: "sec-987654"))",
            "\(TokenStore(token: "tok-123456"))",
        ]
        for description in descriptions {
            #expect(!description.contains("tok-123456") && !description.contains("sec-987654"), "\(description)")
        }
    }
}
