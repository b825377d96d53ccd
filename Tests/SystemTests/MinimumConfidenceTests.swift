import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// A job's `minimumConfidence` through the real daemon and sandbox (issue 18, point 3): the same rows run without
/// a floor say what the sandbox answered; with `"Medium"`, exactly the rows it answered with less are
/// `NotEnriched`, reason `below minimum confidence`, still with that confidence and still paid for (billing
/// does not change), and result.json counts them.
@Suite struct MinimumConfidenceTests {
    @Test func weakerAnswersAreNotEnrichedButPaidAndCounted() throws {
        let directory = try TemporaryDirectory("enrichd-confidence")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 61, companies: 1500,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let bundle = try world.sample(accounts: 400)
        try SampleBundle.writeDescriptor(to: bundle, connection: "default", outputTable: "Plain", file: "plain.json")
        let plain = try String(contentsOfFile: bundle + "/plain.json", encoding: .utf8)
        try plain.replacingOccurrences(of: #""outputTable": "Plain","#, with: #""outputTable": "Floor", "minimumConfidence": "medium","#)
            .write(toFile: bundle + "/floor.json", atomically: true, encoding: .utf8)
        try world.configure(ratePerSecond: 500)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }

        // The floor first, alone: it pays for its lookups itself.
        try world.submit(bundle + "/floor.json", id: "floor")
        #expect(try SpoolWaiter.wait(for: "floor", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        let billed = try world.sandbox.recordsBilled()
        try world.submit(bundle + "/plain.json", id: "plain")
        #expect(try SpoolWaiter.wait(for: "plain", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")

        let floor = try CSVFile(path: world.layout.done("floor") + "/Floor.csv")
        let reference = try CSVFile(path: world.layout.done("plain") + "/Plain.csv")
        #expect(floor.rows.count == reference.rows.count && floor.rows.count == 400)
        var below = 0, weakerSeen = Set<String>()
        for (row, answer) in zip(floor.rows, reference.rows) {
            #expect(row["CustomerId"] == answer["CustomerId"])
            #expect(row["MatchConfidence"] == answer["MatchConfidence"], "the confidence is the sandbox's")
            let weaker = answer["EnrichmentStatus"] == "Enriched" && !["High", "Medium"].contains(answer["MatchConfidence"] ?? "")
            if weaker {
                below += 1
                weakerSeen.insert(answer["MatchConfidence"] ?? "")
                #expect(row["EnrichmentStatus"] == "NotEnriched" && row["Reason"] == "below minimum confidence"
                            && (row["CompanyName"] ?? "").isEmpty, "\(row)")
            } else {
                #expect(row["EnrichmentStatus"] == answer["EnrichmentStatus"] && row["Reason"] == answer["Reason"], "\(row) vs \(answer)")
            }
        }
        #expect(below > 0 && weakerSeen.isSubset(of: ["Low", "VeryLow"]), "the sample must have weak answers: \(weakerSeen)")
        let result = try SpoolInspection.jsonObject(world.layout.done("floor") + "/result.json")
        let customers = try #require(result["customers"] as? [String: Any])
        #expect(customers["belowMinimumConfidence"] as? Int == below, "\(customers)")
        // Bought all the same: the rows carrying each lookup's cost still say so, and they add up to the bill.
        let paidRows = floor.rows.filter { $0["Paid"] == "true" }.count
        #expect(paidRows == billed && floor.rows.contains { $0["Reason"] == "below minimum confidence" && $0["Paid"] == "true" },
                "paid rows \(paidRows), billed \(billed)")
        let plainResult = try SpoolInspection.jsonObject(world.layout.done("plain") + "/result.json")
        #expect((plainResult["customers"] as? [String: Any])?["belowMinimumConfidence"] == nil)
    }

    @Test func anUnknownLevelIsRefusedWithItsKeyPath() throws {
        let directory = try TemporaryDirectory("enrichd-confidence")
        defer { directory.remove() }
        try directory.write("job.json", """
            {"name": "x", "outputTable": "X", "minimumConfidence": "VeryLow",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        try directory.write("accounts.csv", "CustomerId,Name\r\n1,Acme\r\n")
        let checked = try ChildProcess.run(BuiltProducts.enrichctl, ["validate", directory.file("job.json")])
        #expect(checked.status == 65 && checked.stderr.contains("minimumConfidence")
                    && checked.stderr.contains("\"High\", \"Medium\" or \"Low\""), "\(checked.status) \(checked.stderr)")
    }
}
