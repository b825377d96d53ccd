import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// The scheduler against the sandbox's fault modes: 5xx, timeouts, 429 bursts, and spent credits.
@Suite struct HostileAPITests {
    static let token = "hostile-token-\(UUID().uuidString)"

    func setUp(_ directory: TemporaryDirectory, sandbox: SandboxServer, accounts: Int, rate: Int,
               extra: String = "") throws -> SpoolLayout {
        let sample = try ChildProcess.run(BuiltProducts.sandbox, ["sample", "--seed", "5", "--companies", "2000",
                                                                   "--accounts", "\(accounts)", "--contacts", "0",
                                                                   "--out", directory.file("bundle")])
        #expect(sample.status == 0, "\(sample.stderr)")
        try directory.write("bundle/job.json", """
            {"name": "Hostile", "outputTable": "Hostile",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """)
        try directory.write("token", Self.token, mode: 0o600)
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        try directory.write("enrichd.json", """
            {"spool": "\(layout.root)",
             "retry": {"maxAttempts": 8, "baseDelayMs": 50, "maxDelayMs": 2000},
             "connections": {"default": {"baseURL": "\(sandbox.baseURL)", "dataSharingConsent": true,
                                         "tokenFile": "\(directory.file("token"))", "ratePerSecond": \(rate),
                                         "maxInFlight": 16, "requestTimeoutMs": 1000\(extra)}}}
            """)
        return layout
    }

    @Test func aJobCompletesThroughFaultsWithoutARetryStorm() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The sandbox allows 45/s while the connection is configured for 60/s: 429 bursts until the scheduler
        // slows down. 10% 5xx and 5% timeouts (held past the 1 s request deadline).
        let sandbox = try SandboxServer(["--seed", "5", "--companies", "2000", "--token", Self.token, "--rate", "45",
                                         "--latency-ms", "5", "--latency-jitter-ms", "3", "--fail-rate", "0.10",
                                         "--timeout-rate", "0.05", "--timeout-hold-seconds", "3"])
        defer { sandbox.stop() }
        let layout = try self.setUp(directory, sandbox: sandbox, accounts: 500, rate: 60)
        let daemon = try ChildProcess(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json")])
        defer { daemon.terminate() }
        let submit = try ChildProcess.run(BuiltProducts.enrichctl, ["submit", "--spool", layout.root, "--id", "hostile",
                                                                    directory.file("bundle/job.json")])
        #expect(submit.status == 0)
        #expect(try SpoolWaiter.wait(for: "hostile", in: layout, timeout: 300) == .done, "\(daemon.standardError())")

        let input = try CSVFile(path: directory.file("bundle/accounts.csv"))
        let output = try CSVFile(path: layout.done("hostile") + "/Hostile.csv")
        // Every record accounted for, in order, with a final status.
        #expect(output.rows.map { $0["CustomerId"]! } == input.rows.map { $0["CustomerId"]! })
        #expect(output.rows.allSatisfy { ["Enriched", "NotEnriched", "InvalidInput", "Error"].contains($0["EnrichmentStatus"]!) })
        let resultData = try #require(FileManager.default.contents(atPath: layout.done("hostile") + "/result.json"))
        let result = try #require(try JSONSerialization.jsonObject(with: resultData) as? [String: Any])
        let lookups = try #require(result["lookups"] as? [String: Int])
        let distinct = try #require(lookups["distinctKeys"])
        let stats = try sandbox.stats()
        let requests = try #require((stats["requests"] as? [String: Int])?["single"])
        let byStatus = stats["byStatus"] as? [String: Int] ?? [:]
        #expect((byStatus["500"] ?? 0) + (byStatus["502"] ?? 0) + (byStatus["503"] ?? 0) > 0, "faults were injected")
        #expect((lookups["retries"] ?? 0) > 0)
        // No retry storm: all requests, including retried and rate-limited ones, stay under 1.3 × distinct lookups.
        #expect(Double(requests) < 1.3 * Double(distinct), "requests \(requests), distinct \(distinct), \(byStatus)")
        #expect(!daemon.standardError().contains(Self.token))
    }

    @Test func spentCreditsPauseTheConnectionUntilAProbeSucceeds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sandbox = try SandboxServer(["--seed", "5", "--companies", "2000", "--token", Self.token, "--rate", "200",
                                         "--latency-ms", "2", "--credits", "50"])
        defer { sandbox.stop() }
        let layout = try self.setUp(directory, sandbox: sandbox, accounts: 200, rate: 200,
                                    extra: ", \"probeIntervalSeconds\": 1")
        // Read continuously, as systemd does: an unread socket would fill up and block the daemon's sd_notify.
        let listener = try NotifyRecorder(path: directory.file("notify.sock"))
        let daemon = try ChildProcess(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json")],
                                      environment: ["NOTIFY_SOCKET": listener.path])
        defer { daemon.terminate() }
        #expect(listener.next(until: { $0.contains("READY=1") }, timeout: 60) != nil)
        let submit = try ChildProcess.run(BuiltProducts.enrichctl, ["submit", "--spool", layout.root, "--id", "credits",
                                                                    directory.file("bundle/job.json")])
        #expect(submit.status == 0)
        // Paused, visibly: STATUS= says why.
        let paused = listener.next(until: { $0.contains("STATUS=paused: Leadspace credits exhausted") }, timeout: 60)
        #expect(paused != nil, "\(daemon.standardError())")
        // Pausing does not burn requests: while paused, only one probe a second reaches the sandbox.
        let billedWhilePaused = try sandbox.recordsBilled()
        #expect(billedWhilePaused == 50)
        let status = try ChildProcess.run(BuiltProducts.enrichctl, ["status", "--spool", layout.root, "--json"])
        #expect(status.stdout.contains("credits exhausted") || status.stdout.contains("paused"), "\(status.stdout)")
        // Credits come back: the next probe succeeds and the job completes.
        let refill = try ChildProcess.run("/usr/bin/curl", ["-sf", "-X", "POST", "-H", "Content-Type: application/json",
                                                            "-d", "{\"credits\": null}", sandbox.baseURL + "/sandbox/credits"])
        #expect(refill.status == 0, "\(refill.stderr)")
        #expect(try SpoolWaiter.wait(for: "credits", in: layout, timeout: 120) == .done, "\(daemon.standardError())")
        let output = try CSVFile(path: layout.done("credits") + "/Hostile.csv")
        #expect(!output.rows.contains { $0["EnrichmentStatus"] == "Error" })
        #expect(daemon.standardError().contains("connection resumed"))
    }
}
