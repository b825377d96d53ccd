import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// `apiMode: bulk`: lookups travel in bulk calls of up to 500, results matched back by external_id; records the
/// service could not process (1100) are retried on their own.
@Suite struct BulkModeTests {
    @Test func aBulkJobMatchesAnswersBackAndRetriesFailedRecordsAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 8, companies: 3000,
                                    sandboxOptions: ["--rate", "50", "--latency-ms", "2", "--bulk-delay-ms", "100",
                                                     "--fail-rate", "0.02"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        try world.sample(accounts: 1300)
        let truth = try world.export()
        try world.write("bundle/job.json", """
            {"name": "Bulk", "outputTable": "Bulk", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """)
        try world.configure(ratePerSecond: 50, connectionMembers: #""apiMode": "bulk""#,
                            members: #""retry": {"baseDelayMs": 50, "maxDelayMs": 500}"#)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        try world.submit(world.file("bundle/job.json"), id: "bulk")
        #expect(try SpoolWaiter.wait(for: "bulk", in: layout, timeout: 180) == .done, "\(daemon.logTail())")

        let input = try CSVFile(path: world.file("bundle/accounts.csv"))
        let output = try CSVFile(path: layout.done("bulk") + "/Bulk.csv")
        let companies = Dictionary(uniqueKeysWithValues: try CSVFile(path: truth).rows
            .map { ($0["CompanyId"]!, $0) })
        #expect(output.rows.map { $0["CustomerId"]! } == input.rows.map { $0["CustomerId"]! })
        var enriched = 0
        for row in output.rows where row["EnrichmentStatus"] == "Enriched" {
            enriched += 1
            let company = try #require(companies[row["LeadspaceCompanyId"]!])
            #expect(row["CompanyName"] == company["Name"] && row["Country"] == company["Country"])
        }
        #expect(enriched > input.rows.count / 2)
        #expect(!output.rows.contains { $0["EnrichmentStatus"] == "Error" })
        let lookups = try #require(try world.result("bulk")["lookups"] as? [String: Int])
        let distinct = try #require(lookups["distinctKeys"])
        #expect(lookups["bulkCalls"] == (distinct + 499) / 500)
        let stats = try sandbox.stats()
        let requests = try #require(stats["requests"] as? [String: Int])
        #expect(requests["bulk"] == (distinct + 499) / 500)
        // Records the service failed inside a bulk call (1100) were retried alone, as single enrichments.
        #expect((requests["single"] ?? 0) > 0 && (requests["single"] ?? 0) < distinct / 10)
    }

    /// A sandbox whose bulk results take `bulkDelayMs`, a job of 1,200 distinct companies (`bundle/job.json`)
    /// and a bulk-mode configuration, for the tests of accepted calls.
    static func pollingWorld(in directory: TemporaryDirectory, name: String, bulkDelayMs: Int,
                             maxInFlight: Int = 16) throws -> SystemWorld {
        let world = try SystemWorld(in: directory, seed: 9, companies: 3000,
                                    sandboxOptions: ["--rate", "50", "--latency-ms", "2", "--bulk-delay-ms", "\(bulkDelayMs)"])
        var accounts = "CustomerId,Name,Website,Country\n"
        for index in 0..<1_200 { accounts += "C\(index),\(name) Works \(index) Ltd,\(name.lowercased())\(index).example,US\n" }
        try world.write("bundle/accounts.csv", accounts)
        try world.write("bundle/job.json", """
            {"name": "\(name)", "outputTable": "\(name)", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """)
        try world.configure(ratePerSecond: 50, maxInFlight: maxInFlight, connectionMembers: #""apiMode": "bulk""#)
        return world
    }

    /// A bulk call gives its request slot back once Leadspace accepted it: with `maxInFlight: 1`, all three calls
    /// of a job are accepted before the first results are ready. A SIGTERM while their results are still being
    /// polled for waits for them (they are paid) and records them; the restarted daemon pays nothing again.
    @Test func acceptedBulkCallsPollOutsideTheSlotAndAShutdownWaitsForThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try Self.pollingWorld(in: directory, name: "Polling", bulkDelayMs: 2500, maxInFlight: 1)
        defer { world.stop() }
        let (sandbox, layout) = (world.sandbox, world.layout)
        let first = try world.startDaemon()
        defer { first.stop() }
        try world.submit(world.file("bundle/job.json"), id: "polling")

        // Watch the sandbox until all three calls are in (the daemon says nothing per call).
        var stats: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(60)
        repeat {
            stats = try sandbox.stats()
            if (stats["requests"] as? [String: Int])?["bulk"] == 3 { break }
            usleep(20_000)  // polling the sandbox's counters, not a synchronisation by sleep
        } while Date() < deadline
        #expect((stats["requests"] as? [String: Int])?["bulk"] == 3, "\(stats)\n\(first.logTail())")
        // No results were ready yet (2.5 s): the second and third calls did not wait for the first one's.
        #expect((stats["byStatus"] as? [String: Int])?["200"] == nil, "\(stats)")

        first.child.signal(SIGTERM)
        #expect(first.child.wait() == 0, "\(first.logTail())")
        let ledger = try String(contentsOfFile: layout.active("polling") + "/answers.jsonl", encoding: .utf8)
        #expect(ledger.split(separator: "\n").filter { $0.hasPrefix("{\"k\":") }.count == 1_200,
                "the drain recorded every polled answer")

        let second = try world.startDaemon()
        defer { second.stop() }
        #expect(try SpoolWaiter.wait(for: "polling", in: layout, timeout: 120) == .done, "\(second.logTail())")
        let after = try sandbox.stats()
        #expect((after["requests"] as? [String: Int])?["bulk"] == 3, "nothing sent again: \(after)")
        #expect(after["recordsBilled"] as? Int == 1_200)
    }

    /// kill -9 while accepted bulk calls are still processing: their polling paths are in the ledger, so the
    /// restarted daemon fetches their results instead of sending (and paying for) the records again.
    @Test func aCrashWhileBulkResultsArePendingPaysNothingAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try Self.pollingWorld(in: directory, name: "Crash", bulkDelayMs: 3000)
        defer { world.stop() }
        let (sandbox, layout) = (world.sandbox, world.layout)
        let first = try world.startDaemon()
        defer { first.stop() }
        try world.submit(world.file("bundle/job.json"), id: "crash")

        // Wait until the ledger holds the three accepted calls (watching the file: the daemon says nothing).
        let ledgerPath = layout.active("crash") + "/answers.jsonl"
        func bulkLines() -> Int {
            let text = (try? String(contentsOfFile: ledgerPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.hasPrefix("{\"b\":") }.count
        }
        let deadline = Date().addingTimeInterval(60)
        while bulkLines() < 3 && Date() < deadline { usleep(20_000) }  // polling a file, not synchronising by sleep
        try #require(bulkLines() == 3, "\(first.logTail())")
        let stats = try sandbox.stats()
        #expect((stats["byStatus"] as? [String: Int])?["200"] == nil, "the results were not ready yet: \(stats)")

        first.kill9()

        let second = try world.startDaemon()
        defer { second.stop() }
        #expect(try SpoolWaiter.wait(for: "crash", in: layout, timeout: 120) == .done, "\(second.logTail())")
        let after = try sandbox.stats()
        #expect((after["requests"] as? [String: Int])?["bulk"] == 3, "no bulk call sent again: \(after)")
        #expect(after["recordsBilled"] as? Int == 1_200)
        let output = try CSVFile(path: layout.done("crash") + "/Crash.csv")
        #expect(output.rows.count == 1_200)
        #expect(!output.rows.contains { $0["EnrichmentStatus"] == "Error" })
        #expect(second.log.contains("fetching the results of a bulk call accepted before the restart"))
    }
}
