import AsyncHTTPClient
import EnrichdTestSupport
import Foundation
import LeadspaceSandbox
import Logging
import Testing

@testable import LeadspaceAPI

/// A real `leadspace-sandbox` process and a client talking to it, for the contract tests.
struct SandboxFixture {
    static let token = "contract-token"
    static let programID = "program-7"
    static let secret = "s3cret-for-tests"
    /// The sandbox's directory (same seed and size as the process), for records that match.
    static let directory = CompanyDirectory(seed: 42, companyCount: 500)

    let sandbox: SandboxServer
    let client: LeadspaceClient

    /// Starts a sandbox (`arguments` after the defaults) and runs `body` with a client holding `credentials`
    /// (the sandbox's perpetual token by default); stops both afterwards.
    static func run(
        _ arguments: [String] = [],
        credentials: LeadspaceCredentials = .token(Self.token),
        body: (SandboxFixture) async throws -> Void
    ) async throws {
        let sandbox = try SandboxServer(
            ["--companies", "500", "--seed", "42", "--latency-ms", "0", "--latency-jitter-ms", "0",
             "--token", Self.token, "--oauth-program", Self.programID, "--oauth-secret", Self.secret]
                + arguments)
        defer { sandbox.stop() }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = LeadspaceClient(baseURL: sandbox.baseURL, credentials: credentials, httpClient: httpClient,
                                     logger: Logger(label: "contract-test"))
        do {
            try await body(SandboxFixture(sandbox: sandbox, client: client))
        } catch {
            try await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    /// A record for directory company `index` that the sandbox matches.
    static func record(_ index: Int, id: String? = nil) -> EnrichmentRecord {
        let company = Self.directory.companies[index]
        return EnrichmentRecord(
            company: CompanyInput(name: company.name, website: company.website,
                                  address: AddressInput(country: company.country)),
            externalID: id ?? "rec-\(index)")
    }

    /// `GET /sandbox/stats` → `byStatus[status]`.
    func count(status: Int) throws -> Int {
        let byStatus = try self.sandbox.stats()["byStatus"] as? [String: Int] ?? [:]
        return byStatus[String(status)] ?? 0
    }

    /// `GET /sandbox/stats` → `requests[endpoint]` (single, bulk, poll, oauth).
    func count(requests endpoint: String) throws -> Int {
        let requests = try self.sandbox.stats()["requests"] as? [String: Int] ?? [:]
        return requests[endpoint] ?? 0
    }

    /// `POST /sandbox/oauth/expire`: every issued OAuth token is expired from now on.
    func expireOAuthTokens() throws {
        try self.sandbox.post("/sandbox/oauth/expire")
    }

    /// `POST /sandbox/oauth/revoke`: every issued access and refresh token is forgotten.
    func revokeOAuthSessions() throws {
        try self.sandbox.post("/sandbox/oauth/revoke")
    }

    func single(_ record: EnrichmentRecord, timeout: Duration = .seconds(10)) async -> LookupOutcome {
        await self.client.enrichSingle(record, timeout: timeout)
    }
}

extension LookupOutcome {
    var isAnswered: Bool {
        if case .answered = self { return true }
        return false
    }

    var transientReason: String? {
        if case .transient(let reason, _, _) = self { return reason }
        return nil
    }
}
