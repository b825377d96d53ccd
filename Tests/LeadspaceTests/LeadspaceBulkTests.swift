import EnrichdTestSupport
import Foundation
import Testing

@testable import LeadspaceAPI

/// Bulk enrichment against the sandbox: submit, poll with backoff, match shuffled results by external_id.
struct LeadspaceBulkTests {
    @Test func resultsComeBackInInputOrderMatchedByExternalID() async throws {
        try await SandboxFixture.run { fixture in
            var records = (0..<40).map { SandboxFixture.record($0) }
            records.append(EnrichmentRecord(company: CompanyInput(website: "no-name.example"), externalID: "bad"))
            records.append(EnrichmentRecord(company: CompanyInput(name: SandboxFixture.directory.companies[41].name)))
            let outcome = await fixture.client.enrichBulk(records: records, timeout: .seconds(10))
            guard case .completed(let outcomes) = outcome else { Issue.record("expected results, got \(outcome)"); return }
            try #require(outcomes.count == records.count)
            for index in 0..<40 {
                guard case .answered(let result) = outcomes[index] else {
                    Issue.record("record \(index): \(outcomes[index])"); continue
                }
                #expect(result.externalID == "rec-\(index)")
                #expect(result.company?.name == SandboxFixture.directory.companies[index].name,
                        "record \(index) got another record's answer")
            }
            guard case .invalidInput(let reason, _) = outcomes[40] else {
                Issue.record("a record without a name is invalid input (1200): \(outcomes[40])"); return
            }
            #expect(reason.contains("1200"))
            guard case .answered(let unnamed) = outcomes[41] else {
                Issue.record("a record without an external_id is matched too: \(outcomes[41])"); return
            }
            #expect(unnamed.externalID == nil)
            #expect(unnamed.company?.name == SandboxFixture.directory.companies[41].name)
            try #expect(fixture.count(requests: "bulk") == 1)
            try #expect(fixture.sandbox.recordsBilled() == 41)
        }
    }

    @Test func pollsWithBackoffWhileTheBatchIsProcessing() async throws {
        try await SandboxFixture.run(["--bulk-delay-ms", "1200"]) { fixture in
            let outcome = await fixture.client.enrichBulk(records: [SandboxFixture.record(1)], timeout: .seconds(10))
            #expect(outcome.outcomes(count: 1).allSatisfy { $0.isAnswered }, "\(outcome)")
            // 250 ms, then 500, then 1000: ready at about 1.75 s after three polls (two 204s).
            let polls = try fixture.count(requests: "poll")
            #expect((2...4).contains(polls), "polls: \(polls)")
            try #expect(fixture.count(status: 204) == polls - 1)
        }
    }

    @Test func anInternalErrorOnOneRecordMakesOnlyThatRecordTransient() async throws {
        try await SandboxFixture.run(["--fail-rate", "0.3"]) { fixture in
            let records = (0..<30).map { SandboxFixture.record($0) }
            var completed: [LookupOutcome]?
            // The fail rate also fails whole calls (5xx); those are retried here as the scheduler would.
            for _ in 0..<10 where completed == nil {
                let outcome = await fixture.client.enrichBulk(records: records, timeout: .seconds(10))
                if case .completed(let outcomes) = outcome { completed = outcomes }
                else if case .failed(let failure) = outcome { #expect(failure.transientReason != nil, "\(failure)") }
            }
            let outcomes = try #require(completed)
            let internalErrors = outcomes.filter { $0.transientReason?.contains("1100") == true }
            #expect(!internalErrors.isEmpty, "some records fail with 1100 at a 30% fail rate")
            #expect(internalErrors.allSatisfy {
                if case .transient(_, _, let billed) = $0 { return !billed }
                return false
            })
            #expect(internalErrors.count + outcomes.filter { $0.isAnswered }.count == records.count)
        }
    }

    @Test func wholeCallFailuresApplyToEveryRecord() async throws {
        try await SandboxFixture.run(["--credits", "5"]) { fixture in
            let records = (0..<10).map { SandboxFixture.record($0) }
            let outcome = await fixture.client.enrichBulk(records: records, timeout: .seconds(10))
            guard case .failed(.outOfCredits(let trackingID)) = outcome else {
                Issue.record("expected out of credits, got \(outcome)"); return
            }
            #expect(trackingID?.isEmpty == false)
            #expect(outcome.outcomes(count: 10).count == 10)
        }
        try await SandboxFixture.run(credentials: .token("wrong")) { fixture in
            let outcome = await fixture.client.enrichBulk(records: [SandboxFixture.record(0)], timeout: .seconds(10))
            guard case .failed(.unauthorized) = outcome else { Issue.record("expected unauthorized, got \(outcome)"); return }
        }
        try await SandboxFixture.run(["--fail-rate", "1"]) { fixture in
            let outcome = await fixture.client.enrichBulk(records: [SandboxFixture.record(0)], timeout: .seconds(10))
            guard case .failed(.transient(let reason, _, _)) = outcome else {
                Issue.record("expected transient, got \(outcome)"); return
            }
            #expect(reason.contains("HTTP 50"))
        }
    }

    @Test func moreThan500RecordsAreRefusedWithoutSending() async throws {
        try await SandboxFixture.run { fixture in
            let records = (0..<501).map { SandboxFixture.record($0 % 500, id: "r\($0)") }
            let outcome = await fixture.client.enrichBulk(records: records, timeout: .seconds(10))
            guard case .failed(.fatal) = outcome else { Issue.record("expected fatal, got \(outcome)"); return }
            try #expect(fixture.count(requests: "bulk") == 0)
        }
    }

    @Test func anExpiredOAuthTokenIsRefreshedForBulkCalls() async throws {
        let oauth = LeadspaceCredentials.oauth(programID: SandboxFixture.programID, secret: SandboxFixture.secret)
        try await SandboxFixture.run(credentials: oauth) { fixture in
            #expect(await fixture.single(SandboxFixture.record(0)).isAnswered)
            try fixture.expireOAuthTokens()
            let outcome = await fixture.client.enrichBulk(records: [SandboxFixture.record(1), SandboxFixture.record(2)],
                                                          timeout: .seconds(10))
            #expect(outcome.outcomes(count: 2).allSatisfy { $0.isAnswered }, "\(outcome)")
            try #expect(fixture.count(requests: "oauth") == 2)
        }
    }
}
