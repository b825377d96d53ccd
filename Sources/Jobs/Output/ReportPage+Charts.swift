import Foundation

/// The page's charts, as inline SVG sized in percentages of their box, so that they follow its width (a phone's
/// or a desktop's) while their text keeps its size. Each names its numbers in its `aria-label`, and each mark in
/// a `<title>` (the tooltip); the stacked bars have a legend table with the same numbers beside them.
extension ReportPage {
    /// One part of a whole: a confidence level or an outcome.
    struct Part {
        /// The raw name, for the `data-*` attribute (`VeryLow`, `NotEnriched`).
        var key: String
        /// What people read (`Very low`, `Not enriched`).
        var label: String
        var count: Int
        var color: String
    }

    /// A stacked bar of `parts` (a whole of 100%).
    static func stackedBar(_ parts: [Part], title: String) -> String {
        let total = parts.reduce(0) { $0 + $1.count }
        let described = parts.map { part in
            "\(part.label) \(Self.number(part.count)) (\(Self.percent(Self.share(part.count, of: total))))"
        }
        var svg = """
            <svg class="chart" role="img" aria-label="\(Self.escape(title)): \
            \(Self.escape(described.joined(separator: ", ")))" width="100%" height="28">\
            <rect x="0" y="2" width="100%" height="24" rx="3" fill="#e5e7eb"/>
            """
        var offset = 0.0
        for part in parts where part.count > 0 {
            let width = Self.share(part.count, of: total)
            svg += """
                <rect x="\(Self.coordinate(offset))%" y="2" width="\(Self.coordinate(width))%" height="24" \
                fill="\(part.color)" stroke="#fff" stroke-width="1"><title>\(Self.escape(part.label)): \
                \(Self.number(part.count)) (\(Self.percent(width)))</title></rect>
                """
            offset += width
        }
        return svg + "</svg>\n"
    }

    /// The legend of a stacked bar: swatch, label, count (raw in `data-count` and `attribute`), share.
    static func legend(_ parts: [Part], id: String, heading: String, attribute: String) -> String {
        let total = parts.reduce(0) { $0 + $1.count }
        var html = """
            <table id="\(id)"><thead><tr><th>\(heading)</th><th class="num">Rows</th>\
            <th class="num">Share</th></tr></thead><tbody>
            """
        for part in parts {
            html += """
                <tr><td><span class="swatch" style="background:\(part.color)" aria-hidden="true"></span>\
                \(Self.escape(part.label))</td>\
                <td class="num" data-count="\(part.count)" \(attribute)="\(Self.escape(part.key))">\
                \(Self.number(part.count))</td>\
                <td class="num">\(Self.percent(Self.share(part.count, of: total)))</td></tr>
                """
        }
        return html + "</tbody></table>\n"
    }

    /// One bar per column: the share of the `total` enriched rows that have the column filled.
    static func coverageChart(_ coverage: [String: Int], columns: [String], total: Int, title: String) -> String {
        // Label, bar and percentage take fixed shares of the width: 0–44%, 45–83%, and right-aligned at 100%.
        let rowHeight = 22, barStart = 45.0, barWidth = 38.0
        let described = columns.map { column in
            let count = coverage[column] ?? 0
            return "\(column) \(Self.number(count)) (\(Self.percent(Self.share(count, of: total))))"
        }
        var svg = """
            <svg class="chart" role="img" aria-label="\(Self.escape(title)): of \(Self.number(total)) enriched rows, \
            \(Self.escape(described.joined(separator: ", ")))" width="100%" height="\(columns.count * rowHeight + 4)" \
            font-size="12" fill="#111827">
            """
        for (index, column) in columns.enumerated() {
            let count = coverage[column] ?? 0
            let share = Self.share(count, of: total)
            let y = index * rowHeight + 2
            // Glyphs such as J overhang their origin by a pixel: the texts keep two pixels from the edges.
            svg += """
                <g><title>\(Self.escape(column)): \(Self.number(count)) of \(Self.number(total)) \
                (\(Self.percent(share)))</title>\
                <text x="2" y="\(y + 15)">\(Self.escape(column))</text>\
                <rect x="\(barStart)%" y="\(y + 5)" width="\(barWidth)%" height="12" rx="2" fill="#e5e7eb"/>\
                <rect class="bar" data-column="\(Self.escape(column))" data-count="\(count)" x="\(barStart)%" \
                y="\(y + 5)" width="\(Self.coordinate(share * barWidth / 100))%" height="12" rx="2" fill="#2563eb"/>\
                <text x="100%" dx="-2" y="\(y + 15)" text-anchor="end">\(Self.percent(share))</text></g>
                """
        }
        return svg + "</svg>\n"
    }

    /// A bar of one share (the headline's enriched profiles).
    static func meter(_ percent: Double, label: String) -> String {
        """
        <svg class="meter" role="img" aria-label="\(Self.escape(label))" width="100%" height="10">\
        <rect width="100%" height="10" rx="5" fill="#e5e7eb"/>\
        <rect width="\(Self.coordinate(min(max(percent, 0), 100)))%" height="10" rx="5" fill="#16a34a"/></svg>

        """
    }

    /// A percentage coordinate to three decimals (a thousandth of a percent is far below a pixel).
    static func coordinate(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
