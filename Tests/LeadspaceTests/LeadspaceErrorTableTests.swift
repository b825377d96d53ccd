import AsyncHTTPClient
import EnrichdTestSupport
import Foundation
import NIOHTTP1
import Testing

@testable import LeadspaceAPI

/// LEADSPACE.md's error table, row by row, against the real sandbox process.
struct LeadspaceErrorTableTests {
    @Test func aGoodRequestIsAnsweredAndAMissIsAnAnswerToo() async throws {
        try await SandboxFixture.run { fixture in
            let hit = await fixture.single(SandboxFixture.record(3))
            guard case .answered(let result) = hit else { Issue.record("expected an answer, got \(hit)"); return }
            #expect(result.companyEnriched)
            #expect(result.externalID == "rec-3")
            let miss = await fixture.single(EnrichmentRecord(
                company: CompanyInput(name: "Zyxwvut Nonexistent Holdings"), externalID: "miss"))
            guard case .answered(let missResult) = miss else { Issue.record("expected an answer, got \(miss)"); return }
            #expect(!missResult.companyEnriched)
        }
    }

    @Test func http400IsInvalidInputWithTheTrackingID() async throws {
        try await SandboxFixture.run { fixture in
            let outcome = await fixture.single(EnrichmentRecord(company: CompanyInput(website: "acme.example")))
            guard case .invalidInput(let reason, let trackingID) = outcome else {
                Issue.record("expected invalidInput, got \(outcome)"); return
            }
            #expect(reason.contains("company.name"))
            #expect(trackingID?.isEmpty == false)
            try #expect(fixture.count(status: 400) == 1)
        }
    }

    @Test func http401WithAPerpetualTokenIsUnauthorizedWithoutARetry() async throws {
        try await SandboxFixture.run(credentials: .token("not-the-token")) { fixture in
            let outcome = await fixture.single(SandboxFixture.record(1))
            guard case .unauthorized(let trackingID) = outcome else {
                Issue.record("expected unauthorized, got \(outcome)"); return
            }
            #expect(trackingID?.isEmpty == false)
            try #expect(fixture.count(status: 401) == 1, "a perpetual token is not retried")
        }
    }

    @Test(arguments: [
        (HTTPMethod.GET, "application/json", 405),
        (HTTPMethod.POST, "text/plain", 415),
    ])
    func wrongMethodOrHeadersAreFatal(method: HTTPMethod, contentType: String, status: Int) async throws {
        try await SandboxFixture.run { fixture in
            let outcome: LookupOutcome = await withCheckedContinuation { continuation in
                fixture.client.enrichSingle(SandboxFixture.record(1), timeout: .seconds(10), method: method,
                                            contentType: contentType) { continuation.resume(returning: $0) }
            }
            guard case .fatal(let reason, let trackingID) = outcome else {
                Issue.record("HTTP \(status): expected fatal, got \(outcome)"); return
            }
            #expect(reason.contains("HTTP \(status)"))
            #expect(trackingID?.isEmpty == false)
            try #expect(fixture.count(status: status) == 1)
        }
    }

    @Test func http427IsOutOfCredits() async throws {
        try await SandboxFixture.run(["--credits", "1"]) { fixture in
            #expect(await fixture.single(SandboxFixture.record(1)).isAnswered)
            let outcome = await fixture.single(SandboxFixture.record(2))
            guard case .outOfCredits(let trackingID) = outcome else {
                Issue.record("expected outOfCredits, got \(outcome)"); return
            }
            #expect(trackingID?.isEmpty == false)
            try #expect(fixture.sandbox.recordsBilled() == 1)
        }
    }

    @Test func http429IsRateLimitedWithRetryAfter() async throws {
        try await SandboxFixture.run(["--rate", "2"]) { fixture in
            let outcomes = await withTaskGroup(of: LookupOutcome.self) { group in
                for index in 0..<8 {
                    group.addTask { await fixture.single(SandboxFixture.record(index)) }
                }
                return await group.reduce(into: [LookupOutcome]()) { $0.append($1) }
            }
            let limited = outcomes.compactMap { outcome -> (Duration?, String?)? in
                if case .rateLimited(let retryAfter, let trackingID) = outcome { return (retryAfter, trackingID) }
                return nil
            }
            #expect(!limited.isEmpty, "8 requests at once against a rate of 2/s: \(outcomes)")
            for (retryAfter, trackingID) in limited {
                #expect(retryAfter.map { $0 >= .seconds(1) } == true, "Retry-After is honoured: \(String(describing: retryAfter))")
                #expect(trackingID?.isEmpty == false)
            }
            #expect(outcomes.allSatisfy { $0.isAnswered || $0.trackingID != nil })
        }
    }

    @Test func http5xxIsTransientAndMayHaveBeenBilled() async throws {
        try await SandboxFixture.run(["--fail-rate", "1"]) { fixture in
            let outcome = await fixture.single(SandboxFixture.record(1))
            guard case .transient(let reason, let trackingID, let billed) = outcome else {
                Issue.record("expected transient, got \(outcome)"); return
            }
            #expect(reason.contains("HTTP 50"))
            #expect(trackingID?.isEmpty == false)
            #expect(billed)
        }
    }

    @Test func aTimeoutIsTransientAndCountsAsPaid() async throws {
        try await SandboxFixture.run(["--timeout-rate", "1", "--timeout-hold-seconds", "6"]) { fixture in
            // The server holds the request for 6 s and then drops the connection ("connection closed"); a
            // "timed out" outcome can only come from the client's own 500 ms deadline.
            let outcome = await fixture.single(SandboxFixture.record(1), timeout: .milliseconds(500))
            guard case .transient(let reason, _, let billed) = outcome else {
                Issue.record("expected transient, got \(outcome)"); return
            }
            #expect(reason.contains("timed out"))
            #expect(billed, "the request reached Leadspace; its answer was lost")
        }
    }

    @Test func aConnectionResetIsTransient() async throws {
        try await SandboxFixture.run(["--reset-rate", "1"]) { fixture in
            let outcome = await fixture.single(SandboxFixture.record(1))
            guard case .transient(_, _, let billed) = outcome else {
                Issue.record("expected transient, got \(outcome)"); return
            }
            #expect(billed)
            try #expect(fixture.sandbox.recordsBilled() == 1)
        }
    }

    @Test func aMalformedBodyIsTransientAndCountsAsPaid() async throws {
        try await SandboxFixture.run(["--malformed-rate", "1"]) { fixture in
            let outcome = await fixture.single(SandboxFixture.record(1))
            guard case .transient(let reason, _, let billed) = outcome else {
                Issue.record("expected transient, got \(outcome)"); return
            }
            #expect(reason.contains("malformed"))
            #expect(billed)
        }
    }

    @Test func anUnreachableServiceIsTransientAndNotBilled() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = LeadspaceClient(baseURL: "http://127.0.0.1:9", credentials: .token("t"), httpClient: httpClient,
                                     logger: .init(label: "test"))
        let outcome = await client.enrichSingle(SandboxFixture.record(1), timeout: .seconds(5))
        try await httpClient.shutdown()
        guard case .transient(_, _, let billed) = outcome else { Issue.record("expected transient, got \(outcome)"); return }
        #expect(!billed)
    }
}
