import AsyncHTTPClient
import EnrichdTestSupport
import Foundation
import Testing

@testable import LeadspaceAPI

/// `LeadspaceClient.verify()` and `enrichctl connection verify` tell the four situations apart.
struct ConnectionVerifyTests {
    static let oauth = LeadspaceCredentials.oauth(programID: SandboxFixture.programID, secret: SandboxFixture.secret)

    @Test func verifyTellsOKBadCredentialsAndSpentCreditsApart() async throws {
        try await SandboxFixture.run { fixture in
            #expect(await fixture.client.verify() == .ok)
        }
        try await SandboxFixture.run(credentials: Self.oauth) { fixture in
            #expect(await fixture.client.verify() == .ok)
        }
        try await SandboxFixture.run(credentials: .token("wrong")) { fixture in
            #expect(await fixture.client.verify() == .invalidCredentials)
        }
        try await SandboxFixture.run(credentials: .oauth(programID: SandboxFixture.programID, secret: "wrong")) { fixture in
            #expect(await fixture.client.verify() == .invalidCredentials)
        }
        try await SandboxFixture.run(["--credits", "0"]) { fixture in
            #expect(await fixture.client.verify() == .outOfCredits)
        }
    }

    @Test func verifyReportsAClosedPortAsUnreachable() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        for credentials in [LeadspaceCredentials.token("t"), Self.oauth] {
            let client = LeadspaceClient(baseURL: "http://127.0.0.1:9", credentials: credentials, httpClient: httpClient,
                                         logger: .init(label: "test"))
            let result = await client.verify(timeout: .seconds(2))
            guard case .unreachable = result else { Issue.record("\(credentials): expected unreachable, got \(result)"); continue }
        }
        try await httpClient.shutdown()
    }

    @Test func enrichctlConnectionVerifyPrintsOneLineAndExitsWithTheOutcomesCode() async throws {
        let sandbox = try SandboxServer(["--companies", "500", "--token", SandboxFixture.token,
                                         "--oauth-program", SandboxFixture.programID,
                                         "--oauth-secret", SandboxFixture.secret])
        defer { sandbox.stop() }
        let spent = try SandboxServer(["--companies", "500", "--credits", "0"])
        defer { spent.stop() }
        let directory = try TemporaryDirectory("enrichctl-verify")
        defer { directory.remove() }
        let good = try directory.write("good.token", SandboxFixture.token + "\n", mode: 0o600)
        let bad = try directory.write("bad.token", "revoked\n", mode: 0o600)
        let secret = try directory.write("program.secret", SandboxFixture.secret, mode: 0o600)
        let config = try directory.write("enrichd.json", """
            {"spool": "\(directory.file("spool"))", "connections": {
              "default": {"baseURL": "\(sandbox.baseURL)", "tokenFile": "\(good)"},
              "oauth": {"baseURL": "\(sandbox.baseURL)", "programId": "\(SandboxFixture.programID)", "secretFile": "\(secret)"},
              "revoked": {"baseURL": "\(sandbox.baseURL)", "tokenFile": "\(bad)"},
              "spent": {"baseURL": "\(spent.baseURL)", "tokenFile": "\(good)"},
              "down": {"baseURL": "http://127.0.0.1:9", "tokenFile": "\(good)", "requestTimeoutMs": 2000},
              "service": {"baseURL": "\(sandbox.baseURL)", "tokenCredential": "leadspace-token"}
            }}
            """)
        let cases: [(name: String, status: Int32, prefix: String)] = [
            ("default", 0, "default: OK — Leadspace accepted the token"),
            ("oauth", 0, "oauth: OK — Leadspace accepted the OAuth program"),
            ("revoked", 2, "revoked: invalid token — Leadspace answered 401"),
            ("spent", 3, "spent: out of credits — Leadspace answered 427"),
            ("down", 4, "down: unreachable — "),
        ]
        for (name, status, prefix) in cases {
            let result = try ChildProcess.run(BuiltProducts.enrichctl, ["connection", "verify", "--config", config, name])
            #expect(result.status == status, "\(name): \(result.stdout) \(result.stderr)")
            #expect(result.stdout.hasPrefix(prefix), "\(name): \(result.stdout)")
            #expect(result.stdout.split(separator: "\n").count == 1, "\(name): one line: \(result.stdout)")
            #expect(!result.stdout.contains(SandboxFixture.token) && !result.stdout.contains(SandboxFixture.secret))
        }
        let unknown = try ChildProcess.run(BuiltProducts.enrichctl, ["connection", "verify", "--config", config, "nope"])
        // Naming a connection the configuration does not have is a configuration error (EX_CONFIG).
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("no connection \"nope\""))

        // A token the unit passes as a systemd credential: a shell does not see it, and is told how to check it.
        let outside = ["CREDENTIALS_DIRECTORY": ""]
        let hidden = try ChildProcess.run(BuiltProducts.enrichctl, ["connection", "verify", "--config", config, "service"],
                                          environment: outside)
        #expect(hidden.status == 1)
        #expect(hidden.stdout.contains("--credential leadspace-token=PATH"), "\(hidden.stdout)")
        let given = try ChildProcess.run(BuiltProducts.enrichctl, ["connection", "verify", "--config", config, "service",
                                                                   "--credential", "leadspace-token=\(good)"],
                                         environment: outside)
        #expect(given.status == 0 && given.stdout.hasPrefix("service: OK"), "\(given.stdout) \(given.stderr)")
        // Under the service, $CREDENTIALS_DIRECTORY holds it.
        let credentials = try directory.write("credentials/leadspace-token", SandboxFixture.token, mode: 0o400)
        let service = try ChildProcess.run(BuiltProducts.enrichctl, ["connection", "verify", "--config", config, "service"],
                                           environment: ["CREDENTIALS_DIRECTORY": (credentials as NSString).deletingLastPathComponent])
        #expect(service.status == 0 && service.stdout.hasPrefix("service: OK"), "\(service.stdout) \(service.stderr)")

        // enrichd --check-config from a shell: the OAuth connection's secret and every token file are checked;
        // the credential only the service sees is named as not checked, and the configuration passes.
        let check = try ChildProcess.run(BuiltProducts.enrichd, ["--check-config", "--config", config], environment: outside)
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("connection \"service\": systemd credential \"leadspace-token\" not checked"), "\(check.stdout)")
        try directory.write("program.secret", SandboxFixture.secret, mode: 0o644)
        let exposed = try ChildProcess.run(BuiltProducts.enrichd, ["--check-config", "--config", config], environment: outside)
        #expect(exposed.status == 78 && exposed.stderr.contains("chmod 600 \(secret)"), "\(exposed.stdout) \(exposed.stderr)")
    }
}
