import EnrichdTestSupport
import Foundation
import Testing

/// Input files may be JSON Lines (by extension) as well as CSV: the same customers and contacts written both
/// ways come back as the same output tables, and a bad line fails the job naming its line.
@Suite struct JSONLinesJobTests {
    /// `file.csv` rewritten as JSON Lines (`file.jsonl`): one object per row, keys in header order, every value a
    /// string except empty ones, which are left out or null by turns (both read as empty).
    static func convert(_ csv: String, to jsonl: String) throws {
        let table = try CSVFile(path: csv)
        var text = ""
        for (index, row) in table.rows.enumerated() {
            var members: [String] = []
            for key in table.header {
                let value = row[key] ?? ""
                if value.isEmpty {
                    if index % 2 == 0 { members.append("\(try Self.json(key)): null") }
                    continue
                }
                members.append("\(try Self.json(key)): \(try Self.json(value))")
            }
            text += "{" + members.joined(separator: ", ") + "}\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: jsonl))
    }

    static func json(_ string: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: string, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    @Test func aJSONLinesJobComesBackLikeTheSameJobInCSV() throws {
        let directory = try TemporaryDirectory("enrichd-jsonl")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 13, companies: 2000,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let data = try world.sample(accounts: 400, contacts: 300, into: "data")
        let primary = #""primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country", "city": "City"}}"#
        for format in ["csv", "jsonl"] {
            let bundle = world.file("jobs/\(format)")
            try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
            for file in ["accounts", "contacts"] {
                if format == "csv" {
                    try FileManager.default.copyItem(atPath: "\(data)/\(file).csv", toPath: "\(bundle)/\(file).csv")
                } else {
                    try Self.convert("\(data)/\(file).csv", to: "\(bundle)/\(file).jsonl")
                }
            }
            try world.write("jobs/\(format)/job.json", """
                {"name": "\(format)", "outputTable": "Out_\(format)", "identifyBy": ["primary", "secondary"],
                 "customers": {"file": "accounts.\(format)", "idColumn": "CustomerId"},
                 "mapping": {\(primary), "secondary": {"companyName": "Name2", "location": {"country": "Country2"}}},
                 "contacts": {"file": "contacts.\(format)", "idColumn": "ContactId", "customerIdColumn": "CustomerId"}}
                """)
        }
        // A JSON Lines file with a nested value on its third line.
        try world.write("jobs/bad/job.json", """
            {"name": "bad", "outputTable": "Bad", "customers": {"file": "accounts.jsonl", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        try world.write("jobs/bad/accounts.jsonl", """
            {"CustomerId": "1", "Name": "Acme"}
            {"CustomerId": "2", "Name": "Globex"}
            {"CustomerId": "3", "Name": {"legal": "Initech LLC"}}

            """)
        try world.configure(ratePerSecond: 500)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        // enrichctl validate plans both the same way (rows, in scope, contacts, distinct lookups).
        let validated = try ["csv", "jsonl"].map { format in
            let run = try ChildProcess.run(BuiltProducts.enrichctl, ["validate", "--config", world.configurationPath,
                                                                     world.file("jobs/\(format)/job.json")])
            #expect(run.status == 0, "\(format): \(run.stdout) \(run.stderr)")
            return run.stdout.replacingOccurrences(of: world.file("jobs/\(format)/job.json"), with: "JOB")
        }
        #expect(validated[0] == validated[1] && validated[0].contains("valid — 400 rows"), "\(validated)")
        for id in ["csv", "jsonl", "bad"] {
            try world.submit(world.file("jobs/\(id)/job.json"), id: id)
        }
        for id in ["csv", "jsonl"] {
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        }
        // Answers the first job paid for are shared with the second (Source and Paid say which): compare the rest.
        let ignored: Set<String> = ["EnrichedAt", "Source", "Paid"]
        for table in ["Out_%@.csv", "Out_%@Contacts.csv"] {
            let csv = try ComparableOutput(path: world.layout.done("csv") + "/" + String(format: table, "csv"), ignoring: ignored)
            let jsonl = try ComparableOutput(path: world.layout.done("jsonl") + "/" + String(format: table, "jsonl"), ignoring: ignored)
            #expect(csv.rows.count >= 300)
            #expect(jsonl.firstDifference(from: csv) == nil, "\(table): \(jsonl.firstDifference(from: csv) ?? "")")
        }
        let counts = { (id: String) throws -> NSDictionary? in try world.result(id)["customers"] as? NSDictionary }
        #expect(try counts("jsonl") == counts("csv"))

        #expect(try SpoolWaiter.wait(for: "bad", in: world.layout, timeout: 60) == .failed)
        let error = try SpoolInspection.jsonObject(world.layout.failed("bad") + "/error.json")
        #expect(error["code"] as? String == "invalidValue" && error["file"] as? String == "accounts.jsonl"
                && error["line"] as? Int == 3, "\(error)")
    }
}
