import EnrichdTestSupport
import Foundation
import Jobs
import Testing

/// A finished job with numbers in the millions, a preview as wide as the real output table (25 columns, one value
/// of 300 characters) and a name, output table and preview written by someone hostile.
enum ReportFixture {
    /// Markup, a script, ANSI colour escapes (7-bit ESC and the 8-bit CSI) in one name.
    static let hostileName = "<script>window.injected = 1</script><img src=x onerror=\"window.injected = 2\">"
        + "\u{1B}[31mRed\u{1B}[0m \u{9B}2J & co"
    /// How the page shows it: as text, each control character as enrichctl shows it (`\x1b`).
    static let hostileNameAsText = "<script>window.injected = 1</script><img src=x onerror=\"window.injected = 2\">"
        + #"\x1b[31mRed\x1b[0m \x9b2J & co"#
    static let longValue = String(String(repeating: "Lorem ipsum dolor sit amet ", count: 12).prefix(300))
    static let startedAt = "2025-03-14T09:26:53.589Z"
    static let finishedAt = "2025-03-14T11:02:07.123Z"

    static var result: ResultSummary {
        var customers = ResultSummary.Records()
        customers.rows = 2_500_000
        customers.inScope = 2_000_000
        customers.outOfScope = 500_000
        customers.outputRows = 4_000_000
        customers.enriched = 3_720_000
        customers.notEnriched = 200_000
        customers.invalidInput = 60_000
        customers.errors = 20_000
        customers.enrichedPercent = 93.0
        customers.enrichedProfiles = 1_860_000
        customers.placeholders = 1_500
        customers.byConfidence = ["High": 2_100_000, "Medium": 1_000_000, "Low": 500_000, "VeryLow": 120_000]
        var primary = ResultSummary.AddressTypeCounts()
        primary.rows = 2_000_000
        primary.enriched = 1_900_000
        var billing = ResultSummary.AddressTypeCounts()
        billing.rows = 2_000_000
        billing.enriched = 1_820_000
        customers.byAddressType = ["Primary": primary, "Billing": billing]
        var contacts = ResultSummary.Records()
        contacts.outputRows = 50_000
        contacts.enriched = 40_000
        contacts.notEnriched = 10_000
        contacts.enrichedPercent = 80.0
        var lookups = ResultSummary.Lookups()
        lookups.distinctKeys = 1_234_567
        lookups.sent = 1_000_000
        lookups.cacheHits = 234_567
        lookups.savedByDedup = 765_433
        lookups.retries = 12_345
        lookups.rateLimited = 6_789
        lookups.paid = 1_000_000
        lookups.failed = 0
        lookups.unanswered = 0
        let columns = CompanyOutputTable.coverageColumns
        let coverage = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, 3_720_000 - $0 * 150_000) })
        let contactCoverage = Dictionary(uniqueKeysWithValues: ContactsOutputTable.coverageColumns.map { ($0, 35_000) })
        return ResultSummary(
            id: "job-20250314-0001", name: Self.hostileName, outputTable: "Out_<b>bold</b>", connection: "default",
            state: .completedWithWarnings,
            timings: .init(startedAt: Self.startedAt, finishedAt: Self.finishedAt, durationSeconds: 5_713.5),
            customers: customers, contacts: contacts, fieldCoverage: coverage, contactFieldCoverage: contactCoverage,
            lookups: lookups, outputs: .init(table: "Out.csv", contacts: "OutContacts.csv", errors: "errors.csv"),
            warnings: [#"segment value "Nowhere" occurs in no row's "Segment""#])
    }

    /// 25 columns as the output table has them, ten rows; the first row's last column holds ``longValue``.
    static var preview: (header: [String], rows: [[String]]) {
        let header = ["CustomerId", "AddressType", "EnrichmentStatus", "Reason", "MatchConfidence"]
            + CompanyOutputTable.coverageColumns.prefix(17) + ["Source", "Paid", "<i>Column</i>"]
        let rows = (0..<10).map { row in
            header.indices.map { column in
                column == header.count - 1 && row == 0 ? Self.longValue : "r\(row)c\(column) \(header[column])"
            }
        }
        return (header, rows)
    }

    static var page: RenderedPage { RenderedPage(html: ReportPage.render(Self.result, preview: Self.preview)) }
}

/// A rendered page, described in a failed expectation by its size rather than all of it.
struct RenderedPage: CustomTestStringConvertible {
    var html: String
    var testDescription: String { "report.html (\(self.html.utf8.count) bytes)" }

    func contains(_ text: String) -> Bool { self.html.contains(text) }
    func range(of text: String) -> Range<String.Index>? { self.html.range(of: text) }
}

/// The page as a string: what the system tests and the submitter's safety rely on, without a browser.
struct ReportPageTests {
    @Test func countsShowThousandsSeparatorsAndKeepTheRawValueInAnAttribute() {
        let page = ReportFixture.page
        // The system tests read `data-level="High">COUNT<` and `data-status`: the raw value moves to data-count.
        let expected = [
            #"data-count="2100000" data-level="High">2,100,000<"#,
            #"data-count="120000" data-level="VeryLow">120,000<"#,
            #"data-count="3720000" data-status="Enriched">3,720,000<"#,
            #"data-count="20000" data-status="Error">20,000<"#,
            #"data-count="1900000">1,900,000<"#,
            #"id="summary" data-enriched="1860000" data-total="2000000" data-percent="93.0""#,
            #"id="contacts" data-enriched="40000" data-total="50000""#,
            #"id="lookups" data-distinct="1234567" data-sent="1000000""#,
            #"data-column="CompanyName" data-count="3570000""#,
            "1,860,000",
            "1,234,567",
        ]
        for snippet in expected { #expect(page.contains(snippet), "missing \(snippet)") }
    }

    @Test(arguments: [
        (ResultSummary.State.succeeded, "Succeeded"), (.completedWithWarnings, "Completed with warnings"),
        (.failed, "Failed"), (.cancelled, "Cancelled"),
    ])
    func theStateReadsAsWords(state: ResultSummary.State, words: String) {
        var result = ReportFixture.result
        result.state = state
        let page = RenderedPage(html: ReportPage.render(result, preview: ReportFixture.preview))
        #expect(page.contains(">\(words)</"), "state \(state.rawValue)")
        #expect(!page.contains(">\(state.rawValue)") && !page.contains(" \(state.rawValue) "), "raw enum shown")
    }

    @Test func theHeadlineCardNamesTheJobAndItsWarningsComeBeforeTheCharts() throws {
        let page = ReportFixture.page
        let card = try #require(page.range(of: #"<header class="card headline""#), "no headline card")
        let charts = try #require(page.range(of: "Match confidence"))
        let warnings = try #require(page.range(of: #"<ul id="warnings"><li>segment value &quot;Nowhere&quot; occurs"#))
        #expect(card.lowerBound < warnings.lowerBound && warnings.lowerBound < charts.lowerBound)
        for fact in ["Connection", ">default<", "job-20250314-0001", "Started", "Finished", "1 h 35 min"] {
            #expect(page.html[card.lowerBound..<charts.lowerBound].contains(fact), "the headline card lacks \(fact)")
        }
        #expect(page.contains(#"<time datetime="2025-03-14T11:02:07.123Z">2025-03-14 11:02:07 UTC</time>"#))
    }

    @Test func everythingFromTheSubmitterIsEscapedAndControlCharactersAreShownNotSent() {
        let page = ReportFixture.page
        for markup in ["<script>window", "<img", "<b>bold", "<i>Column"] {
            #expect(!page.contains(markup), "\(markup) reached the page as markup")
        }
        #expect(page.contains("&lt;script&gt;window.injected = 1&lt;/script&gt;&lt;img src=x onerror=&quot;"))
        #expect(page.contains("Out_&lt;b&gt;bold&lt;/b&gt;") && page.contains("&lt;i&gt;Column&lt;/i&gt;"))
        // A control character is a parse error in HTML and a terminal escape when the page is cat'ed.
        let controls = page.html.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
        }
        #expect(controls.isEmpty, "control characters in the page: \(controls.map { String($0.value, radix: 16) })")
        #expect(page.contains(#"\x1b[31mRed\x1b[0m \x9b2J &amp; co"#))
    }

    @Test func thePreviewScrollsInItsOwnBoxAndCutsLongValuesKeepingThemInTheTitle() {
        let page = ReportFixture.page
        #expect(page.contains(#"<div class="scroll" id="preview-box""#))
        #expect(page.contains(#"title="\#(ReportFixture.longValue)">\#(ReportFixture.longValue)<"#))
        #expect(page.contains("overflow-x:auto") && page.contains("text-overflow:ellipsis"))
    }

    @Test func aJobThatEnrichedNothingRendersZerosNotNaN() {
        let empty = ResultSummary(
            id: "empty", name: "Empty", outputTable: "Out", connection: "", state: .cancelled,
            timings: .init(startedAt: "", finishedAt: ReportFixture.finishedAt, durationSeconds: 0.4),
            customers: .init(), fieldCoverage: [:], lookups: .init(),
            outputs: .init(table: "Out.csv", errors: "errors.csv"))
        let page = RenderedPage(html: ReportPage.render(empty, preview: ([], [])))
        #expect(page.contains("Enriched 0 of 0 profiles <span>(0.0%)</span>") && page.contains(">Cancelled<"))
        for absent in ["nan", "NaN", "inf", "Connection", "id=\"preview", "id=\"warnings", "id=\"contacts"] {
            #expect(!page.contains(absent), "\(absent) in an empty job's page")
        }
        #expect(page.contains("<dt>Started</dt><dd>—</dd>") && page.contains("<dd><span class=\"nowrap\">0.4 s</span>"))
    }

    @Test func thePageIsSelfContainedWithItsChartsAsLabelledInlineSVG() {
        let page = ReportFixture.page
        for external in ["<link", "src=\"", "@import", "url(", "http://", "https://"] {
            #expect(!page.contains(external), "\(external): the page must need nothing from the network")
        }
        for chart in ["Match confidence", "Outcome", "Field coverage"] {
            #expect(page.contains(#"<svg class="chart" role="img" aria-label="\#(chart):"#), "no \(chart) chart")
        }
        #expect(page.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
    }
}

/// The page in a real browser (headless Chromium) at a desktop and a phone width.
@Suite(
    .serialized,
    .enabled(if: HeadlessBrowser.isInstalledOrRequired,
             "chromium is not installed (apt-get install chromium); with CI=true they fail instead")
)
struct ReportPageBrowserTests {
    struct Viewport: Sendable, CustomTestStringConvertible {
        var width: Int
        var height: Int
        var testDescription: String { "\(self.width)×\(self.height)" }
        static let desktop = Viewport(width: 1280, height: 800)
        static let phone = Viewport(width: 390, height: 844)
    }

    struct Measurement: Decodable {
        struct Time: Decodable {
            var text: String
            var datetime: String
            var lines: Int
        }
        struct Chart: Decodable {
            var label: String
            var width: Double
            var height: Double
            var fitsItsBox: Bool
            var textsInside: Bool
            var textsClearOfBars: Bool
        }
        struct Cut: Decodable {
            var isCut: Bool
            var ellipsis: Bool
            var width: Double
            var title: String?
        }
        var innerWidth: Double
        var scrollWidth: Double
        var previewBox: Bool
        var previewScrolls: Bool
        var previewBoxFits: Bool
        var longValue: Cut?
        var times: [Time]
        var rawNumbers: [String]
        var countCells: [String: String]
        var charts: [Chart]
        var title: String
        var heading: String
        var injectedElements: Int
        var scripts: Int
        var injected: String
    }

    /// Measures everything the tests look at, in one load of the page.
    static let script = """
        const root = document.documentElement;
        const preview = document.getElementById("preview");
        let box = preview ? preview.parentElement : null;
        while (box && box !== document.body && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) {
            box = box.parentElement;
        }
        if (box === document.body) box = null;
        const long = [...document.querySelectorAll("#preview td, #preview td *")]
            .filter((element) => element.textContent.length >= 300).pop();
        const intersects = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
            && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
        const charts = [...document.querySelectorAll("svg")].map((svg) => {
            const frame = svg.getBoundingClientRect(), parent = svg.parentElement.getBoundingClientRect();
            const texts = [...svg.querySelectorAll("text")].map((text) => text.getBoundingClientRect());
            const bars = [...svg.querySelectorAll("rect")].map((rect) => rect.getBoundingClientRect())
                .filter((rect) => rect.width > 0);
            return {
                label: svg.getAttribute("aria-label") || "",
                width: frame.width, height: frame.height,
                fitsItsBox: frame.left >= parent.left - 0.5 && frame.right <= parent.right + 0.5
                    && frame.right <= innerWidth,
                textsInside: texts.every((text) => text.left >= frame.left - 0.5 && text.right <= frame.right + 0.5),
                textsClearOfBars: texts.every((text) => !bars.some((bar) => intersects(text, bar))),
            };
        });
        const separated = (text) => text.replace(/\\d{1,3}(,\\d{3})+/g, "");
        const counted = [...document.querySelectorAll(
            "table:not(#preview) td, table:not(#preview) th, svg text, #summary, #lookups, #contacts")];
        return {
            innerWidth: innerWidth, scrollWidth: root.scrollWidth,
            previewBox: box !== null,
            previewScrolls: box !== null && box.scrollWidth > box.clientWidth,
            previewBoxFits: box !== null && box.getBoundingClientRect().right <= innerWidth,
            longValue: long ? {
                isCut: long.scrollWidth > long.clientWidth,
                ellipsis: getComputedStyle(long).textOverflow === "ellipsis",
                width: long.getBoundingClientRect().width,
                title: long.closest("[title]") ? long.closest("[title]").getAttribute("title") : null,
            } : null,
            times: [...document.querySelectorAll("time")].map((time) => ({
                text: time.textContent, datetime: time.getAttribute("datetime") || "",
                lines: time.getClientRects().length,
            })),
            rawNumbers: counted.map((element) => element.textContent).filter((text) => /\\d{4,}/.test(separated(text))),
            countCells: Object.fromEntries([...document.querySelectorAll("td[data-level], td[data-status]")]
                .map((cell) => [cell.dataset.level || cell.dataset.status, cell.textContent])),
            charts: charts,
            title: document.title,
            heading: (document.querySelector("h1") || {textContent: ""}).textContent,
            injectedElements: document.querySelectorAll("img, b, i, script").length,
            scripts: document.scripts.length,
            injected: typeof window.injected,
        };
        """

    static func measure(_ viewport: Viewport) throws -> Measurement {
        try HeadlessBrowser().measure(ReportFixture.page.html, width: viewport.width, height: viewport.height,
                                      script: Self.script)
    }

    @Test(arguments: [Viewport.desktop, .phone])
    func thePageNeverScrollsSidewaysAndThePreviewScrollsInsideItsBox(viewport: Viewport) throws {
        let measured = try Self.measure(viewport)
        #expect(measured.innerWidth == Double(viewport.width), "the frame is the viewport")
        #expect(measured.scrollWidth <= measured.innerWidth, "the page is \(measured.scrollWidth) px wide")
        #expect(measured.previewBox, "the preview has no box of its own with overflow-x: auto")
        #expect(measured.previewScrolls && measured.previewBoxFits)
        let long = try #require(measured.longValue, "the 300-character value is not in the preview")
        #expect(long.isCut && long.ellipsis, "the long value is not cut with an ellipsis")
        #expect(long.width <= 400, "the long value's cell is \(long.width) px wide")
        #expect(long.title == ReportFixture.longValue, "the full value is not in the title")
    }

    @Test(arguments: [Viewport.desktop, .phone])
    func timestampsStayOnOneLine(viewport: Viewport) throws {
        let measured = try Self.measure(viewport)
        #expect(Set(measured.times.map(\.datetime)) == [ReportFixture.startedAt, ReportFixture.finishedAt],
                "\(measured.times)")
        for time in measured.times { #expect(time.lines == 1, "\(time.text) takes \(time.lines) lines") }
    }

    @Test(arguments: [Viewport.desktop, .phone])
    func theChartsAreInlineSVGThatFitsAndKeepsItsLabelsReadable(viewport: Viewport) throws {
        let measured = try Self.measure(viewport)
        for name in ["Match confidence", "Outcome", "Field coverage"] {
            #expect(measured.charts.contains { $0.label.hasPrefix(name + ":") }, "no \(name) chart")
        }
        for chart in measured.charts {
            #expect(chart.width >= 200 && chart.height >= 10 && chart.height <= 700, "\(chart)")
            #expect(chart.fitsItsBox && chart.textsInside && chart.textsClearOfBars, "\(chart)")
        }
    }

    @Test func numbersInTablesAndChartsHaveThousandsSeparators() throws {
        let measured = try Self.measure(.desktop)
        #expect(measured.rawNumbers.isEmpty, "without separators: \(measured.rawNumbers)")
        #expect(measured.countCells == [
            "High": "2,100,000", "Medium": "1,000,000", "Low": "500,000", "VeryLow": "120,000",
            "Enriched": "3,720,000", "NotEnriched": "200,000", "InvalidInput": "60,000", "Error": "20,000",
        ])
    }

    @Test func theHostileNameIsTextNotMarkup() throws {
        let measured = try Self.measure(.phone)
        #expect(measured.title == ReportFixture.hostileNameAsText + " — enrichment results")
        #expect(measured.heading == ReportFixture.hostileNameAsText)
        #expect(measured.injectedElements == 0 && measured.scripts == 0 && measured.injected == "undefined",
                "\(measured.injectedElements) injected elements, \(measured.scripts) scripts")
    }
}
