import Dispatch
import EnrichdTestSupport
import Foundation
import Spool
import Testing

/// `enrichctl` as people use it, through the real binary against a real spool and daemon: it tells the truth
/// about queued jobs, `--json` is always JSON, run-time failures have their own exit statuses (only a wrong
/// command line prints Usage), `list` shows names and real ages, `report` fits the terminal and says what the
/// warnings were; and nothing a submitter names reaches a terminal raw.
@Suite struct CommandLineTests {
    static func enrichctl(_ arguments: [String], environment: [String: String]? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try ChildProcess.run(BuiltProducts.enrichctl, arguments, environment: environment)
    }

    static func json(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// A world with a 60-row customers file (plus two rows without a usable name) and three bundles: `good`,
    /// `bad` (its id column does not exist) and `spare`.
    static func world(in directory: TemporaryDirectory, seed: Int, name: String = "Q4 accounts") throws -> SystemWorld {
        let world = try SystemWorld(in: directory, seed: seed, companies: 300,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        let data = try world.sample(accounts: 60, into: "data")
        var accounts = try String(contentsOfFile: data + "/accounts.csv", encoding: .utf8)
        let columns = accounts.prefix { !$0.isNewline }.split(separator: ",", omittingEmptySubsequences: false).count
        for (id, company) in [("X-empty", ""), ("X-placeholder", "N/A")] {
            accounts += ([id, company] + Array(repeating: "", count: columns - 2)).joined(separator: ",") + "\r\n"
        }
        // A first row with a customer id longer than a preview column.
        let header = accounts.prefix { !$0.isNewline }
        accounts = header + "\r\n" + (["X-a-customer-id-longer-than-any-column-0001", "Acme Corporation"]
            + Array(repeating: "", count: columns - 2)).joined(separator: ",") + accounts.dropFirst(header.count)
        try world.configure(ratePerSecond: 500)
        for (bundle, idColumn) in [("good", "CustomerId"), ("bad", "NoSuchColumn"), ("spare", "CustomerId")] {
            try world.write("\(bundle)/accounts.csv", accounts)
            try world.write("\(bundle)/job.json", """
                {"name": "\(name)", "outputTable": "Out_\(bundle)", "customers": {"file": "accounts.csv", "idColumn": "\(idColumn)"},
                 "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}}}
                """)
        }
        return world
    }

    /// `status ID --follow` right after submit, with the daemon not running: the job is shown as queued (not
    /// "not active" and exit 0), followed while the daemon starts and runs it, and ends with its headline.
    /// A failed and a cancelled job end the follow with exit status 1.
    @Test func statusFollowsAQueuedJobToItsEndAndExitsByItsOutcome() throws {
        let directory = try TemporaryDirectory("enrichd-cli")
        defer { directory.remove() }
        let world = try Self.world(in: directory, seed: 41)
        defer { world.stop() }
        let spool = world.layout.root
        for id in ["good", "bad", "spare"] { try world.submit(world.file("\(id)/job.json"), id: id) }
        #expect(try Self.enrichctl(["cancel", "--spool", spool, "spare"]).status == 0)

        // No daemon yet: status says what is queued, in order.
        let status = try Self.enrichctl(["status", "--spool", spool])
        #expect(status.status == 0 && status.stdout.hasPrefix("0 active, 3 queued\n"), "\(status.stdout)")
        #expect(status.stdout.contains("good  Q4 accounts  queued") && status.stdout.contains(", next"), "\(status.stdout)")
        let one = try Self.enrichctl(["status", "--spool", spool, "bad"])
        #expect(one.status == 0 && one.stdout.contains("bad  Q4 accounts  queued") && one.stdout.contains("1 ahead"),
                "\(one.stdout)")

        let followers = try ["good", "bad", "spare"].map { id in
            try ChildProcess(BuiltProducts.enrichctl, ["status", "--spool", spool, id, "--follow"])
        }
        // Each follower has seen its job queued before the daemon starts. (A follower that prints nothing is
        // ended after a minute, so the test fails instead of hanging.)
        for follower in followers {
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [pid = follower.pid] in _ = kill(pid, SIGKILL) }
        }
        for follower in followers {
            let first = follower.firstLine() ?? ""
            #expect(first.contains("Q4 accounts queued"), "\(first)")
        }
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        let (goodStatus, goodOutput) = followers[0].finish()
        let result = try world.result("good")
        let customers = try #require(result["customers"] as? [String: Any])
        let enriched = try #require(customers["enrichedProfiles"] as? Int)
        let inScope = try #require(customers["inScope"] as? Int)
        #expect(result["state"] as? String == "completedWithWarnings")
        #expect(goodStatus == 0, "\(goodOutput)")
        let headline = "good: completed with warnings — Enriched \(enriched) of \(inScope) profiles ("
        #expect(goodOutput.split(separator: "\n").last?.hasPrefix(headline) == true, "\(goodOutput)")

        let (badStatus, badOutput) = followers[1].finish()
        #expect(badStatus == 1 && badOutput.contains("bad: failed — ") && badOutput.contains("NoSuchColumn"), "\(badOutput)")
        let (spareStatus, spareOutput) = followers[2].finish()
        #expect(spareStatus == 1 && spareOutput.contains("spare: cancelled — "), "\(spareOutput)")

        // wait agrees: a cancelled job is not a success.
        let waited = try Self.enrichctl(["wait", "--spool", spool, "spare"])
        #expect(waited.status == 1 && waited.stdout.hasPrefix("spare: cancelled"), "\(waited.stdout)")
        let waitedGood = try Self.enrichctl(["wait", "--spool", spool, "good"])
        #expect(waitedGood.status == 0 && waitedGood.stdout.hasPrefix(headline), "\(waitedGood.stdout)")
        // status without an id, finished: nothing active or queued.
        let after = try Self.enrichctl(["status", "--spool", spool, "--follow"])
        #expect(after.status == 0 && after.stdout == "no active or queued jobs\n", "\(after.stdout)")
    }

    /// `--json` prints JSON for every job state and also when there is no such job; run-time failures exit with
    /// their own status and no Usage text; a wrong command line exits 64 with it.
    @Test func jsonIsAlwaysJSONAndRuntimeFailuresAreNotUsageErrors() throws {
        let directory = try TemporaryDirectory("enrichd-cli")
        defer { directory.remove() }
        let world = try Self.world(in: directory, seed: 42)
        defer { world.stop() }
        let spool = world.layout.root
        try world.submit(world.file("good/job.json"), id: "good")
        try world.submit(world.file("bad/job.json"), id: "bad")
        let daemon = try world.startDaemon()
        #expect(try SpoolWaiter.wait(for: "good", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try SpoolWaiter.wait(for: "bad", in: world.layout, timeout: 60) == .failed)
        daemon.stop()
        try world.submit(world.file("spare/job.json"), id: "spare")

        for (id, state, place) in [("good", "completedWithWarnings", "done"), ("bad", "failed", "failed"),
                                   ("spare", "queued", "queued")] {
            for command in ["status", "show"] {
                let run = try Self.enrichctl([command, "--spool", spool, "--json", id])
                let object = Self.json(run.stdout) as? [String: Any]
                #expect(run.status == 0 && object?["state"] as? String == state && object?["place"] as? String == place
                            && object?["name"] as? String == "Q4 accounts" && object?["ageSeconds"] is Double,
                        "\(command) \(id): \(run.stdout) \(run.stderr)")
            }
        }
        let shown = Self.json(try Self.enrichctl(["show", "--spool", spool, "--json", "good"]).stdout) as? [String: Any]
        #expect((shown?["result"] as? [String: Any])?["outputTable"] as? String == "Out_good")
        let failed = Self.json(try Self.enrichctl(["show", "--spool", spool, "--json", "bad"]).stdout) as? [String: Any]
        #expect((failed?["error"] as? [String: Any])?["code"] as? String == "missingColumn", "\(failed ?? [:])")
        let all = Self.json(try Self.enrichctl(["status", "--spool", spool, "--json"]).stdout) as? [String: Any]
        #expect((all?["queued"] as? [[String: Any]])?.map { $0["id"] as? String } == ["spare"]
                    && (all?["active"] as? [Any])?.isEmpty == true, "\(all ?? [:])")

        // No such job: JSON on stdout, the message on stderr, exit 66, no usage.
        for command in ["status", "show"] {
            let missing = try Self.enrichctl([command, "--spool", spool, "--json", "nope"])
            let object = Self.json(missing.stdout) as? [String: Any]
            #expect(missing.status == 66 && object?["exitStatus"] as? Int == 66
                        && (object?["error"] as? String)?.contains("no job nope") == true
                        && !missing.stderr.contains("Usage:"), "\(command): \(missing.stdout) \(missing.stderr)")
        }
        // Run-time failures, each with its own status and without the usage text.
        let bad = world.file("broken.json")
        try world.write("broken.json", "{\"spool\": 1}")
        let failures: [([String], Int32, String)] = [
            (["report", "--spool", spool, "bad"], 1, "bad failed and has no results"),
            (["report", "--spool", spool, "spare"], 69, "spare is queued, not finished"),
            (["report", "--spool", spool, "nope"], 66, "no job nope"),
            (["show", "--spool", spool, "nope"], 66, "no job nope"),
            (["retry", "--spool", spool, "good"], 69, "only failed or cancelled jobs are retried"),
            (["retry", "--spool", spool, "nope"], 66, "no failed or cancelled job nope"),
            (["cancel", "--spool", spool, "good"], 69, "there is nothing to cancel"),
            (["cancel", "--spool", spool, "nope"], 66, "no queued or active job nope"),
            (["list", "--config", bad], 78, "broken.json"),
        ]
        for (arguments, status, message) in failures {
            let run = try Self.enrichctl(arguments)
            #expect(run.status == status && run.stderr.contains(message) && !run.stderr.contains("Usage:"),
                    "\(arguments): \(run.status) \(run.stderr)")
        }
        // A wrong command line is a usage error: 64, with the usage.
        for arguments in [["status", "--follow", "--json", "--spool", spool], ["report", "--spool", spool], ["show", "--spool", spool, "not an id"]] {
            let run = try Self.enrichctl(arguments)
            #expect(run.status == 64 && run.stderr.contains("Usage: enrichctl"), "\(arguments): \(run.status) \(run.stderr)")
        }
        // --help documents the statuses.
        let help = try Self.enrichctl(["--help"])
        #expect(help.stdout.contains("Exit status:") && help.stdout.contains("66  no such job"), "\(help.stdout)")
    }

    /// `list` shows names and the age since the job entered its state — not the directory's time, which the
    /// daemon touches every second — and `--json` gives ages in seconds as numbers with timestamps.
    @Test func listShowsNamesRealAgesAndNumbers() throws {
        let directory = try TemporaryDirectory("enrichd-cli")
        defer { directory.remove() }
        let layout = SpoolLayout(root: directory.file("spool"))
        try layout.create()
        // An active job that started two hours ago, its progress written just now.
        let started = Date().addingTimeInterval(-7_300)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try directory.write("spool/active/running/progress.json", """
            {"id": "running", "name": "EMEA Q4", "outputTable": "EMEA", "connection": "default", "phase": "enriching",
             "rows": 3000, "inScope": 3000, "lookups": 3000, "answered": 1234, "lookupsPerSecond": 29.8,
             "startedAt": "\(iso.string(from: started))", "updatedAt": "\(iso.string(from: Date()))"}
            """)
        try directory.write("spool/incoming/waiting.json", """
            {"name": "NA accounts", "outputTable": "NA", "customers": {"file": "/x.csv", "idColumn": "Id"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        let list = try Self.enrichctl(["list", "--spool", layout.root], environment: ["COLUMNS": "100"])
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("STATE") && lines[0].hasSuffix("NAME"), "\(list.stdout)")
        #expect(lines.contains { $0.hasPrefix("queued") && $0.contains(" waiting ") && $0.hasSuffix("NA accounts") }, "\(list.stdout)")
        #expect(lines.contains { $0.hasPrefix("enriching") && $0.contains(" 2h ") && $0.hasSuffix("EMEA Q4") }, "\(list.stdout)")
        let json = try #require(Self.json(try Self.enrichctl(["list", "--spool", layout.root, "--json"]).stdout) as? [[String: Any]])
        let running = try #require(json.first { $0["id"] as? String == "running" })
        let age = try #require(running["ageSeconds"] as? Double)
        #expect(age >= 7_300 && age < 7_300 + 600, "\(running)")
        #expect(running["startedAt"] as? String == iso.string(from: started) && running["state"] as? String == "enriching")
        let waiting = try #require(json.first { $0["id"] as? String == "waiting" })
        #expect(waiting["submittedAt"] is String && waiting["ageSeconds"] is Double && waiting["queuedAhead"] as? Int == 0,
                "\(waiting)")
    }

    /// `report` on a 60-column terminal: no line is wider, long values end in "…", the columns that do not fit
    /// are named; the state reads as words and the warnings say what they were. With COLUMNS=200 (no terminal)
    /// every preview column is there.
    @Test func reportFitsTheTerminalAndSaysWhatTheWarningsWere() throws {
        let directory = try TemporaryDirectory("enrichd-cli")
        defer { directory.remove() }
        let world = try Self.world(in: directory, seed: 43)
        defer { world.stop() }
        try world.submit(world.file("good/job.json"), id: "good")
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        #expect(try SpoolWaiter.wait(for: "good", in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")

        let narrow = try PseudoTerminal.run(BuiltProducts.enrichctl, ["report", "--spool", world.layout.root, "good"], columns: 60)
        #expect(narrow.status == 0, "\(narrow.output)")
        let lines = narrow.output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        let wide = lines.filter { $0.count > 60 && !$0.hasPrefix("Output table:") && !$0.hasPrefix("Errors:") && !$0.hasPrefix("Report page:") }
        #expect(wide.isEmpty, "\(wide)")
        #expect(lines.contains("Q4 accounts (good): completed with warnings"), "\(narrow.output)")
        let customers = try #require(try world.result("good")["customers"] as? [String: Any])
        let invalid = try #require(customers["invalidInput"] as? Int)
        let placeholders = try #require(customers["placeholders"] as? Int)
        #expect(invalid >= 2 && placeholders >= 1)
        // The warning's sentence, wrapped onto lines of at most 60 columns.
        let text = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("Warnings: - \(invalid) rows had no usable company name (\(placeholders) of them placeholders such as N/A)"),
                "\(narrow.output)")
        let previewStart = try #require(lines.firstIndex { $0.hasPrefix("Preview (first 5 rows, ") })
        #expect(lines[previewStart + 1].hasPrefix("  CustomerId                    EnrichmentStatus"), "\(lines[previewStart + 1])")
        #expect(lines[previewStart + 2].hasPrefix("  X-a-customer-id-longer-than…  "), "\(lines[previewStart + 2])")
        #expect(text.contains("(not shown here: ") && text.contains("Paid; the output table has them all)"), "\(narrow.output)")

        let full = try Self.enrichctl(["report", "--spool", world.layout.root, "good"], environment: ["COLUMNS": "200"])
        #expect(full.stdout.contains("Preview (first 5 rows):") && !full.stdout.contains("not shown here"), "\(full.stdout)")
        #expect(full.stdout.contains("  Paid"), "\(full.stdout)")
    }

    /// A job name full of escape sequences, a column name with them and a value with them: `list`, `status`,
    /// `show`, `wait`, `report` and the daemon's stderr log show them as text (`\x1b`), never as the bytes a
    /// terminal would obey — on a real pty too; the journal-bound JSON stays exact.
    @Test func nothingASubmitterNamesReachesATerminalRaw() throws {
        let directory = try TemporaryDirectory("enrichd-cli")
        defer { directory.remove() }
        let hostile = "Q4 \u{1B}[31mRED\u{1B}]0;pwned\u{07} \u{1B}[2J\u{9B}6n"
        let escapedName = #"Q4 \u001b[31mRED\u001b]0;pwned\u0007 \u001b[2J\u009b6n"#
        let world = try Self.world(in: directory, seed: 44, name: escapedName)
        defer { world.stop() }
        let spool = world.layout.root
        // A customer id in the data (the preview shows it) and a column name with escapes too.
        var accounts = try String(contentsOfFile: world.file("good/accounts.csv"), encoding: .utf8)
        accounts = accounts.replacingOccurrences(of: "\r\n", with: "\n")
        var rows = accounts.split(separator: "\n").map(String.init)
        rows[1] = "\u{1B}[5mblink" + rows[1]
        try world.write("good/accounts.csv", rows.joined(separator: "\n") + "\n")
        try world.write("bad/job.json", """
            {"name": "\(escapedName)", "outputTable": "Out_bad", "customers": {"file": "accounts.csv", "idColumn": "Id\\u001b]52;c;cHduZWQ=\\u0007"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        // An output table and a data file named with escapes (both refused, and named in the error), and an
        // entry dropped into incoming/ under such a name.
        try world.write("badtable/job.json", """
            {"name": "table", "outputTable": "T\\u001b[2J", "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        try world.write("badfile/job.json", """
            {"name": "file", "outputTable": "Out_file", "customers": {"file": "acc\\u001b]0;x\\u0007.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}}}
            """)
        try world.submit(world.file("good/job.json"), id: "good")
        try world.submit(world.file("bad/job.json"), id: "bad")
        try world.submit(world.file("spare/job.json"), id: "spare")
        for id in ["badtable", "badfile"] {
            #expect(rename(world.file(id), world.layout.path("incoming", id)) == 0)
        }
        try world.write("stray", "not a job")
        #expect(rename(world.file("stray"), world.layout.path("incoming", "\u{1B}[2Jstray\u{07}.txt")) == 0)
        let queuedOutputs = try [["list"], ["status"], ["status", "spare"], ["show", "spare"]].map { arguments in
            try Self.enrichctl(arguments + ["--spool", spool])
        }
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        for id in ["good", "spare"] {
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        }
        for id in ["bad", "badtable", "badfile"] {
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 60) == .failed)
        }

        var outputs = queuedOutputs.map { $0.stdout + $0.stderr }
        for arguments in [["list"], ["status", "good"], ["show", "good"], ["show", "bad"], ["status", "bad"], ["wait", "bad"],
                          ["report", "good"], ["report", "bad"], ["status", "good", "--follow"], ["show", "badtable"],
                          ["show", "badfile"], ["status", "badfile"]] {
            let run = try Self.enrichctl(arguments + ["--spool", spool], environment: ["COLUMNS": "300"])
            outputs.append(run.stdout + run.stderr)
        }
        outputs.append(try PseudoTerminal.run(BuiltProducts.enrichctl, ["report", "--spool", spool, "good"], columns: 80).output)
        outputs.append(daemon.log)
        for output in outputs {
            let raw = output.unicodeScalars.filter { $0.value == 0x1B || $0.value == 0x07 || (0x80...0x9F).contains($0.value) }
            #expect(raw.isEmpty, "raw control characters in: \(output.debugDescription.prefix(600))")
        }
        // The text is still there, readable.
        #expect(outputs[0].contains(#"Q4 \x1b[31mRED\x1b]0;pwned\x07 \x1b[2J\x9b6n"#), "\(outputs[0])")
        #expect(outputs.contains { $0.contains(#"\x1b[5mblink"#) }, "the hostile value in report's preview")
        #expect(outputs.contains { $0.contains(#"Id\x1b]52;c;cHduZWQ=\x07"#) }, "the hostile column name in show bad")
        #expect(daemon.log.contains(#"\x1b[31mRED"#), "\(daemon.logTail())")
        #expect(outputs.contains { $0.contains(#""T\x1b[2J" is not a valid table name"#) }, "the hostile output table in show")
        #expect(outputs.contains { $0.contains(#"acc\x1b]0;x\x07.csv"#) }, "the hostile file name in show")
        #expect(daemon.log.contains(#"\x1b[2Jstray\x07.txt"#), "the stray entry's name: \(daemon.logTail())")
        // JSON keeps the exact value (escaped as JSON does).
        let object = Self.json(try Self.enrichctl(["show", "--json", "--spool", spool, "good"]).stdout) as? [String: Any]
        #expect(object?["name"] as? String == hostile)
    }
}
