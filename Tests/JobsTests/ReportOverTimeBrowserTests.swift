import EnrichdTestSupport
import Foundation
import Jobs
import Testing

/// The over-time chart in a real browser, at a desktop and a phone width, with one run, a few and a hundred. In
/// ``ReportPageBrowserTests`` (one browser at a time).
extension ReportPageBrowserTests {
    struct OverTimeMeasurement: Decodable {
        struct Column: Decodable {
            var job: String
            var enriched: Int
            var inScope: Int
            var width: Double
            var height: Double
            var enrichedHeight: Double
            var inScopeHeight: Double
        }
        struct Box: Decodable {
            var left: Double
            var right: Double
        }
        var layout: Measurement
        var columns: [Column]
        var dates: [Box]
        var axis: [Box]
        var plotLeft: Double
    }

    /// ``script``'s measurement, and the over-time chart's columns, dates and value axis.
    static let overTimeScript = """
        const layout = (() => { \(Self.script) })();
        const svg = document.querySelector("#over-time svg");
        const box = (element) => {
            const rect = element.getBoundingClientRect();
            return {left: rect.left, right: rect.right};
        };
        const height = (element) => element.getBoundingClientRect().height;
        return {
            layout: layout,
            columns: [...svg.querySelectorAll("g.run")].map((run) => ({
                job: run.dataset.job, enriched: Number(run.dataset.enriched), inScope: Number(run.dataset.inScope),
                width: run.getBoundingClientRect().width, height: height(run),
                enrichedHeight: height(run.querySelector("rect.enriched")),
                inScopeHeight: height(run.querySelector("rect.in-scope")),
            })),
            dates: [...svg.querySelectorAll("text.date")].map(box),
            axis: [...svg.querySelectorAll("text.axis")].map(box),
            plotLeft: svg.getBoundingClientRect().left + parseFloat(getComputedStyle(svg).paddingLeft),
        };
        """

    @Test(arguments: [(Viewport.desktop, 1), (.phone, 1), (.desktop, 4), (.phone, 4), (.desktop, 100), (.phone, 100)])
    func theOverTimeChartDrawsAColumnPerRunThatFitsAtEveryWidth(viewport: Viewport, runs: Int) throws {
        let page = ReportFixture.enrichmentPage(history: ReportFixture.runs(runs - 1))
        let visit = try HeadlessBrowser().visit(
            page.html, width: viewport.width, height: viewport.height, script: Self.overTimeScript,
            as: OverTimeMeasurement.self)
        #expect(visit.console.isEmpty && visit.requests.isEmpty, "\(visit.console) \(visit.requests)")
        let measured = visit.value
        #expect(measured.layout.scrollWidth <= measured.layout.innerWidth, "the page scrolls sideways")
        let chart = try #require(measured.layout.charts.first { $0.label.hasPrefix("Enriched customers over time:") })
        #expect(chart.width >= 200 && chart.height >= 100, "\(chart)")
        #expect(chart.fitsItsBox && chart.textsInside && chart.textsClearOfBars, "\(chart)")
        #expect(measured.columns.count == runs)
        #expect(measured.columns.last?.job == ReportFixture.refresh.id)
        for column in measured.columns {
            #expect(column.width > 0 && column.height > 0, "\(column)")
            // Heights in proportion to the numbers (to a pixel).
            let expected = column.inScopeHeight * Double(column.enriched) / Double(column.inScope)
            #expect(abs(column.enrichedHeight - expected) <= 1, "\(column)")
        }
        // The dates never overlap, and the value axis stays left of the columns.
        #expect(measured.dates.count == min(runs, 3))
        for (left, right) in zip(measured.dates, measured.dates.dropFirst()) {
            #expect(left.right <= right.left, "dates overlap: \(measured.dates)")
        }
        #expect(measured.axis.count == 3 && measured.axis.allSatisfy { $0.right <= measured.plotLeft },
                "\(measured.axis)")
    }
}
