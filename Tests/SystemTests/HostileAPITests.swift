import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// The scheduler against the sandbox's fault modes: 5xx, timeouts, 429 bursts, and spent credits.
@Suite struct HostileAPITests {
    /// A sandbox with `sandboxOptions`, a sample job of `accounts` accounts (`bundle/job.json`) and a connection
    /// at `rate` per second with a 1 s request timeout and fast retries.
    func world(in directory: TemporaryDirectory, sandboxOptions: [String], accounts: Int, rate: Int,
               connectionMembers: String = "") throws -> SystemWorld {
        let world = try SystemWorld(in: directory, seed: 5, companies: 2000, sandboxOptions: sandboxOptions)
        try world.sample(accounts: accounts)
        try world.write("bundle/job.json", """
            {"name": "Hostile", "outputTable": "Hostile",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """)
        try world.configure(ratePerSecond: rate,
                            connectionMembers: #""requestTimeoutMs": 1000"# + connectionMembers,
                            members: #""retry": {"maxAttempts": 8, "baseDelayMs": 50, "maxDelayMs": 2000}"#)
        return world
    }

    @Test func aJobCompletesThroughFaultsWithoutARetryStorm() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The sandbox allows 45/s while the connection is configured for 60/s: 429 bursts until the scheduler
        // slows down. 10% 5xx and 5% timeouts (held past the 1 s request deadline).
        let world = try self.world(in: directory,
                                   sandboxOptions: ["--rate", "45", "--latency-ms", "5", "--latency-jitter-ms", "3",
                                                    "--fail-rate", "0.10", "--timeout-rate", "0.05",
                                                    "--timeout-hold-seconds", "3"],
                                   accounts: 500, rate: 60)
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        try world.submit(world.file("bundle/job.json"), id: "hostile")
        #expect(try SpoolWaiter.wait(for: "hostile", in: layout, timeout: 300) == .done, "\(daemon.logTail())")

        let input = try CSVFile(path: world.file("bundle/accounts.csv"))
        let output = try CSVFile(path: layout.done("hostile") + "/Hostile.csv")
        // Every record accounted for, in order, with a final status.
        #expect(output.rows.map { $0["CustomerId"]! } == input.rows.map { $0["CustomerId"]! })
        #expect(output.rows.allSatisfy { ["Enriched", "NotEnriched", "InvalidInput", "Error"].contains($0["EnrichmentStatus"]!) })
        let lookups = try #require(try world.result("hostile")["lookups"] as? [String: Int])
        let distinct = try #require(lookups["distinctKeys"])
        let stats = try sandbox.stats()
        let requests = try #require((stats["requests"] as? [String: Int])?["single"])
        let byStatus = stats["byStatus"] as? [String: Int] ?? [:]
        #expect((byStatus["500"] ?? 0) + (byStatus["502"] ?? 0) + (byStatus["503"] ?? 0) > 0, "faults were injected")
        #expect((lookups["retries"] ?? 0) > 0)
        // No retry storm: all requests, including retried and rate-limited ones, stay under 1.3 × distinct lookups.
        #expect(Double(requests) < 1.3 * Double(distinct), "requests \(requests), distinct \(distinct), \(byStatus)")
        #expect(!daemon.log.contains(world.tokens[0]))
        // The 429s were told once per rate cut, with the status as a field (HTTP_STATUS= in the journal).
        let cuts = daemon.log.split(separator: "\n").filter { $0.contains("rate limiting this connection (HTTP 429)") }
        #expect(!cuts.isEmpty && cuts.allSatisfy { $0.contains("http_status=429") }, "\(daemon.logTail())")
        #expect(cuts.count < (byStatus["429"] ?? 0) || (byStatus["429"] ?? 0) <= 1, "not one line per 429")
    }

    @Test func spentCreditsPauseTheConnectionUntilAProbeSucceeds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try self.world(in: directory, sandboxOptions: ["--rate", "200", "--latency-ms", "2", "--credits", "50"],
                                   accounts: 200, rate: 200, connectionMembers: #", "probeIntervalSeconds": 1"#)
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let listener = daemon.notifications
        try world.submit(world.file("bundle/job.json"), id: "credits")
        // Paused, visibly: STATUS= says why.
        let paused = listener.next(until: { $0.contains("STATUS=paused: Leadspace credits exhausted") }, timeout: 60)
        #expect(paused != nil, "\(daemon.logTail())")
        // Pausing does not burn requests: while paused, only one probe a second reaches the sandbox.
        let billedWhilePaused = try sandbox.recordsBilled()
        #expect(billedWhilePaused == 50)
        let status = try ChildProcess.run(BuiltProducts.enrichctl, ["status", "--spool", layout.root, "--json"])
        #expect(status.stdout.contains("credits exhausted") || status.stdout.contains("paused"), "\(status.stdout)")
        // Credits come back: the next probe succeeds and the job completes.
        try sandbox.post("/sandbox/credits", json: #"{"credits": null}"#)
        #expect(try SpoolWaiter.wait(for: "credits", in: layout, timeout: 120) == .done, "\(daemon.logTail())")
        let output = try CSVFile(path: layout.done("credits") + "/Hostile.csv")
        #expect(!output.rows.contains { $0["EnrichmentStatus"] == "Error" })
        #expect(daemon.log.contains("connection resumed"))
        #expect(daemon.log.split(separator: "\n").contains { $0.contains("connection paused") && $0.contains("http_status=427") },
                "\(daemon.logTail())")
    }

    /// `enrichd --once` (a batch run, e.g. from a timer) does not wait for credits: when the connection pauses it
    /// stops like a SIGTERM, exits 75 (EX_TEMPFAIL) with the job in active/ and its paid answers recorded, and the
    /// next run finishes the job without paying for them again.
    @Test func oncePausedStopsWithExitStatus75AndTheNextRunFinishes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try self.world(in: directory, sandboxOptions: ["--rate", "200", "--latency-ms", "2", "--credits", "40"],
                                   accounts: 200, rate: 200)
        defer { world.stop() }
        let (sandbox, layout) = (world.sandbox, world.layout)
        try world.submit(world.file("bundle/job.json"), id: "batch")
        let first = try ChildProcess(BuiltProducts.enrichd, ["--config", world.configurationPath, "--once"])
        let status = first.wait(timeout: 60)
        if status == nil { first.signal(SIGKILL); first.wait() }
        #expect(status == 75, "still waiting for credits after 60 s? \(first.standardError())")
        #expect(first.standardError().contains("--once: a connection paused, stopping"), "\(first.standardError())")
        #expect(FileManager.default.fileExists(atPath: layout.active("batch") + "/job.json"))
        let billed = try sandbox.recordsBilled()
        #expect(billed == 40)
        #expect(LedgerFile.lineCount(layout.active("batch") + "/answers.jsonl") == billed, "every paid answer recorded")

        try sandbox.post("/sandbox/credits", json: #"{"credits": null}"#)
        let second = try ChildProcess.run(BuiltProducts.enrichd, ["--config", world.configurationPath, "--once"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: layout.done("batch") + "/result.json"))
        let distinct = try #require((try world.result("batch")["lookups"] as? [String: Int])?["distinctKeys"])
        #expect(try sandbox.recordsBilled() == distinct, "nothing paid twice across the two runs")
    }
}
