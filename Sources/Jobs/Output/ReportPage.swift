import Formats
import Foundation

/// `report.html`: the results view as a self-contained page (inline CSS and SVG; no scripts, no network assets).
///
/// A headline card (enriched N of M profiles, the job's state and times, its warnings), then cards with the match
/// confidence and the outcome as stacked bars with their legend, the rows by address kind, the field coverage,
/// the contacts and the lookups; last the first rows of the output table, in a box of their own that scrolls.
/// What people read has thousands separators and words; the raw values stay in `data-*` attributes for whoever
/// reads the page by program: `#summary`, `#contacts`, `#lookups`, `#reuse`, `data-level` and `data-status`
/// (beside `data-count`), `data-column` with `data-count` on the coverage bars, and `#over-time` with a `g.run`
/// per run of a saved enrichment.
public enum ReportPage {
    /// The first rows of an output table, for the preview.
    public static func preview(path: String, rows: Int = 10) -> (header: [String], rows: [[String]]) {
        guard let reader = try? CSVReader(path: path, displayName: (path as NSString).lastPathComponent) else {
            return ([], [])
        }
        var result: [[String]] = []
        while result.count < rows, let record = try? reader.next() { result.append(record.fields) }
        return (reader.header, result)
    }

    /// The page of `result`; `history` (history.jsonl's entries) when the job is a run of a saved enrichment,
    /// which adds the card "Enriched customers over time" beside the field coverage (``OverTime``).
    public static func render(_ result: ResultSummary, preview: (header: [String], rows: [[String]]),
                              history: [RefreshHistoryEntry]? = nil) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(result.name)) — enrichment results</title>
            <style>\(Self.style)</style>
            </head><body><main>

            """
        html += Self.headline(result)
        html += "<div class=\"grid\">\n"
        html += Self.confidence(result.customers)
        html += Self.outcome(result.customers)
        html += Self.addressKinds(result.customers)
        html += Self.coverage(result.fieldCoverage, enriched: result.customers.enriched)
        if let history { html += Self.overTime(OverTime(history: history, result: result)) }
        if let contacts = result.contacts { html += Self.contacts(contacts, coverage: result.contactFieldCoverage) }
        html += Self.lookups(result.lookups)
        html += "</div>\n"
        if !preview.header.isEmpty { html += Self.previewTable(preview, file: result.outputs.table) }
        return html + "</main></body></html>\n"
    }

    /// Small and system-font only: the page must read offline, on a phone as on a desktop.
    static let style = """
        :root{--ink:#111827;--muted:#4b5563;--line:#e5e7eb}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);\
        background:#f3f4f6}
        main{max-width:76rem;margin:0 auto;padding:.75rem}
        .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem;margin:0 0 1rem;min-width:0}
        h1{font-size:1.05rem;font-weight:600;margin:0;overflow-wrap:anywhere}
        h2{font-size:1rem;margin:0 0 .6rem}
        .eyebrow{margin:0;color:var(--muted);font-size:.75rem;text-transform:uppercase;letter-spacing:.05em}
        .big{font-size:clamp(1.3rem,5vw,1.8rem);font-weight:650;line-height:1.2;margin:.4rem 0 .6rem}
        .sub{font-size:1.1rem;font-weight:600;margin:0 0 .6rem}
        .big span,.sub span{color:var(--muted);font-weight:500}
        .meter{display:block;max-width:36rem}
        .facts{display:flex;flex-wrap:wrap;gap:.5rem 1.75rem;margin:.9rem 0 0}
        .facts div{min-width:0}
        dt{color:var(--muted);font-size:.75rem}
        dd{margin:0;overflow-wrap:anywhere}
        time,.nowrap,.num{white-space:nowrap}
        code{font:.85em ui-monospace,SFMono-Regular,Menlo,monospace}
        .state{display:inline-block;padding:0 .55rem;border-radius:999px;font-size:.85rem;font-weight:600;\
        background:#e5e7eb}
        .state[data-state=succeeded]{background:#dcfce7;color:#166534}
        .state[data-state=completedWithWarnings]{background:#fef3c7;color:#92400e}
        .state[data-state=failed]{background:#fee2e2;color:#991b1b}
        .message{margin:.75rem 0 0;overflow-wrap:anywhere}
        .warnings{margin:1rem 0 0;padding:.6rem .8rem;border-left:4px solid #f59e0b;background:#fffbeb;\
        border-radius:6px}
        .warnings h2{font-size:.9rem;margin:0 0 .25rem}
        .warnings ul{margin:0;padding-left:1.2rem}
        .warnings li{overflow-wrap:anywhere}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));column-gap:1rem}
        svg.chart{display:block;margin:0 0 .6rem}
        svg.timeline{overflow:visible}
        .key{margin:0;font-size:.8rem;display:flex;flex-wrap:wrap;gap:0 1rem}
        details{margin:.6rem 0 0}
        summary{cursor:pointer;color:var(--muted);font-size:.85rem}
        table{border-collapse:collapse;font-size:.875rem}
        th,td{padding:.25rem .5rem;text-align:left;border-bottom:1px solid var(--line)}
        th{font-weight:600;color:var(--muted)}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.4rem}
        .note{color:var(--muted);font-size:.8rem;margin:.5rem 0 0}
        .stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem 1rem;margin:0}
        .stats dd{font-size:1.1rem;font-weight:600;font-variant-numeric:tabular-nums}
        .scroll{overflow-x:auto;max-width:100%}
        #preview{font-size:.75rem}
        #preview th,#preview td{white-space:nowrap;max-width:16rem;overflow:hidden;text-overflow:ellipsis}
        @media (min-width:48rem){main{padding:1.5rem}.card{padding:1.25rem 1.5rem}}
        """

    /// The card at the top: what was enriched, of which job, in what state, when; and what to look at.
    static func headline(_ result: ResultSummary) -> String {
        let customers = result.customers
        let headline = customers.headline
        var html = """
            <header class="card headline" id="headline">
            <p class="eyebrow">Enrichment results</p>
            <h1>\(Self.escape(result.name))</h1>
            <p class="big" id="summary" data-enriched="\(headline.enriched)" data-total="\(headline.total)" \
            data-percent="\(headline.percent)">Enriched \(Self.number(headline.enriched)) of \
            \(Self.number(headline.total)) profiles <span>(\(Self.percent(headline.percent)))</span></p>

            """
        html += Self.meter(headline.percent, label: "\(Self.percent(headline.percent)) of the profiles enriched")
        let state = "<span class=\"state\" data-state=\"\(result.state.rawValue)\">"
            + "\(Self.words(for: result.state))</span>"
        var facts = [
            ("State", state),
            ("Job", "<code>\(Self.escape(result.id))</code>"),
            ("Output table", "<code>\(Self.escape(result.outputTable))</code>"),
        ]
        if !result.connection.isEmpty { facts.append(("Connection", Self.escape(result.connection))) }
        if customers.rows > 0 {
            let outOfScope = customers.outOfScope > 0 ? " (\(Self.number(customers.outOfScope)) out of scope)" : ""
            facts.append(("Input rows", Self.number(customers.rows) + outOfScope))
        }
        facts += [
            ("Started", Self.time(result.timings.startedAt)),
            ("Finished", Self.time(result.timings.finishedAt)),
            ("Duration", "<span class=\"nowrap\">\(Self.duration(result.timings.durationSeconds))</span>"),
        ]
        html += "<dl class=\"facts\">" + facts.map { "<div><dt>\($0)</dt><dd>\($1)</dd></div>" }.joined() + "</dl>\n"
        if let message = result.message, !message.isEmpty {
            html += "<p class=\"message\">\(Self.escape(message))</p>\n"
        }
        let warnings = result.warningReasons
        if !warnings.isEmpty {
            html += "<div class=\"warnings\" role=\"note\"><h2>Warnings</h2><ul id=\"warnings\">"
                + warnings.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul></div>\n"
        }
        return html + "</header>\n"
    }

    static func card(_ title: String, _ content: String) -> String {
        "<section class=\"card\"><h2>\(title)</h2>\n\(content)</section>\n"
    }

    static func confidence(_ customers: ResultSummary.Records) -> String {
        let known = [("High", "High", "#1e40af"), ("Medium", "Medium", "#3b82f6"), ("Low", "Low", "#93c5fd"),
                     ("VeryLow", "Very low", "#c7d2fe")]
        var parts = known.map { Part(key: $0.0, label: $0.1, count: customers.byConfidence[$0.0] ?? 0, color: $0.2) }
        // A level this page does not know yet is still counted, in grey.
        for level in customers.byConfidence.keys.sorted() where !known.contains(where: { $0.0 == level }) {
            parts.append(Part(key: level, label: level, count: customers.byConfidence[level] ?? 0, color: "#9ca3af"))
        }
        let total = parts.reduce(0) { $0 + $1.count }
        return Self.card(
            "Match confidence",
            Self.stackedBar(parts, title: "Match confidence")
                + Self.legend(parts, id: "confidence", heading: "Level", attribute: "data-level")
                + "<p class=\"note\">Of the \(Self.number(total)) enriched rows.</p>\n"
        )
    }

    static func outcome(_ customers: ResultSummary.Records) -> String {
        let parts = [
            Part(key: "Enriched", label: "Enriched", count: customers.enriched, color: "#16a34a"),
            Part(key: "NotEnriched", label: "Not enriched", count: customers.notEnriched, color: "#9ca3af"),
            Part(key: "InvalidInput", label: "Invalid input", count: customers.invalidInput, color: "#f59e0b"),
            Part(key: "Error", label: "Error", count: customers.errors, color: "#dc2626"),
        ]
        var note = "Of the \(Self.number(customers.outputRows)) output rows: one per customer in scope and address"
            + " kind."
        if let placeholders = customers.placeholders, placeholders > 0 {
            note += " \(Self.number(placeholders)) of the invalid rows name a placeholder (N/A, Unknown…) and"
                + " were not looked up."
        }
        return Self.card(
            "Outcome",
            Self.stackedBar(parts, title: "Outcome")
                + Self.legend(parts, id: "outcome", heading: "Status", attribute: "data-status")
                + "<p class=\"note\">\(note)</p>\n"
        )
    }

    static func addressKinds(_ customers: ResultSummary.Records) -> String {
        guard !customers.byAddressType.isEmpty else { return "" }
        var html = "<table id=\"by-address\"><thead><tr><th>Address</th><th class=\"num\">Rows</th>"
            + "<th class=\"num\">Enriched</th><th class=\"num\">Share</th></tr></thead><tbody>"
        for (kind, counts) in customers.byAddressType.sorted(by: { $0.key < $1.key }) {
            html += "<tr><td>\(Self.escape(kind))</td>"
                + "<td class=\"num\" data-count=\"\(counts.rows)\">\(Self.number(counts.rows))</td>"
                + "<td class=\"num\" data-count=\"\(counts.enriched)\">\(Self.number(counts.enriched))</td>"
                + "<td class=\"num\">\(Self.percent(Self.share(counts.enriched, of: counts.rows)))</td></tr>"
        }
        return Self.card("By address", html + "</tbody></table>\n")
    }

    static func coverage(_ coverage: [String: Int], enriched: Int) -> String {
        Self.card(
            "Field coverage",
            Self.coverageChart(coverage, columns: CompanyOutputTable.coverageColumns, total: enriched,
                               title: "Field coverage")
                + "<p class=\"note\">How many of the \(Self.number(enriched)) enriched rows have each field.</p>\n"
        )
    }

    static func contacts(_ contacts: ResultSummary.Records, coverage: [String: Int]?) -> String {
        var html = """
            <p class="sub" id="contacts" data-enriched="\(contacts.enriched)" data-total="\(contacts.outputRows)">\
            Enriched \(Self.number(contacts.enriched)) of \(Self.number(contacts.outputRows)) contacts \
            <span>(\(Self.percent(contacts.enrichedPercent)))</span></p>

            """
        if let coverage {
            html += Self.coverageChart(
                coverage, columns: ContactsOutputTable.coverageColumns, total: contacts.enriched,
                title: "Contact field coverage")
            html += "<p class=\"note\">How many of the \(Self.number(contacts.enriched)) enriched contacts have each"
                + " field.</p>\n"
        }
        return Self.card("Contacts", html)
    }

    static func lookups(_ lookups: ResultSummary.Lookups) -> String {
        var stats = [
            ("Distinct lookups", lookups.distinctKeys), ("Paid (sent)", lookups.sent),
            ("From cache", lookups.cacheHits), ("Saved by sharing", lookups.savedByDedup),
            ("Retries", lookups.retries), ("Rate-limited", lookups.rateLimited),
        ]
        if lookups.bulkCalls > 0 { stats.append(("Bulk calls", lookups.bulkCalls)) }
        if let failed = lookups.failed, failed > 0 { stats.append(("Failed (free)", failed)) }
        if let unanswered = lookups.unanswered, unanswered > 0 { stats.append(("Never answered", unanswered)) }
        var html = "<dl class=\"stats\" id=\"lookups\" data-distinct=\"\(lookups.distinctKeys)\" "
            + "data-sent=\"\(lookups.sent)\">"
            + stats.map { "<div><dt>\($0)</dt><dd>\(Self.number($1))</dd></div>" }.joined() + "</dl>\n"
        let rules = [
            ("incomplete twins", lookups.savedByIncompleteTwins),
            ("near-duplicate spellings", lookups.savedByNearDuplicates),
            ("a place after the legal form", lookups.savedByPlaceAfterLegalForm),
        ].compactMap { label, count in count.flatMap { $0 > 0 ? "\(Self.number($0)) by \(label)" : nil } }
        if !rules.isEmpty {
            html += "<p class=\"note\">Of those saved by sharing: \(rules.joined(separator: ", ")).</p>\n"
        }
        if let reuse = lookups.reuseText, let stale = lookups.paidStale, let new = lookups.paidNew {
            html += "<p class=\"note\" id=\"reuse\" data-cache-hits=\"\(lookups.cacheHits)\" "
                + "data-paid=\"\(lookups.paid ?? lookups.sent)\" data-paid-new=\"\(new)\" data-paid-stale=\"\(stale)\">"
                + "\(Self.escape(reuse))</p>\n"
        }
        return Self.card("Lookups", html)
    }

    /// The first rows of the output table, every column: the box scrolls sideways, never the page; a long value
    /// is cut with an ellipsis and is whole in its cell's title.
    static func previewTable(_ preview: (header: [String], rows: [[String]]), file: String) -> String {
        func cell(_ tag: String, _ value: String) -> String {
            let text = Self.escape(value)
            // Only values that may be cut carry a title: the page stays light.
            return value.count > 20 ? "<\(tag) title=\"\(text)\">\(text)</\(tag)>" : "<\(tag)>\(text)</\(tag)>"
        }
        var html = "<p class=\"note\">The first \(Self.number(preview.rows.count)) rows of "
            + "<code>\(Self.escape(file))</code>.</p>\n"
            + "<div class=\"scroll\" id=\"preview-box\" role=\"region\" aria-label=\"Preview of the output table\" "
            + "tabindex=\"0\"><table id=\"preview\"><thead><tr>" + preview.header.map { cell("th", $0) }.joined()
            + "</tr></thead><tbody>"
        for row in preview.rows { html += "<tr>" + row.map { cell("td", $0) }.joined() + "</tr>" }
        return Self.card("Preview", html + "</tbody></table></div>\n")
    }
}
