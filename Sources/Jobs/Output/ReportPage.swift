import Formats
import Foundation

/// `report.html`: the results view as a self-contained page (inline CSS and SVG, no network assets).
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

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    /// A horizontal bar chart of coverage shares, as inline SVG.
    static func coverageChart(_ coverage: [String: Int], columns: [String], total: Int) -> String {
        let rowHeight = 22, labelWidth = 170, barWidth = 360
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Field coverage\" "
            + "width=\"\(labelWidth + barWidth + 70)\" height=\"\(columns.count * rowHeight + 4)\">"
        for (index, column) in columns.enumerated() {
            let count = coverage[column] ?? 0
            let share = total == 0 ? 0 : Double(count) / Double(total)
            let y = index * rowHeight + 2
            svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"13\">\(Self.escape(column))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(barWidth)\" height=\"14\" fill=\"#e5e7eb\"/>"
            svg += "<rect class=\"bar\" data-column=\"\(Self.escape(column))\" data-count=\"\(count)\" x=\"\(labelWidth)\" "
                + "y=\"\(y + 3)\" width=\"\(Int((share * Double(barWidth)).rounded()))\" height=\"14\" fill=\"#2563eb\"/>"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 15)\" font-size=\"13\">"
                + "\(String(format: "%.1f", share * 100))%</text>"
        }
        return svg + "</svg>"
    }

    public static func render(_ result: ResultSummary, preview: (header: [String], rows: [[String]])) -> String {
        let customers = result.customers
        let headline = customers.headline
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(result.name)) — enrichment results</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;font-size:12px}
            td,th{border:1px solid #d1d5db;padding:2px 6px;text-align:left}h1{font-size:1.4rem}.big{font-size:1.2rem}</style>
            </head><body>
            <h1>\(Self.escape(result.name))</h1>
            <p>Job <code>\(Self.escape(result.id))</code> · output table <code>\(Self.escape(result.outputTable))</code> · \(result.state.rawValue) · finished \(Self.escape(result.timings.finishedAt))</p>
            <p class="big" id="summary" data-enriched="\(headline.enriched)" data-total="\(headline.total)" data-percent="\(headline.percent)">Enriched \(Self.number(headline.enriched)) of \(Self.number(headline.total)) profiles (\(String(format: "%.1f", headline.percent))%)</p>

            """
        if let warnings = result.warnings, !warnings.isEmpty {
            html += "<h2>Warnings</h2><ul id=\"warnings\">"
                + warnings.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>\n"
        }
        html += """
            <h2>Match confidence</h2><table id="confidence"><tr><th>Level</th><th>Rows</th></tr>
            """
        for level in ["High", "Medium", "Low", "VeryLow"] {
            html += "<tr><td>\(level)</td><td data-level=\"\(level)\">\(customers.byConfidence[level] ?? 0)</td></tr>"
        }
        html += "</table><h2>Outcome</h2><table id=\"outcome\"><tr><th>Status</th><th>Rows</th></tr>"
        for (status, count) in [("Enriched", customers.enriched), ("NotEnriched", customers.notEnriched),
                                ("InvalidInput", customers.invalidInput), ("Error", customers.errors)] {
            html += "<tr><td>\(status)</td><td data-status=\"\(status)\">\(count)</td></tr>"
        }
        html += "</table>"
        if !customers.byAddressType.isEmpty {
            html += "<h2>By address</h2><table><tr><th>Address</th><th>Rows</th><th>Enriched</th></tr>"
            for (kind, counts) in customers.byAddressType.sorted(by: { $0.key < $1.key }) {
                html += "<tr><td>\(kind)</td><td>\(counts.rows)</td><td>\(counts.enriched)</td></tr>"
            }
            html += "</table>"
        }
        html += "<h2>Field coverage</h2>"
        html += Self.coverageChart(result.fieldCoverage, columns: CompanyOutputTable.coverageColumns, total: customers.enriched)
        if let contacts = result.contacts {
            html += "<h2>Contacts</h2><p id=\"contacts\" data-enriched=\"\(contacts.enriched)\" data-total=\"\(contacts.outputRows)\">"
                + "Enriched \(Self.number(contacts.enriched)) of \(Self.number(contacts.outputRows)) contacts "
                + "(\(String(format: "%.1f", contacts.enrichedPercent))%)</p>"
            if let coverage = result.contactFieldCoverage {
                html += Self.coverageChart(coverage, columns: ContactsOutputTable.coverageColumns, total: contacts.enriched)
            }
        }
        let lookups = result.lookups
        html += "<h2>Lookups</h2><p id=\"lookups\" data-distinct=\"\(lookups.distinctKeys)\" data-sent=\"\(lookups.sent)\">"
            + "\(Self.number(lookups.distinctKeys)) distinct · \(Self.number(lookups.sent)) paid · "
            + "\(Self.number(lookups.cacheHits)) from cache · \(Self.number(lookups.savedByDedup)) saved by dedup · "
            + "\(Self.number(lookups.retries)) retries · \(Self.number(lookups.rateLimited)) rate-limited</p>"
        if !preview.header.isEmpty {
            html += "<h2>Preview</h2><table id=\"preview\"><tr>"
                + preview.header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>"
            for row in preview.rows {
                html += "<tr>" + row.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>"
            }
            html += "</table>"
        }
        return html + "</body></html>\n"
    }
}
