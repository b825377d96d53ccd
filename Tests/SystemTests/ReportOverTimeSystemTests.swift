import Dispatch
import EnrichdTestSupport
import Formats
import Foundation
import Jobs
import Spool
import Testing

/// The report of a real refresh (real daemon, real sandbox) in a real browser: the numbers a person reads on
/// `report.html` are those of the `result.json` beside it, its charts render (the over-time chart with a column
/// per run so far), it logs nothing and requests nothing; `enrichctl report` shows the same runs as text.
@Suite(
    .serialized,
    .enabled(if: HeadlessBrowser.isInstalledOrRequired,
             "chromium is not installed (apt-get install chromium); with CI=true they fail instead")
)
struct ReportOverTimeSystemTests {
    /// What the page shows, as the DOM's text (read by ``script``).
    struct Rendered: Decodable {
        struct Row: Decodable {
            var job: String
            var cells: [String]
        }
        struct Chart: Decodable {
            var label: String
            var width: Double
            var height: Double
            /// Rectangles and columns with a non-zero box.
            var marks: Int
        }
        struct Column: Decodable {
            var job: String
            var width: Double
            var height: Double
        }
        var headline: String
        var confidence: [String: String]
        var outcome: [String: String]
        var lookups: [String: String]
        var reuse: String?
        var coverage: [String: String]
        var runs: [Row]
        var charts: [Chart]
        var columns: [Column]
    }

    static let script = """
        const byData = (selector, key) => Object.fromEntries([...document.querySelectorAll(selector)]
            .map((cell) => [cell.dataset[key], cell.textContent]));
        const size = (element) => {
            const rect = element.getBoundingClientRect();
            return {width: rect.width, height: rect.height};
        };
        const visible = (element) => size(element).width > 0 && size(element).height > 0;
        const reuse = document.getElementById("reuse");
        const overTime = document.querySelector("#over-time svg");
        return {
            headline: document.getElementById("summary").textContent,
            confidence: byData("td[data-level]", "level"),
            outcome: byData("td[data-status]", "status"),
            lookups: Object.fromEntries([...document.querySelectorAll("#lookups > div")]
                .map((item) => [item.querySelector("dt").textContent, item.querySelector("dd").textContent])),
            reuse: reuse ? reuse.textContent : null,
            coverage: Object.fromEntries([...document.querySelectorAll('svg[aria-label^="Field coverage:"] g')]
                .map((group) => [group.querySelector("rect.bar").dataset.column,
                                 group.querySelector("title").textContent])),
            runs: [...document.querySelectorAll("#over-time-runs tbody tr")]
                .map((row) => ({job: row.dataset.job, cells: [...row.cells].map((cell) => cell.textContent)})),
            charts: [...document.querySelectorAll("svg")].map((svg) => ({
                label: svg.getAttribute("aria-label") || "", ...size(svg),
                marks: [...svg.querySelectorAll("rect, g.run")].filter(visible).length,
            })),
            columns: overTime ? [...overTime.querySelectorAll("g.run")]
                .map((run) => ({job: run.dataset.job, ...size(run)})) : [],
        };
        """

    /// The integers in `text` (each must have its thousands separators), or nil when one has none.
    static func integers(_ text: String) -> [Int]? {
        var numbers: [Int] = []
        for token in text.split(whereSeparator: { !($0.isASCII && ($0.isNumber || $0 == "," || $0 == ".")) }) {
            let token = String(token).trimmingCharacters(in: CharacterSet(charactersIn: ",."))
            guard !token.isEmpty, !token.contains(".") else { continue }  // a percentage, or punctuation
            let groups = token.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
            numbers.append(Int(token.replacingOccurrences(of: ",", with: ""))!)
        }
        return numbers
    }

    /// Waits (inotify, bounded) until the enrichment's history has `count` runs.
    static func waitForHistory(_ enrichment: EnrichmentDirectory, count: Int, timeout: Double = 60) throws
        -> [RefreshHistoryEntry]
    {
        let semaphore = DispatchSemaphore(value: 0)
        let watcher = try InotifyWatcher(directory: enrichment.path, mask: [.closeWrite, .create, .movedTo],
                                         queue: DispatchQueue(label: "test.history")) { _ in semaphore.signal() }
        defer { watcher.cancel() }
        let deadline = DispatchTime.now() + timeout
        while true {
            let entries = RefreshHistoryEntry.entries(enrichment.historyLines())
            if entries.count >= count || semaphore.wait(timeout: deadline) == .timedOut { return entries }
        }
    }

    static func enrichctl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(BuiltProducts.enrichctl, arguments, environment: ["COLUMNS": "100"])
    }

    @Test func aRefreshsReportShowsItsResultsNumbersAndTheRunsSoFarInABrowserAndAsText() throws {
        let directory = try TemporaryDirectory("enrichd-report-over-time")
        defer { directory.remove() }
        let world = try SystemWorld(in: directory, seed: 61, companies: 300,
                                    sandboxOptions: ["--rate", "500", "--latency-ms", "1", "--latency-jitter-ms", "0"])
        defer { world.stop() }
        let data = try world.sample(accounts: 60, into: "data")
        let exports = world.file("exports")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        // The first export holds 40 rows; the second all 60: the scope grows between the runs.
        let all = try String(contentsOfFile: data + "/accounts.csv", encoding: .utf8)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
        let export = exports + "/accounts.csv"
        try (all.prefix(41).joined(separator: "\r\n") + "\r\n").write(toFile: export, atomically: true, encoding: .utf8)
        let cache = world.file("cache.sqlite")
        try world.configure(ratePerSecond: 500,
                            members: #""inputRoots": ["\#(exports)"], "cache": {"path": "\#(cache)"}"#)
        let spool = ["--config", world.configurationPath]
        try world.write("refresh.json", #"""
            {"name": "Refreshed accounts", "outputTable": "Refreshed",
             "customers": {"file": "\#(export)", "idColumn": "CustomerId"},
             "mapping": {"primary": {"companyName": "Name", "website": "Website", "location": {"country": "Country"}}},
             "schedule": {"days": ["mon"], "times": ["06:00"], "timeZone": "Europe/Paris"}}
            """#)
        let created = try Self.enrichctl(["enrichment", "create"] + spool + [world.file("refresh.json")])
        #expect(created.status == 0, "\(created.stderr)")
        let enrichment = world.layout.enrichment("refresh")
        let daemon = try world.startDaemon()
        defer { daemon.stop() }
        func run(recorded count: Int) throws -> String {
            let run = try Self.enrichctl(["enrichment", "run"] + spool + ["refresh"])
            let id = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(run.status == 0 && id.hasPrefix("refresh-"), "\(run.stderr)")
            #expect(try SpoolWaiter.wait(for: id, in: world.layout, timeout: 120) == .done, "\(daemon.logTail())")
            #expect(try Self.waitForHistory(enrichment, count: count).count == count, "\(daemon.logTail())")
            return id
        }
        let first = try run(recorded: 1)
        try (all.joined(separator: "\r\n")).write(toFile: export, atomically: true, encoding: .utf8)
        let second = try run(recorded: 2)
        let history = RefreshHistoryEntry.entries(enrichment.historyLines())
        #expect(history.map(\.jobId) == [first, second])
        let decode = { (id: String) throws -> ResultSummary in
            let data = try #require(FileManager.default.contents(atPath: world.layout.done(id) + "/result.json"))
            return try JSONDecoder().decode(ResultSummary.self, from: data)
        }
        let result = try decode(second)
        let firstResult = try decode(first)
        #expect(result.customers.inScope == 60 && firstResult.customers.inScope == 40)

        // The page the daemon wrote, as it is, in the browser.
        let page = world.layout.done(second) + "/report.html"
        let visit = try HeadlessBrowser().visit(file: page, width: 1280, height: 800, script: Self.script,
                                                as: Rendered.self)
        #expect(visit.consoleErrors.isEmpty, "\(visit.console)")
        #expect(visit.requests.isEmpty, "\(visit.requests)")
        let rendered = visit.value
        let headline = result.customers.headline
        #expect(Self.integers(rendered.headline) == [headline.enriched, headline.total], "\(rendered.headline)")
        #expect(rendered.headline.contains("(\(NumberText.percent(headline.percent)))"), "\(rendered.headline)")
        let levels = Set(["High", "Medium", "Low", "VeryLow"]).union(result.customers.byConfidence.keys)
        #expect(Set(rendered.confidence.keys) == levels)
        for (level, text) in rendered.confidence {
            #expect(Self.integers(text) == [result.customers.byConfidence[level] ?? 0], "confidence \(level): \(text)")
        }
        let outcome = ["Enriched": result.customers.enriched, "NotEnriched": result.customers.notEnriched,
                       "InvalidInput": result.customers.invalidInput, "Error": result.customers.errors]
        #expect(rendered.outcome.compactMapValues { Self.integers($0)?.first } == outcome, "\(rendered.outcome)")
        let lookups = result.lookups
        var shown = [
            "Distinct lookups": lookups.distinctKeys, "Paid (sent)": lookups.sent, "From cache": lookups.cacheHits,
            "Saved by sharing": lookups.savedByDedup, "Retries": lookups.retries, "Rate-limited": lookups.rateLimited,
        ]
        if lookups.bulkCalls > 0 { shown["Bulk calls"] = lookups.bulkCalls }
        if let failed = lookups.failed, failed > 0 { shown["Failed (free)"] = failed }
        if let unanswered = lookups.unanswered, unanswered > 0 { shown["Never answered"] = unanswered }
        #expect(rendered.lookups.compactMapValues { Self.integers($0)?.first } == shown, "\(rendered.lookups)")
        #expect(lookups.cacheHits > 0, "the second run reuses the first run's answers")
        if let reuse = lookups.reuseText {
            #expect(rendered.reuse == reuse)
            #expect(Self.integers(reuse) == [lookups.cacheHits, lookups.paid ?? lookups.sent, lookups.paidNew ?? -1,
                                             lookups.paidStale ?? -1])
        } else {
            #expect(rendered.reuse == nil, "a reuse line without paidNew and paidStale in result.json")
        }
        #expect(Set(rendered.coverage.keys) == Set(CompanyOutputTable.coverageColumns))
        for (column, title) in rendered.coverage {
            let figures = title.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
            #expect(Self.integers(figures) == [result.fieldCoverage[column] ?? 0, result.customers.enriched],
                    "coverage \(title)")
        }
        // The runs so far: the first as history.jsonl has it, this one from its result.json — each as its own
        // result.json counts it.
        #expect(rendered.runs.map(\.job) == [first, second])
        for (row, summary) in zip(rendered.runs, [firstResult, result]) {
            let profiles = summary.customers.headline
            try #require(row.cells.count == 5, "\(row.cells)")
            #expect(["Successful", "Completed with warnings"].contains(row.cells[1]), "\(row.cells)")
            #expect(Self.integers(row.cells[2]) == [profiles.enriched], "\(row.cells)")
            #expect(Self.integers(row.cells[3]) == [profiles.total], "\(row.cells)")
        }
        // Every chart renders: a box of its own and marks in it; the over-time chart a column per run.
        for name in ["Match confidence:", "Outcome:", "Field coverage:", "Enriched customers over time:"] {
            #expect(rendered.charts.contains { $0.label.hasPrefix(name) }, "no \(name) chart")
        }
        for chart in rendered.charts {
            #expect(chart.width > 0 && chart.height > 0 && chart.marks > 0, "\(chart)")
        }
        #expect(rendered.columns.map(\.job) == [first, second])
        #expect(rendered.columns.allSatisfy { $0.width > 0 && $0.height > 0 }, "\(rendered.columns)")

        // enrichctl report finds the runs through the job's enrichment, prints them, and rewrites the page with
        // them: the run is drawn once, although its history line is there now.
        let report = try Self.enrichctl(["report"] + spool + [second])
        #expect(report.status == 0, "\(report.stderr)")
        let text = ReportPage.OverTime(history: history, result: result).textLines(width: 100)
        #expect(text.count == 3 && text[0].hasPrefix("Enriched customers over time (2 runs, UTC"), "\(text)")
        for line in text { #expect(report.stdout.contains(line + "\n"), "missing \(line) in\n\(report.stdout)") }
        for summary in [firstResult, result] {
            let profiles = summary.customers.headline
            let figures = "\(NumberText.grouped(profiles.enriched)) of \(NumberText.grouped(profiles.total)) ("
            #expect(report.stdout.contains(figures), "\(report.stdout)")
        }
        if let reuse = lookups.reuseText { #expect(report.stdout.contains("  \(reuse)\n"), "\(report.stdout)") }
        let rewritten = try String(contentsOfFile: page, encoding: .utf8)
        #expect(rewritten.contains(#"id="over-time" data-runs="2" data-points="2""#))
        // The first run's report shows the runs up to it.
        let earlier = try Self.enrichctl(["report"] + spool + [first])
        #expect(earlier.stdout.contains("Enriched customers over time (1 run, UTC"), "\(earlier.stdout)")
        #expect(!earlier.stdout.contains(second), "\(earlier.stdout)")
    }
}
