import EnrichdTestSupport
import Foundation
import Jobs
import Testing

/// The runs of a saved enrichment, as the report fixture's enrichment has them.
extension ReportFixture {
    /// `count` succeeded runs a day apart from 2025-01-01 06:00 UTC, the scope growing by a thousand profiles a
    /// run and three in four enriched; their job ids are `run-1`, `run-2`…
    static func runs(_ count: Int) -> [RefreshHistoryEntry] {
        (0..<count).map { index in
            let day = Date(timeIntervalSince1970: 1_735_711_200 + Double(index) * 86_400)
            let inScope = 1_000_000 + index * 1_000
            return RefreshHistoryEntry(
                jobId: "run-\(index + 1)", outcome: .succeeded, startedAt: Timestamp.iso(day.addingTimeInterval(-60)),
                finishedAt: Timestamp.iso(day), durationSeconds: 60, inScope: inScope,
                enrichedProfiles: inScope * 3 / 4, paid: 10, cacheHits: 1_000)
        }
    }

    /// Three runs, a refresh skipped, a run that failed and a run cancelled: what the fixture's run follows.
    static var history: [RefreshHistoryEntry] {
        var history = Self.runs(3)
        history.insert(RefreshHistoryEntry(skippedAt: "2025-01-02T18:00:00.000Z", running: "run-2"), at: 2)
        history.append(RefreshHistoryEntry(
            failed: "run-4", error: JobError(.lookupsFailed, "Leadspace answered 503"),
            finishedAt: "2025-01-04T06:01:00.000Z", dueAt: "2025-01-04T06:00:00.000Z"))
        history.append(RefreshHistoryEntry(
            failed: "run-5", error: JobError(.cancelled, "cancelled while queued"),
            finishedAt: "2025-01-05T06:00:30.000Z", dueAt: nil))
        return history
    }

    /// The fixture's result as a refresh with a lookup cache: what it reused and what it paid for.
    static var refresh: ResultSummary {
        var result = Self.result
        result.lookups.paidNew = 999_000
        result.lookups.paidStale = 1_000
        return result
    }

    static func enrichmentPage(history: [RefreshHistoryEntry] = Self.history, result: ResultSummary = Self.refresh)
        -> RenderedPage
    {
        RenderedPage(html: ReportPage.render(result, preview: Self.preview, history: history))
    }
}

extension RenderedPage {
    func count(of text: String) -> Int { self.html.components(separatedBy: text).count - 1 }
}

/// "Enriched customers over time": which runs a page draws, and how, as text and as the page's markup.
struct ReportOverTimeTests {
    @Test func theRunsAreTheHistoryBeforeThisRunAndThisRunFromItsResult() {
        let result = ReportFixture.refresh
        let overTime = ReportPage.OverTime(history: ReportFixture.history, result: result)
        // The skipped refresh is not a run; the failed and cancelled ones are, but are not points.
        #expect(overTime.runs.map(\.jobId) == ["run-1", "run-2", "run-3", "run-4", "run-5", result.id])
        #expect(overTime.points.map(\.jobId) == ["run-1", "run-2", "run-3", result.id])
        #expect(overTime.runs.last == RefreshHistoryEntry(result: result, dueAt: nil))
    }

    @Test func aRunTheHistoryHasAlreadyIsDrawnOnceFromItsResultAndLaterRunsAreLeftOut() {
        let result = ReportFixture.refresh
        var history = ReportFixture.runs(2)
        // A line of this run's earlier failure (it was retried), with the slot it served, then a later run.
        history.append(RefreshHistoryEntry(failed: result.id, error: JobError(.lookupsFailed, "503"),
                                           finishedAt: "2025-03-01T06:00:00.000Z", dueAt: "2025-03-01T06:00:00.000Z"))
        history += ReportFixture.runs(4).suffix(2)
        let overTime = ReportPage.OverTime(history: history, result: result)
        #expect(overTime.runs.map(\.jobId) == ["run-1", "run-2", result.id])
        #expect(overTime.runs.last == RefreshHistoryEntry(result: result, dueAt: "2025-03-01T06:00:00.000Z"))
        let page = RenderedPage(html: ReportPage.render(result, preview: ReportFixture.preview, history: history))
        #expect(page.count(of: #"<g class="run""#) == 3 && page.count(of: #"data-job="\#(result.id)""#) == 2,
                "once in the chart, once in the table")
    }

    @Test func aOneOffJobHasNoOverTimeCardAndAFirstRunHasOneColumn() {
        #expect(!ReportFixture.page.contains("over-time") && !ReportFixture.page.contains("over time"))
        let first = ReportFixture.enrichmentPage(history: [])
        #expect(first.contains(#"id="over-time" data-runs="1" data-points="1""#))
        #expect(first.count(of: #"<g class="run""#) == 1 && first.count(of: #"<text class="date""#) == 1)
    }

    @Test func eachColumnCarriesItsRunsRawValuesAndItsTooltipReadsWithSeparators() {
        let page = ReportFixture.enrichmentPage()
        #expect(page.contains(#"id="over-time" data-runs="6" data-points="4""#))
        #expect(page.contains(#"<g class="run" data-job="run-2" data-finished="2025-01-02T06:00:00.000Z" "#
            + #"data-enriched="750750" data-in-scope="1001000" data-outcome="succeeded"><title>2025-01-02 06:00 UTC: "#
            + "enriched 750,750 of 1,001,000 profiles (75.0%)</title>"))
        // This run's column is its headline.
        #expect(page.contains(#"data-job="job-20250314-0001" data-finished="2025-03-14T11:02:07.123Z" "#
            + #"data-enriched="1860000" data-in-scope="2000000" data-outcome="completedWithWarnings">"#))
        // The value axis: 0, the middle and a round top above the largest scope, with separators.
        for (value, text) in [(0, "0"), (1_000_000, "1,000,000"), (2_000_000, "2,000,000")] {
            #expect(page.contains(#"data-value="\#(value)">\#(text)</text>"#), "axis label \(text)")
        }
        // Runs on several days: the first, the middle and the last are dated, the years below.
        let dates = ["Jan 1", "Jan 2", "Mar 14"].map { #"">\#($0)</text>"# }
        for date in dates { #expect(page.contains(date), "date \(date)") }
        #expect(page.count(of: #"<text class="date""#) == 3)
        #expect(page.contains(#"<p class="note" id="over-time-span">From 2025-01-01 to 2025-03-14 (UTC).</p>"#))
    }

    @Test func failedAndCancelledRunsAreListedWithTheirStatusButNotDrawn() {
        let page = ReportFixture.enrichmentPage()
        #expect(page.contains(#"<tr data-job="run-4" data-outcome="failed"><td class="nowrap">2025-01-04 06:01</td>"#
            + #"<td>Failed (retrying)</td><td class="num">—</td>"#))
        #expect(page.contains(#"<tr data-job="run-5" data-outcome="cancelled">"#)
                    && page.contains("<td>Cancelled</td>"))
        #expect(page.contains("2 failed or cancelled runs are listed below but not drawn"))
        #expect(!page.contains(#"<g class="run" data-job="run-4""#) && !page.contains("skipped"))
        #expect(page.contains(#"<td class="num" data-count="750750">750,750</td>"#))
    }

    @Test func aHundredAndFiftyRunsDrawTheLastHundredAndThreeDates() {
        let page = ReportFixture.enrichmentPage(history: ReportFixture.runs(150))
        #expect(page.contains(#"data-runs="151" data-points="100""#))
        #expect(page.count(of: #"<g class="run""#) == 100 && page.count(of: #"<text class="date""#) == 3)
        #expect(page.contains("The last 100 of 151 completed runs.") && page.contains("<summary>The last 100 runs"))
        #expect(!page.contains(#"data-job="run-51""#) && page.contains(#"data-job="run-52""#))
    }

    @Test func runsOnOneDayAreToldApartByTheirTimes() {
        var result = ReportFixture.refresh
        result.timings.finishedAt = "2025-01-01T18:00:00.000Z"
        let morning = ReportFixture.runs(1)
        let page = ReportFixture.enrichmentPage(history: morning, result: result)
        #expect(page.contains(#"">06:00</text>"#) && page.contains(#"">18:00</text>"#))
        #expect(page.contains("On 2025-01-01 (UTC)."))
    }

    @Test func whatComesFromTheHistoryIsEscaped() {
        var history = ReportFixture.runs(1)
        history[0].jobId = #"<b>"x"</b>"#
        history[0].finishedAt = "<i>soon</i>\u{1B}[31m"
        let page = ReportFixture.enrichmentPage(history: history)
        #expect(!page.contains("<b>") && !page.contains("<i>"))
        #expect(page.contains(#"data-job="&lt;b&gt;&quot;x&quot;&lt;/b&gt;""#))
        #expect(page.contains(#"&lt;i&gt;soon&lt;/i&gt;\x1b[31m"#))
    }

    @Test func aRunWithoutCompletedRunsBeforeItAndNoResultsOfItsOwnIsStillListed() {
        var result = ReportFixture.refresh
        result.state = .cancelled
        let page = ReportFixture.enrichmentPage(history: [], result: result)
        #expect(page.contains(#"data-runs="1" data-points="0""#) && page.contains("No run has completed yet."))
        #expect(!page.contains(#"class="chart timeline""#))
    }

    @Test(arguments: [
        (0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (21, 25), (26, 50), (404, 500), (1_608, 2_000),
        (2_000_000, 2_000_000), (2_000_001, 2_500_000),
    ])
    func theValueAxisEndsAtARoundNumber(largest: Int, top: Int) {
        var result = ReportFixture.refresh
        result.customers.inScope = largest
        result.customers.enrichedProfiles = largest / 2
        let page = ReportFixture.enrichmentPage(history: [], result: result)
        let axis = page.html.components(separatedBy: #"<text class="axis""#).dropFirst()
            .compactMap { $0.components(separatedBy: #"data-value=""#).dropFirst().first?.prefix { $0 != "\"" } }
        #expect(axis.last.flatMap { Int($0) } == top, "axis \(axis)")
    }

    @Test(arguments: [(120, 20), (80, 20), (60, 8), (40, 0)])
    func theTextListsTheLastTenRunsWithABarThatFitsTheWidth(width: Int, bar: Int) {
        let result = ReportFixture.refresh
        let history = ReportFixture.runs(13) + [
            RefreshHistoryEntry(failed: "run-14", error: JobError(.lookupsFailed, "Leadspace answered 503"),
                                finishedAt: "2025-01-14T06:01:00.000Z", dueAt: "2025-01-14T06:00:00.000Z"),
            RefreshHistoryEntry(failed: "run-15", error: JobError(.cancelled, "cancelled while queued"),
                                finishedAt: "2025-01-15T06:00:30.000Z", dueAt: nil),
        ]
        let lines = ReportPage.OverTime(history: history, result: result).textLines(width: width)
        #expect(lines.count == 11)
        #expect(lines[0].hasPrefix("Enriched customers over time (the last 10 of 16 runs, UTC"), "\(lines[0])")
        #expect(lines[1].hasPrefix("  2025-01-07 06:00  ") && lines[1].hasSuffix("754,500 of 1,006,000 (75.0%)"),
                "\(lines[1])")
        #expect(lines[8] == "  2025-01-14 06:01  Failed (retrying)" && lines[9] == "  2025-01-15 06:00  Cancelled")
        #expect(lines[10].hasPrefix("  2025-03-14 11:02  ") && lines[10].hasSuffix("1,860,000 of 2,000,000 (93.0%)"))
        // The bar takes what the figures leave, up to 20 columns (at 40 the figures alone do not fit: enrichctl
        // wraps them).
        if width >= 60 {
            for line in lines.dropFirst() { #expect(line.count <= width, "\(line.count) columns: \(line)") }
        }
        func cells(_ line: String) -> (enriched: Int, inScope: Int) {
            (line.filter { $0 == "█" }.count, line.filter { $0 == "░" }.count)
        }
        // One scale, the largest scope (this run's 2,000,000): run-7's 1,006,000 fills about half of it.
        let (enriched, inScope) = cells(lines[10])
        let (firstEnriched, firstInScope) = cells(lines[1])
        let expected: [Int: [Int]] = [20: [19, 1, 8, 2], 8: [7, 1, 3, 1], 0: [0, 0, 0, 0]]
        #expect([enriched, inScope, firstEnriched, firstInScope] == expected[bar], "\(lines[10])\n\(lines[1])")
        #expect(cells(lines[8]) == (0, 0))
    }

    @Test func theReuseLineReadsTheSameOnThePageAndInTheText() throws {
        let lookups = ReportFixture.refresh.lookups
        let text = try #require(lookups.reuseText)
        #expect(text == "Reused from the cache 234,567 · paid 1,000,000 (999,000 new, 1,000 stale)")
        #expect(ReportFixture.enrichmentPage().contains(#"<p class="note" id="reuse" data-cache-hits="234567" "#
            + #"data-paid="1000000" data-paid-new="999000" data-paid-stale="1000">\#(text)</p>"#))
        #expect(ReportFixture.result.lookups.reuseText == nil && !ReportFixture.page.contains("id=\"reuse\""),
                "without a cache, no reuse line")
    }
}
