import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// The walking skeleton end to end on real parts: the sandbox process over loopback HTTP, the daemon process
/// with a real notify socket, a real spool with inotify and renames, and enrichctl.
@Suite struct EndToEndTests {
    @Test func sampleJobComesBackEnrichedAndABadJobIsQuarantined() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 7, companies: 3000,
                                    sandboxOptions: ["--rate", "300", "--latency-ms", "2", "--latency-jitter-ms", "1"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let bundle = try world.sample(accounts: 2000, contacts: 100)
        let truth = try world.export()
        try SampleBundle.writeDescriptor(to: bundle, connection: "default")
        try world.configure(ratePerSecond: 300)

        // Read continuously, as systemd does: an unread socket would fill up and block the daemon's sd_notify.
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let listener = daemon.notifications
        #expect(daemon.startup.last?.contains("STATUS=idle, 0 queued") == true, "\(daemon.startup)")

        // A producer drops a malformed descriptor the Maildir way: write in tmp/, rename into incoming/.
        try Data("{\"name\": \"Broken\",\n \"outputTable\": 42}".utf8).write(to: URL(fileURLWithPath: layout.path("tmp", "broken.json")))
        #expect(rename(layout.path("tmp", "broken.json"), layout.path("incoming", "broken.json")) == 0)
        #expect(try SpoolWaiter.wait(for: "broken", in: layout, timeout: 60) == .failed)
        let errorJSON = try #require(FileManager.default.contents(atPath: layout.failed("broken") + "/error.json"))
        let error = try #require(try JSONSerialization.jsonObject(with: errorJSON) as? [String: Any])
        #expect(error["code"] as? String == "wrongType")
        #expect(error["line"] as? Int == 2)
        #expect(error["keyPath"] as? String == "outputTable")
        #expect(FileManager.default.fileExists(atPath: layout.failed("broken") + "/job.json"))

        // The daemon keeps serving: the real job goes through enrichctl submit.
        try world.submit(bundle + "/job.json", id: "good")
        #expect(try SpoolWaiter.wait(for: "good", in: layout, timeout: 300) == .done, "\(daemon.logTail())")

        try self.checkOutputs(done: layout.done("good"), bundle: bundle,
                              truth: (truth as NSString).deletingLastPathComponent, sandbox: sandbox)

        daemon.child.signal(SIGTERM)
        #expect(daemon.child.wait() == 0)
        let stopping = listener.next(until: { $0.contains("STOPPING=1") }, timeout: 30)
        #expect(stopping != nil)
        #expect(!daemon.log.contains(world.tokens[0]))
    }

    @Test(.enabled(if: getuid() == 0, "only root can be refused")) func theDaemonRefusesRootUnlessTold() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "t", mode: 0o600)
        try directory.write("enrichd.json", """
            {"spool": "\(directory.file("spool"))", "connections": {"default": {"baseURL": "http://127.0.0.1:9",
             "dataSharingConsent": true, "tokenFile": "\(directory.file("token"))"}}}
            """)
        let refused = try ChildProcess.run(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json"), "--once"],
                                           environment: ["ENRICHD_ALLOW_ROOT": "0"])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("refusing to run as root"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("spool")), "refused before touching anything")
        let allowed = try ChildProcess.run(BuiltProducts.enrichd, ["--config", directory.file("enrichd.json"), "--once",
                                                                   "--allow-root"], environment: ["ENRICHD_ALLOW_ROOT": "0"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    func checkOutputs(done: String, bundle: String, truth: String, sandbox: SandboxServer) throws {
        let input = try CSVFile(path: bundle + "/accounts.csv")
        let output = try CSVFile(path: done + "/LeadspaceAccounts.csv")
        let companies = try CSVFile(path: truth + "/directory.csv")
        let sampleTruth = try CSVFile(path: bundle + "/truth.csv")
        let directoryByID = Dictionary(uniqueKeysWithValues: companies.rows.map { ($0["CompanyId"]!, $0) })
        let truthByCustomer = Dictionary(uniqueKeysWithValues: sampleTruth.rows.map { ($0["CustomerId"]!, $0["CompanyId"]!) })

        #expect(output.header.first == "CustomerId" && output.header.last == "EnrichedAt")
        // Exactly one output row per input row, in input order.
        #expect(output.rows.map { $0["CustomerId"]! } == input.rows.map { $0["CustomerId"]! })
        #expect(Set(output.rows.map { $0["AddressType"]! }) == ["Primary"])

        var enriched = 0, highConfidence = 0
        for (row, source) in zip(output.rows, input.rows) {
            let name = source["Name"]!.trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                #expect(row["EnrichmentStatus"] == "InvalidInput", "row \(row)")
                continue
            }
            guard row["EnrichmentStatus"] == "Enriched" else {
                #expect(row["EnrichmentStatus"] == "NotEnriched", "row \(row)")
                #expect(row["LeadspaceCompanyId"] == "")
                continue
            }
            enriched += 1
            let company = try #require(directoryByID[row["LeadspaceCompanyId"]!], "unknown company in \(row)")
            // Enriched values are the directory's truth.
            #expect(row["CompanyName"] == company["Name"])
            #expect(row["Country"] == company["Country"])
            #expect(row["City"] == company["City"])
            #expect(row["Industry"] == company["Industry"])
            #expect(row["EmployeeRange"] == company["EmployeeRange"])
            #expect(row["RevenueRange"] == company["RevenueRange"])
            #expect(["High", "Medium", "Low", "VeryLow"].contains(row["MatchConfidence"]!))
            #expect(row["Source"] == "lookup")
            if row["MatchConfidence"] == "High", let expected = truthByCustomer[row["CustomerId"]!], !expected.isEmpty {
                highConfidence += 1
                #expect(row["LeadspaceCompanyId"] == expected, "high-confidence match of \(source) is wrong")
            }
        }
        #expect(enriched > output.rows.count / 2)
        #expect(highConfidence > 0)

        let resultData = try #require(FileManager.default.contents(atPath: done + "/result.json"))
        let result = try #require(try JSONSerialization.jsonObject(with: resultData) as? [String: Any])
        let customers = try #require(result["customers"] as? [String: Any])
        let lookups = try #require(result["lookups"] as? [String: Any])
        let count = { (key: String) in customers[key] as? Int ?? -1 }
        #expect(count("rows") == input.rows.count)
        #expect(count("inScope") == input.rows.count)
        #expect(count("enriched") == enriched)
        #expect(count("enriched") + count("notEnriched") + count("invalidInput") + count("errors") == output.rows.count)
        #expect(count("invalidInput") == output.rows.filter { $0["EnrichmentStatus"] == "InvalidInput" }.count)
        let byConfidence = try #require(customers["byConfidence"] as? [String: Int])
        #expect(byConfidence.values.reduce(0, +) == enriched)
        let distinct = lookups["distinctKeys"] as? Int ?? -1
        let withName = input.rows.filter { !$0["Name"]!.trimmingCharacters(in: .whitespaces).isEmpty }.count
        #expect(distinct + (lookups["savedByDedup"] as? Int ?? -1) == withName)
        #expect(distinct < withName, "the sample repeats companies, so dedup must save lookups")
        // Paid for exactly what was sent, and sent each distinct lookup once.
        #expect(lookups["sent"] as? Int == distinct)
        #expect(try sandbox.recordsBilled() == distinct)
        #expect(result["state"] as? String == "completedWithWarnings" || result["state"] as? String == "succeeded")
        let coverage = try #require(result["fieldCoverage"] as? [String: Int])
        #expect(coverage["CompanyName"] == enriched)
    }
}
