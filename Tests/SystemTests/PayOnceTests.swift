import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// Pay once: dedup within a job, the persistent cache across jobs, and the cost preview.
@Suite struct PayOnceTests {
    @Test func aJobBillsItsDistinctKeysAndARerunBillsNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 9, companies: 1500,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        try world.sample(accounts: 800)
        let job = try world.write("bundle/job.json", """
            {"name": "Pay once", "outputTable": "PayOnce", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """)
        try world.configure(ratePerSecond: 500, members: #""cache": {"path": "\#(world.file("state/cache.sqlite"))"}"#)
        let config = world.configurationPath
        func estimate() throws -> [String: Int] {
            let run = try ChildProcess.run(BuiltProducts.enrichctl, ["estimate", "--config", config, "--json",
                                                                     job])
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]).compactMapValues { $0 as? Int }
        }
        func run(_ id: String) throws -> [String: Any] {
            let submit = try ChildProcess.run(BuiltProducts.enrichctl, ["submit", "--config", config, "--id", id, job])
            #expect(submit.status == 0, "\(submit.stderr)")
            #expect(try SpoolWaiter.wait(for: id, in: layout, timeout: 120) == .done)
            return try world.result(id)
        }

        // The preview spends nothing and names what a first run will pay.
        let before = try estimate()
        #expect(try sandbox.recordsBilled() == 0)
        #expect(before["cacheHits"] == 0 && before["lookupsToPay"] == before["distinctKeys"])
        #expect(before["savedByDedup"]! > 0, "the sample repeats companies under other spellings")

        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let first = try run("first")
        let firstLookups = try #require(first["lookups"] as? [String: Int])
        #expect(firstLookups["distinctKeys"] == before["distinctKeys"])
        #expect(try sandbox.recordsBilled() == before["distinctKeys"], "one paid lookup per distinct key")

        // Inside the freshness window a rerun pays nothing: every answer comes from the cache.
        let after = try estimate()
        #expect(after["cacheHits"] == before["distinctKeys"] && after["lookupsToPay"] == 0)
        let second = try run("second")
        #expect(try sandbox.recordsBilled() == before["distinctKeys"])
        let secondLookups = try #require(second["lookups"] as? [String: Int])
        #expect(secondLookups["cacheHits"] == before["distinctKeys"] && secondLookups["sent"] == 0)
        let firstRows = try CSVFile(path: layout.done("first") + "/PayOnce.csv").rows
        let secondRows = try CSVFile(path: layout.done("second") + "/PayOnce.csv").rows
        #expect(secondRows.filter { $0["EnrichmentStatus"] == "Enriched" || $0["EnrichmentStatus"] == "NotEnriched" }
            .allSatisfy { $0["Source"] == "cache" })
        #expect(firstRows.map { $0["LeadspaceCompanyId"]! } == secondRows.map { $0["LeadspaceCompanyId"]! })

        let stats = try ChildProcess.run(BuiltProducts.enrichctl, ["cache", "stats", "--config", config, "--json"])
        let cache = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(cache["entries"] as? Int == before["distinctKeys"])
        let purge = try ChildProcess.run(BuiltProducts.enrichctl, ["cache", "purge", "--config", config])
        #expect(purge.stdout.contains("removed \(before["distinctKeys"]!) entries"))
    }

    @Test func concurrentJobsSharingCompaniesPayEachKeyOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 4, companies: 1500,
                                    sandboxOptions: ["--rate", "300", "--latency-ms", "20", "--latency-jitter-ms", "10"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let data = try world.sample(accounts: 600, into: "data")
        // Both jobs wait in incoming/ before the daemon starts, so they run side by side.
        for id in ["left", "right"] {
            try world.write("jobs/\(id)/job.json", """
                {"name": "\(id)", "outputTable": "\(id.capitalized)", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
                 "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
                """)
            try FileManager.default.copyItem(atPath: data + "/accounts.csv", toPath: world.file("jobs/\(id)/accounts.csv"))
            #expect(rename(world.file("jobs/\(id)"), layout.path("incoming", id)) == 0)
        }
        try world.configure(ratePerSecond: 300, maxActiveJobs: 4)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        for id in ["left", "right"] {
            #expect(try SpoolWaiter.wait(for: id, in: layout, timeout: 120) == .done, "\(daemon.logTail())")
        }
        let distinct = try #require((try world.result("left")["lookups"] as? [String: Int])?["distinctKeys"])
        let billed = try sandbox.recordsBilled()
        #expect(billed == distinct, "each shared key paid once across both jobs: billed \(billed), distinct \(distinct)")
        let left = try CSVFile(path: layout.done("left") + "/Left.csv").rows.map { $0["LeadspaceCompanyId"]! }
        let right = try CSVFile(path: layout.done("right") + "/Right.csv").rows.map { $0["LeadspaceCompanyId"]! }
        #expect(left == right)
    }
}
