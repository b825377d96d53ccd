import EnrichdTestSupport
import Foundation
import Testing

/// A customers file as European Excel saves it — semicolons, Windows-1252 — enriches exactly like the same rows
/// in UTF-8 with commas once the descriptor says `"delimiter": ";", "encoding": "windows-1252"`; without those
/// keys the job fails with `error.json` saying what the file looks like. Segment values compare without case,
/// and a listed value no row holds is a warning in result.json and report.html.
@Suite struct ExcelInputTests {
    static func csv(_ header: [String], _ rows: [[String]], delimiter: String) -> String {
        ([header] + rows).map { row in
            row.map { field in
                field.contains { $0 == ";" || $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: delimiter)
        }.joined(separator: "\r\n") + "\r\n"
    }

    @Test func aSemicolonWindows1252FileEnrichesLikeUTF8AndSaysWhatItIsWithoutTheKeys() throws {
        let directory = try TemporaryDirectory("enrichd-excel")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 29, companies: 2000,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let data = try world.sample(accounts: 400, into: "data")
        let sample = try CSVFile(path: "\(data)/accounts.csv")
        // The rows Windows-1252 can write (not the Japanese ones, say), with their umlauts and accents.
        let rows = sample.rows.map { row in sample.header.map { row[$0] ?? "" } }
            .filter { $0.allSatisfy { $0.data(using: .windowsCP1252) != nil } }
        let nonASCII = rows.filter { $0[1].unicodeScalars.contains { $0.value > 0x7F } }
        #expect(rows.count > 300 && nonASCII.count >= 10, "\(rows.count) rows, \(nonASCII.count) with non-ASCII names")
        #expect(sample.header[1] == "Name")

        let utf8 = Self.csv(sample.header, rows, delimiter: ",")
        let excel = try #require(Self.csv(sample.header, rows, delimiter: ";").data(using: .windowsCP1252))
        let mapping = #""mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country", "city": "City"}}}"#
        let segment = #""segment": {"column": "Segment", "in": ["emea", " Amer", "Nowhere"]}"#
        let jobs: [(id: String, keys: String, bytes: Data)] = [
            ("utf8", "", Data(utf8.utf8)),
            ("excel", #", "delimiter": ";", "encoding": "windows-1252""#, excel),
            ("nokeys", "", excel),
            ("noencoding", #", "delimiter": ";""#, excel),
        ]
        for job in jobs {
            let bundle = world.file("jobs/\(job.id)")
            try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
            try job.bytes.write(to: URL(fileURLWithPath: "\(bundle)/accounts.csv"))
            try world.write("jobs/\(job.id)/job.json", """
                {"name": "\(job.id)", "outputTable": "Out_\(job.id)",
                 "customers": {"file": "accounts.csv", "idColumn": "CustomerId", \(segment)\(job.keys)}, \(mapping)}
                """)
        }
        try world.configure(ratePerSecond: 500)
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        // enrichctl validate reads the file as the daemon will, and says what the segment warns about.
        let validated = try ChildProcess.run(BuiltProducts.enrichctl, ["validate", "--config", world.configurationPath,
                                                                       world.file("jobs/excel/job.json")])
        #expect(validated.status == 0 && validated.stdout.contains("valid — \(rows.count) rows")
                    && validated.stdout.contains(#"warning: segment value "Nowhere" occurs in no row's "Segment""#),
                "\(validated.stdout) \(validated.stderr)")
        let estimated = try ChildProcess.run(BuiltProducts.enrichctl, ["estimate", "--config", world.configurationPath,
                                                                       world.file("jobs/excel/job.json")])
        #expect(estimated.status == 0 && estimated.stdout.contains(#"warning: segment value "Nowhere" occurs in no row's "Segment""#),
                "\(estimated.stdout) \(estimated.stderr)")
        for job in jobs { try world.submit(world.file("jobs/\(job.id)/job.json"), id: job.id) }

        for id in ["utf8", "excel"] {
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        }
        let ignored: Set<String> = ["EnrichedAt", "Source", "Paid"]
        let reference = try ComparableOutput(path: world.layout.done("utf8") + "/Out_utf8.csv", ignoring: ignored)
        let read = try ComparableOutput(path: world.layout.done("excel") + "/Out_excel.csv", ignoring: ignored)
        #expect(read.firstDifference(from: reference) == nil, "\(read.firstDifference(from: reference) ?? "")")
        // Segment values compared trimmed and case-folded: "emea" and " Amer" select EMEA and AMER rows.
        let inSegment = rows.filter { ["EMEA", "AMER"].contains($0[sample.header.firstIndex(of: "Segment")!]) }
        #expect(read.rows.count == inSegment.count && !inSegment.isEmpty)
        // The names came through: the enriched companies of rows with umlauts and accents are spelt as in the input.
        let table = try CSVFile(path: world.layout.done("excel") + "/Out_excel.csv")
        let names = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        let enrichedNonASCII = table.rows.filter { row in
            row["EnrichmentStatus"] == "Enriched" && (names[row["CustomerId"] ?? ""] ?? "").unicodeScalars.contains { $0.value > 0x7F }
        }
        #expect(!enrichedNonASCII.isEmpty)
        #expect(enrichedNonASCII.contains { ($0["CompanyName"] ?? "").unicodeScalars.contains { $0.value > 0x7F } },
                "\(enrichedNonASCII.prefix(3))")
        #expect(!table.rows.contains { ($0["CompanyName"] ?? "").contains("Ã") || ($0["CompanyName"] ?? "").contains("\u{FFFD}") })
        let result = try world.result("excel")
        let warning = #"segment value "Nowhere" occurs in no row's "Segment""#
        #expect(result["warnings"] as? [String] == [warning] && result["state"] as? String == "completedWithWarnings",
                "\(result["warnings"] ?? "none") \(result["state"] ?? "")")
        let page = try String(contentsOfFile: world.layout.done("excel") + "/report.html", encoding: .utf8)
        #expect(page.contains("<ul id=\"warnings\"><li>segment value &quot;Nowhere&quot; occurs"))
        let report = try ChildProcess.run(BuiltProducts.enrichctl, ["report", "--spool", world.layout.root, "excel"])
        #expect(report.stdout.contains("  - \(warning)"), "\(report.stdout)")

        // Without the keys: what the file looks like, and which key to set.
        for id in ["nokeys", "noencoding"] {
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 60) == .failed)
        }
        let delimiter = try SpoolInspection.jsonObject(world.layout.failed("nokeys") + "/error.json")
        #expect(delimiter["code"] as? String == "missingColumn" && delimiter["keyPath"] as? String == "customers.idColumn")
        #expect((delimiter["hint"] as? String)?.hasPrefix(
            #"this looks like a semicolon-separated file: set "delimiter": ";" for customers"#) == true, "\(delimiter)")
        let encoding = try SpoolInspection.jsonObject(world.layout.failed("noencoding") + "/error.json")
        #expect(encoding["code"] as? String == "invalidUTF8" && encoding["file"] as? String == "accounts.csv"
                    && encoding["line"] is Int, "\(encoding)")
        #expect(encoding["hint"] as? String
                    == #"this looks like Windows-1252 (or ISO-8859-1): set "encoding": "windows-1252" for customers"#)
    }

    /// A segment's members file exported by the same European Excel as the customers (semicolons, Windows-1252,
    /// ids in the first column and a name beside them) selects exactly its ids: it is read with the customers
    /// file's delimiter and encoding.
    @Test func aMembersFileIsReadLikeTheCustomersFile() throws {
        let directory = try TemporaryDirectory("enrichd-excel")
        defer { directory.remove() }
        let customers = Self.csv(["CustomerId", "Name"], (1...20).map { ["C\($0)", "Müller \($0) GmbH"] }, delimiter: ";")
        let members = Self.csv(["CustomerId", "Name"], [["C3", "Müller 3 GmbH"], ["C7", "Müller 7 GmbH"], ["C11", "Müller 11 GmbH"]],
                               delimiter: ";")
        try #require(customers.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: directory.file("accounts.csv")))
        try #require(members.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: directory.file("members.csv")))
        try directory.write("job.json", """
            {"name": "members", "outputTable": "Members",
             "customers": {"file": "accounts.csv", "idColumn": "CustomerId", "delimiter": ";", "encoding": "windows-1252",
                           "segment": {"membersFile": "members.csv"}},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        let validated = try ChildProcess.run(BuiltProducts.enrichctl, ["validate", directory.file("job.json")])
        #expect(validated.stdout.contains("valid — 20 rows, 3 in scope"), "\(validated.stdout) \(validated.stderr)")
    }
}
