import EnrichdTestSupport
import Formats
import Jobs
import Foundation
import Spool
import Testing

/// Every row explained and nothing paid for that is no company: placeholders are never sent, incomplete rows
/// share their complete twin's lookup (in the job, and from the cache in a later job), and `Paid` sums to what
/// Leadspace billed.
@Suite struct RowsExplainedTests {
    static let placeholders = ["N/A", "Unknown", "test", "Freelance", "NULL", "Self-employed", "-", ".", "???", "Inc",
                               "unbekannt", "n.v.t."]

    @Test func placeholdersAreNeverSentTwinsShareALookupAndPaidSumsToTheBill() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 21, companies: 1200,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1"])
        defer { world.stop() }
        let sandbox = world.sandbox, layout = world.layout
        let sample = try world.sample(accounts: 400, into: "data")
        let accounts = try CSVFile(path: sample + "/accounts.csv")
        func query(_ row: [String: String], website: Bool = true) -> CompanyQuery {
            CompanyQuery(name: row["Name"]!, website: website ? row["Website"] : nil, country: row["Country"])
        }
        // Twins: rows with a website and a country whose name and country lead to one full key in the file;
        // a copy of each without the website must share that row's lookup.
        var fullKeys: [String: Set<String>] = [:]
        for row in accounts.rows {
            let parts = try #require(CompanyKeyParts(key: query(row).matchKey))
            guard !parts.isIncomplete else { continue }
            fullKeys["\(parts.name)|\(parts.country)", default: []].insert(parts.key)
        }
        let sources = accounts.rows.filter { row in
            guard let parts = CompanyKeyParts(key: query(row).matchKey), !parts.isIncomplete, !MatchKey.isPlaceholder(row["Name"]!)
            else { return false }
            return fullKeys["\(parts.name)|\(parts.country)"]?.count == 1
        }.prefix(40)
        #expect(sources.count == 40)

        func csv(_ rows: [[String]]) -> String {
            rows.map { $0.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",") }
                .joined(separator: "\n") + "\n"
        }
        let columns = ["CustomerId", "Name", "Website", "Country"]
        let base = accounts.rows.map { row in columns.map { row[$0] ?? "" } }
        let twins = sources.map { ["twin-" + $0["CustomerId"]!, $0["Name"]!, "", $0["Country"]!] }
        let placeholderRows = Self.placeholders.enumerated().map { ["ph-\($0.offset)", $0.element, "https://example.org", "US"] }
        let jobText = { (file: String) in """
            {"name": "Explained", "outputTable": "Explained", "customers": {"file": "\(file)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
            """ }
        try world.write("base/accounts.csv", csv([columns] + base))
        let baseJob = try world.write("base/job.json", jobText("accounts.csv"))
        try world.write("full/accounts.csv", csv([columns] + base + twins + placeholderRows))
        let fullJob = try world.write("full/job.json", jobText("accounts.csv"))
        try world.write("later/accounts.csv", csv([columns] + twins))
        let laterJob = try world.write("later/job.json", jobText("accounts.csv"))
        try world.configure(ratePerSecond: 500, members: #""cache": {"path": "\#(world.file("state/cache.sqlite"))"}"#)

        func estimate(_ job: String) throws -> [String: Int] {
            let run = try ChildProcess.run(BuiltProducts.enrichctl, ["estimate", "--config", world.configurationPath,
                                                                     "--json", job])
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]).compactMapValues { $0 as? Int }
        }
        // Twins and placeholders add no lookup to the file without them.
        let baseDistinct = try #require(try estimate(baseJob)["distinctKeys"])
        let full = try estimate(fullJob)
        #expect(full["distinctKeys"] == baseDistinct)
        #expect(full["placeholders"] == Self.placeholders.count)
        #expect(full["savedByIncompleteTwins"] ?? 0 >= twins.count)

        // `estimate --keys`: one line per row, twins on their source's key, placeholders with none and a reason.
        let keysRun = try ChildProcess.run(BuiltProducts.enrichctl, ["estimate", "--config", world.configurationPath,
                                                                     "--keys", fullJob])
        #expect(keysRun.status == 0, "\(keysRun.stderr)")
        var keyOf: [String: String] = [:]
        var reasonOf: [String: String] = [:]
        for line in keysRun.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 3 || fields.count == 4, "\(line)")
            #expect(fields[1] == "primary")
            keyOf[fields[0]] = fields[2]
            if fields.count == 4 { reasonOf[fields[0]] = fields[3] }
        }
        #expect(keyOf.count == base.count + twins.count + placeholderRows.count)
        for source in sources {
            #expect(keyOf["twin-" + source["CustomerId"]!] == keyOf[source["CustomerId"]!])
        }
        for row in placeholderRows {
            #expect(keyOf[row[0]] == "" && reasonOf[row[0]] == "placeholder name")
        }

        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        try world.submit(fullJob, id: "full")
        #expect(try SpoolWaiter.wait(for: "full", in: layout, timeout: 120) == .done, "\(daemon.logTail())")
        let billed = try sandbox.recordsBilled()
        #expect(billed == baseDistinct, "placeholders and twins were paid: billed \(billed) for \(baseDistinct)")
        let output = try CSVFile(path: layout.done("full") + "/Explained.csv")
        #expect(output.header.contains("Reason") && output.header.contains("Paid"))
        #expect(output.rows.filter { $0["Paid"] == "true" }.count == billed, "Paid sums to what was billed")
        #expect(output.rows.allSatisfy { $0["Paid"] == "true" || $0["Paid"] == "false" })
        let byID = Dictionary(uniqueKeysWithValues: output.rows.map { ($0["CustomerId"]!, $0) })
        for row in placeholderRows {
            let out = try #require(byID[row[0]])
            #expect(out["EnrichmentStatus"] == "InvalidInput" && out["Reason"] == "placeholder name" && out["Paid"] == "false",
                    "\(out)")
        }
        for source in sources {
            let twin = try #require(byID["twin-" + source["CustomerId"]!]), original = try #require(byID[source["CustomerId"]!])
            #expect(twin["Paid"] == "false" && twin["LeadspaceCompanyId"] == original["LeadspaceCompanyId"]
                    && twin["EnrichmentStatus"] == original["EnrichmentStatus"])
        }
        for row in output.rows {
            switch row["EnrichmentStatus"] {
            case "Enriched": #expect(row["Reason"] == "")
            case "NotEnriched": #expect(row["Reason"] == "no match")
            default: #expect(row["Reason"]?.isEmpty == false)
            }
        }
        let result = try world.result("full")
        let lookups = try #require(result["lookups"] as? [String: Int])
        #expect(lookups["savedByIncompleteTwins"] ?? 0 >= twins.count)
        #expect((result["customers"] as? [String: Any])?["placeholders"] as? Int == Self.placeholders.count)

        // A later job of the twins alone: each joins its full key through the cache and pays nothing.
        try world.submit(laterJob, id: "later")
        #expect(try SpoolWaiter.wait(for: "later", in: layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try sandbox.recordsBilled() == billed, "the twins were paid again in a later job")
        let later = try CSVFile(path: layout.done("later") + "/Explained.csv")
        #expect(later.rows.count == twins.count)
        for row in later.rows {
            let original = try #require(byID[String(row["CustomerId"]!.dropFirst("twin-".count))])
            #expect(row["Source"] == "cache" && row["Paid"] == "false" && row["LeadspaceCompanyId"] == original["LeadspaceCompanyId"],
                    "\(row)")
        }
    }
}
