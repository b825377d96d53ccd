import Dispatch
import EnrichdTestSupport
import Foundation
import Jobs
import Spool
import Testing

/// A saved enrichment through the real binaries: created from a definition over an export (refused, with
/// nothing created, when the definition is bad), run by hand twice while the export changes, a run cancelled:
/// `current` moves only on success, history has a line per run, the second run pays only for the new companies,
/// and "My enrichments" says where it stands.
@Suite struct EnrichmentTests {
    /// Waits (inotify, bounded) until the enrichment's `current` names `run`: the daemon points it there right
    /// after the job reaches done/.
    static func waitForCurrent(_ enrichment: EnrichmentDirectory, run: String, timeout: Double = 60) throws -> Bool {
        try Self.waitForCurrent(enrichment, timeout: timeout) { $0 == run }
    }

    /// Waits (inotify, bounded) until `current` satisfies `done` (a run whose id the test does not know).
    static func waitForCurrent(_ enrichment: EnrichmentDirectory, timeout: Double = 60, until done: (String?) -> Bool) throws -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let watcher = try InotifyWatcher(directory: enrichment.path, mask: [.movedTo, .create],
                                         queue: DispatchQueue(label: "test.enrichment")) { _ in semaphore.signal() }
        defer { watcher.cancel() }
        let deadline = DispatchTime.now() + timeout
        while !done(enrichment.currentRunID) {
            if semaphore.wait(timeout: deadline) == .timedOut { return false }
        }
        return true
    }

    static func enrichctl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(BuiltProducts.enrichctl, arguments)
    }

    @Test func anEnrichmentIsSavedRunAndItsCurrentOutputsMoveOnlyOnSuccess() throws {
        let directory = try TemporaryDirectory("enrichd-enrichment")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 51, companies: 400,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        // The first export holds the first 80 rows; the second adds 40.
        let growing = try GrowingExport(world, accounts: 120, first: 80)
        let (exports, export) = (growing.directory, growing.path)
        try world.configure(ratePerSecond: 500, members: #""inputRoots": ["\#(exports)"], "cache": {"path": "\#(world.file("cache.sqlite"))"}"#)
        let spool = ["--config", world.configurationPath]
        let definition = #"""
            {"name": "Weekly accounts", "outputTable": "Weekly",
             "customers": {"file": "\#(export)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}},
             "schedule": {"days": ["mon"], "times": ["06:00"], "timeZone": "Europe/Paris"}}
            """#
        try world.write("weekly.json", definition)

        // Bad definitions are refused with their key path, and nothing is created.
        let bad: [(String, String, String)] = [
            ("relative", definition.replacingOccurrences(of: export, with: "accounts.csv"), "customers.file"),
            ("hour", definition.replacingOccurrences(of: "06:00", with: "25:00"), "schedule.times[0]"),
            ("day", definition.replacingOccurrences(of: #"["mon"]"#, with: #"["mon", "someday"]"#), "schedule.days[1]"),
            ("zone", definition.replacingOccurrences(of: "Europe/Paris", with: "Mars/Olympus"), "schedule.timeZone"),
            ("five", definition.replacingOccurrences(of: #"["06:00"]"#, with: #"["01:00", "02:00", "03:00", "04:00", "05:00"]"#), "schedule.times"),
            ("outside", definition.replacingOccurrences(of: export, with: "/etc/passwd"), "customers.file"),
        ]
        for (name, text, keyPath) in bad {
            try world.write("\(name).json", text)
            let created = try Self.enrichctl(["enrichment", "create"] + spool + [world.file("\(name).json")])
            #expect(created.status == 65 && created.stderr.contains(keyPath), "\(name): \(created.status) \(created.stderr)")
        }
        let badName = try Self.enrichctl(["enrichment", "create"] + spool + ["--name", "../up", world.file("weekly.json")])
        #expect(badName.status == 64, "\(badName.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.layout.enrichments).isEmpty)

        let created = try Self.enrichctl(["enrichment", "create"] + spool + [world.file("weekly.json")])
        #expect(created.status == 0 && created.stdout.contains("created weekly: refreshed Mon at 06:00 Europe/Paris"),
                "\(created.stdout) \(created.stderr)")
        let again = try Self.enrichctl(["enrichment", "create"] + spool + [world.file("weekly.json")])
        #expect(again.status == 69 && again.stderr.contains("exists already"))
        let listed = try Self.enrichctl(["enrichments", "--json"] + spool)
        let before = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(before?.first?["status"] as? String == "Not started" && before?.first?["nextRefreshAt"] is String, "\(listed.stdout)")

        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        func run() throws -> String {
            let run = try Self.enrichctl(["enrichment", "run"] + spool + ["weekly"])
            #expect(run.status == 0 && run.stdout.hasPrefix("weekly-"), "\(run.stderr)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let first = try run()
        #expect(try SpoolWaiter.wait(for: first, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        let enrichment = world.layout.enrichment("weekly")
        #expect(try Self.waitForCurrent(enrichment, run: first), "\(daemon.logTail())")
        let firstTable = try CSVFile(path: enrichment.current + "/Weekly.csv")
        #expect(firstTable.rows.count == 80)

        // The export grows: the second run re-reads it and pays only for companies not in the cache.
        try growing.grow()
        let billedBefore = try world.sandbox.recordsBilled()
        let second = try run()
        #expect(try SpoolWaiter.wait(for: second, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForCurrent(enrichment, run: second), "\(daemon.logTail())")
        #expect(try CSVFile(path: enrichment.current + "/Weekly.csv").rows.count == 120)
        let result = try SpoolInspection.jsonObject(enrichment.current + "/result.json")
        let lookups = try #require(result["lookups"] as? [String: Any])
        let paid = try #require(lookups["sent"] as? Int)
        let billed = try world.sandbox.recordsBilled() - billedBefore
        #expect((lookups["cacheHits"] as? Int ?? 0) > 0 && billed == paid, "\(lookups), billed \(billed)")
        // Nothing in the cache had gone stale (30 days): everything paid was new.
        #expect(lookups["paidStale"] as? Int == 0 && lookups["paidNew"] as? Int == lookups["paid"] as? Int, "\(lookups)")

        // A run cancelled while queued leaves current as it was, and is in the history.
        daemon.child.terminate()
        let third = try run()
        #expect(try Self.enrichctl(["cancel"] + spool + [third]).status == 0)
        let restarted = try world.startDaemon()
        defer { restarted.stop() }
        #expect(try SpoolWaiter.wait(for: third, in: world.layout, timeout: 60) == .failed)
        // The run is recorded in the same turn of the daemon's control queue that moves it to failed/, and a
        // SIGTERM is handled on that queue after it: once the daemon has stopped, the line is there.
        restarted.child.terminate()
        let history = try Self.enrichctl(["enrichment", "history", "--json"] + spool + ["weekly"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["jobId"] as? String } == [first, second, third], "\(history.stdout)")
        #expect(entries.prefix(2).allSatisfy { ["succeeded", "completedWithWarnings"].contains($0["outcome"] as? String ?? "") }
                    && entries.last?["outcome"] as? String == "cancelled", "\(entries)")
        let table = try Self.enrichctl(["enrichment", "history"] + spool + ["weekly"])
        #expect(table.stdout.split(separator: "\n").count == 4 && table.stdout.contains("Cancelled"), "\(table.stdout)")
        #expect(enrichment.currentRunID == second)
        let shown = try Self.enrichctl(["enrichments"] + spool)
        #expect(shown.stdout.contains("weekly") && shown.stdout.contains("Cancelled") && shown.stdout.contains("of 120"), "\(shown.stdout)")
        // Deactivated, it has no next refresh; deleted, it is gone and its runs' jobs stay.
        #expect(try Self.enrichctl(["enrichment", "deactivate"] + spool + ["weekly"]).status == 0)
        let inactive = try JSONSerialization.jsonObject(with: Data(try Self.enrichctl(["enrichment", "show", "--json"] + spool + ["weekly"]).stdout.utf8)) as? [String: Any]
        #expect(inactive?["active"] as? Bool == false && inactive?["nextRefreshAt"] == nil, "\(inactive ?? [:])")
        #expect(try Self.enrichctl(["enrichment", "delete"] + spool + ["weekly"]).status == 0)
        #expect(try Self.enrichctl(["enrichment", "show"] + spool + ["weekly"]).status == 66)
        #expect(FileManager.default.fileExists(atPath: world.layout.done(second)))
    }

    /// The schedule, with the daemon's clock moved (debug builds accept ENRICHD_TEST_CLOCK_OFFSET) to a few
    /// seconds before the next refresh: STATUS= names it, the daemon's one timer submits the run, its history
    /// line carries the slot; down for three days, the daemon runs the missed refreshes once at start.
    @Test func theScheduleRefreshesByItselfAndAMissedRefreshRunsOnceAtStart() throws {
        let directory = try TemporaryDirectory("enrichd-enrichment")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 52, companies: 300,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let data = try world.sample(accounts: 40, into: "exports")
        try world.configure(ratePerSecond: 500, members: #""inputRoots": ["\#(data)"]"#)
        let spool = ["--config", world.configurationPath]
        try world.write("daily.json", #"""
            {"name": "Daily", "outputTable": "Daily", "customers": {"file": "\#(data)/accounts.csv", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name"}},
             "schedule": {"days": "daily", "times": ["12:00"], "timeZone": "UTC"}}
            """#)
        #expect(try Self.enrichctl(["enrichment", "create"] + spool + [world.file("daily.json")]).status == 0)
        // The first 12:00 UTC after now, and the daemon's clock 10 s before it: no slot lies between.
        let real = Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let slot = try #require(utc.nextDate(after: real, matching: DateComponents(hour: 12, minute: 0, second: 0),
                                             matchingPolicy: .nextTime))
        let offset = slot.timeIntervalSince(real) - 10
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]

        let enrichment = world.layout.enrichment("daily")
        let daemon = try world.startDaemon(environment: ["ENRICHD_TEST_CLOCK_OFFSET": "\(offset)"])
        #expect(daemon.startup.contains { $0.contains("next refresh daily at \(iso.string(from: slot))") }, "\(daemon.startup)")
        #expect(try Self.waitForCurrent(enrichment) { $0 != nil }, "\(daemon.logTail())")
        // The history line is written in the same turn as current (SIGTERM is handled after it).
        daemon.child.terminate()
        var history = RefreshHistoryEntry.entries(enrichment.historyLines())
        #expect(history.count == 1 && history.first?.dueAt == iso.string(from: slot), "\(history)")
        let first = enrichment.currentRunID

        // Down for three days: the refreshes of slot + 1 day and slot + 2 days were missed; one run at start,
        // for the later of them.
        // (The clock now reads four hours before the fourth day's slot, whatever time the first run took.)
        let laterOffset = slot.addingTimeInterval(3 * 86_400 - 4 * 3_600).timeIntervalSince(Date())
        let later = try world.startDaemon(environment: ["ENRICHD_TEST_CLOCK_OFFSET": "\(laterOffset)"])
        #expect(try Self.waitForCurrent(enrichment) { $0 != nil && $0 != first }, "\(later.logTail())")
        later.child.terminate()
        history = RefreshHistoryEntry.entries(enrichment.historyLines())
        #expect(history.map(\.dueAt) == [iso.string(from: slot), iso.string(from: slot.addingTimeInterval(2 * 86_400))],
                "\(history) \(later.logTail(30))")
    }

    /// An edit takes effect without a restart, and a scheduled run killed midway resumes: the daemon runs with
    /// the old schedule, `enrichment edit` moves the refresh to a slot 12 s ahead on its clock, and the run comes
    /// then; `kill -9` while it pays, a restart, and the same run finishes (no second run for the slot), `current`
    /// naming the first run until then and the second after. The cache keeps answers for no time at all
    /// (freshness 0 days), so the refresh pays again for every company of the first run: `paidStale`, counted
    /// across the kill from the ledger, and `paidNew` for the companies the export gained.
    @Test func anEditTakesEffectWithoutARestartAndAKilledScheduledRunResumes() throws {
        let directory = try TemporaryDirectory("enrichd-enrichment")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 53, companies: 300,
                                    sandboxOptions: ["--rate", "40", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let growing = try GrowingExport(world, accounts: 90, first: 40)
        let (exports, export) = (growing.directory, growing.path)
        try world.configure(ratePerSecond: 40, maxInFlight: 4, members: #""inputRoots": ["\#(exports)"], "cache": {"path": "\#(world.file("cache.sqlite"))", "matchFreshnessDays": 0, "missFreshnessDays": 0}"#)
        let spool = ["--config", world.configurationPath]
        func definition(at time: String) -> String {
            #"""
            {"name": "Daily", "outputTable": "Daily", "customers": {"file": "\#(export)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}},
             "schedule": {"days": "daily", "times": ["\#(time)"], "timeZone": "UTC"}}
            """#
        }
        // A minute boundary two hours ahead, and the daemon's clock 12 s before it; the schedule first says three
        // hours before it, which has passed on that clock and was not missed (the definition is newer).
        let real = Date()
        let slot = Date(timeIntervalSince1970: ((real.timeIntervalSince1970 + 7_200) / 60).rounded(.up) * 60)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        func hhmm(_ date: Date) -> String {
            let parts = utc.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour!, parts.minute!)
        }
        try world.write("daily.json", definition(at: hhmm(slot.addingTimeInterval(-3 * 3_600))))
        #expect(try Self.enrichctl(["enrichment", "create"] + spool + [world.file("daily.json")]).status == 0)
        let enrichment = world.layout.enrichment("daily")

        // The first run, by hand, fills the cache.
        let first = try world.startDaemon()
        let run = try Self.enrichctl(["enrichment", "run"] + spool + ["daily"])
        let firstID = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.waitForCurrent(enrichment, run: firstID, timeout: 120), "\(first.logTail())")
        first.child.terminate()
        let firstKeys = Set(JobLedger.load(path: world.layout.done(firstID) + "/answers.jsonl").answers.keys)

        // The export grows; the daemon starts with the old schedule and the edit reaches it through control/.
        try growing.grow()
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let offset = slot.timeIntervalSince(Date()) - 12
        var daemon = try world.startDaemon(environment: ["ENRICHD_TEST_CLOCK_OFFSET": "\(offset)"])
        defer { daemon.stop() }
        #expect(daemon.startup.contains { $0.contains("next refresh daily at \(iso.string(from: slot.addingTimeInterval(21 * 3_600)))") },
                "\(daemon.startup)")
        try world.write("edited.json", definition(at: hhmm(slot)))
        let edited = try Self.enrichctl(["enrichment", "edit"] + spool + ["daily", world.file("edited.json")])
        #expect(edited.status == 0, "\(edited.stderr)")

        // The scheduled run starts by itself; it is killed once it has paid for some lookups.
        let activeRun = Self.eventually(timeout: 120) {
            ((try? FileManager.default.contentsOfDirectory(atPath: world.layout.active)) ?? []).first { $0.hasPrefix("daily-") }
        }
        let runID = try #require(activeRun, "no scheduled run started; \(daemon.logTail())")
        let ledger = world.layout.active(runID) + "/answers.jsonl"
        let paying = Self.eventually(timeout: 120) { LedgerFile.lineCount(ledger) >= 10 ? true : nil }
        try #require(paying == true, "the run recorded no answers; \(daemon.logTail())")
        daemon.kill9()
        #expect(FileManager.default.fileExists(atPath: world.layout.active(runID)), "killed after the run")
        #expect(enrichment.currentRunID == firstID)
        #expect(try CSVFile(path: enrichment.current + "/Daily.csv").rows.count == 40)

        daemon = try world.startDaemon(environment: ["ENRICHD_TEST_CLOCK_OFFSET": "\(offset)"])
        #expect(try SpoolWaiter.wait(for: runID, in: world.layout, timeout: 180) == .done, "\(daemon.logTail())")
        #expect(try Self.waitForCurrent(enrichment, run: runID), "\(daemon.logTail())")
        daemon.child.terminate()
        #expect(try CSVFile(path: enrichment.current + "/Daily.csv").rows.count == 90)
        let history = RefreshHistoryEntry.entries(enrichment.historyLines())
        #expect(history.map(\.jobId) == [firstID, runID] && history.last?.dueAt == iso.string(from: slot), "\(history)")

        let result = try SpoolInspection.jsonObject(enrichment.current + "/result.json")
        let lookups = try #require(result["lookups"] as? [String: Any])
        let paid = try #require(lookups["paid"] as? Int), distinct = try #require(lookups["distinctKeys"] as? Int)
        #expect(lookups["cacheHits"] as? Int == 0 && paid == distinct, "\(lookups)")
        // The matching rules may join a key of the first run to a fuller one the export now has: stale are the
        // keys both runs looked up.
        let keys = Set(JobLedger.load(path: world.layout.done(runID) + "/answers.jsonl").answers.keys)
        let refreshed = keys.intersection(firstKeys).count
        #expect(refreshed > 30 && lookups["paidStale"] as? Int == refreshed
                    && lookups["paidNew"] as? Int == distinct - refreshed,
                "\(lookups); \(refreshed) of the first run's \(firstKeys.count) lookups again")
    }

    /// Polls `value` (every 5 ms, up to `timeout` seconds) until it is not nil: for states no event announces
    /// (a ledger's length).
    static func eventually<Value>(timeout: Double, _ value: () -> Value?) -> Value? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = value() { return value }
            usleep(5_000)
        }
        return nil
    }
}

/// The export a saved enrichment re-reads on each run: `exports/accounts.csv` with the first rows of a sample, until
/// ``grow()`` writes all of them (new companies for the next run).
struct GrowingExport {
    let directory: String
    let path: String
    private let lines: [Substring]

    init(_ world: SystemWorld, accounts: Int, first rows: Int) throws {
        let data = try world.sample(accounts: accounts, into: "data")
        self.directory = world.file("exports")
        self.path = self.directory + "/accounts.csv"
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        self.lines = try String(contentsOfFile: data + "/accounts.csv", encoding: .utf8)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
        try (self.lines.prefix(rows + 1).joined(separator: "\r\n") + "\r\n")
            .write(toFile: self.path, atomically: true, encoding: .utf8)
    }

    func grow() throws {
        try self.lines.joined(separator: "\r\n").write(toFile: self.path, atomically: true, encoding: .utf8)
    }
}
