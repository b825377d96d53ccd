import Formats
import Foundation

extension ReportPage {
    /// A saved enrichment's runs up to the one a report shows: what "Enriched customers over time" draws, on the
    /// page and in `enrichctl report`.
    ///
    /// The runs are the enrichment's history up to this run, and this run itself from its `result.json` (the
    /// daemon writes the page before it appends the run's history line; `enrichctl report` rewrites it after):
    /// the page of a run shows the same runs whoever writes it, and a later run's page shows more. Skipped
    /// refreshes are not runs. Failed and cancelled runs are listed (with their status words) but are not points
    /// of the chart: their numbers are missing or partial, and a drop to nothing would read as customers lost.
    public struct OverTime: Sendable, Equatable {
        /// How many runs the chart and the table show at most: the latest.
        public static let limit = 100

        /// The finished runs, oldest first, the reported run last.
        public var runs: [RefreshHistoryEntry]

        /// `history` (history.jsonl's entries, oldest first) up to `result`'s run, then `result`'s run. When the
        /// history has a line for this run already, the runs recorded after it are left out and the line is
        /// replaced by `result` (result.json is this run's own account: a retried run may have a line of its
        /// failure).
        public init(history: [RefreshHistoryEntry], result: ResultSummary) {
            let recorded = history.firstIndex { $0.jobId == result.id }
            let before = history.prefix(upTo: recorded ?? history.endIndex)
            let dueAt = recorded.flatMap { history[$0].dueAt }
            self.runs = before.filter { $0.outcome != .skipped } + [RefreshHistoryEntry(result: result, dueAt: dueAt)]
        }

        /// The runs with complete numbers (succeeded, or completed with warnings): the chart's points, the latest
        /// ``limit``.
        public var points: [RefreshHistoryEntry] {
            Array(self.runs.filter(\.isComplete).suffix(Self.limit))
        }

        /// The runs `enrichctl report` lists: the latest `count`, one line each (date, enriched N of M, a bar),
        /// in `width` columns. The bar draws enriched profiles (`█`) and the rest in scope (`░`) on one scale, the
        /// largest in-scope count, so that a growing export reads as a growing bar; a failed or cancelled run
        /// shows its status instead.
        public func textLines(width: Int, count: Int = 10) -> [String] {
            let shown = self.runs.suffix(count)
            let scale = shown.filter(\.isComplete).compactMap(\.inScope).max() ?? 0
            let figures = shown.map { run in
                run.isComplete ? Self.figures(enriched: run.enrichedProfiles ?? 0, inScope: run.inScope ?? 0) : nil
            }
            // "  2025-03-14 06:00  " + bar + "  " + figures: the bar takes what the widest figures leave.
            let figuresWidth = figures.compactMap { $0?.count }.max() ?? 0
            let barWidth = min(20, width - 2 - 16 - 2 - 2 - figuresWidth)
            let of = shown.count < self.runs.count
                ? "the last \(shown.count) of \(NumberText.grouped(self.runs.count)) runs"
                : shown.count == 1 ? "1 run" : "\(shown.count) runs"
            let key = barWidth >= 4 ? "; █ enriched, ░ in scope" : ""
            var lines = ["Enriched customers over time (\(of), UTC\(key)):"]
            for (run, figures) in zip(shown, figures) {
                let when = (run.finishedAt ?? run.dueAt).map(Self.minute) ?? "—"
                var line = "  " + when.padding(toLength: 16, withPad: " ", startingAt: 0) + "  "
                if let figures {
                    if barWidth >= 4 {
                        let enriched = Self.cells(run.enrichedProfiles ?? 0, of: scale, width: barWidth)
                        let inScope = max(enriched, Self.cells(run.inScope ?? 0, of: scale, width: barWidth))
                        line += String(repeating: "█", count: enriched)
                            + String(repeating: "░", count: inScope - enriched)
                            + String(repeating: " ", count: barWidth - inScope) + "  "
                    }
                    line += figures
                } else {
                    line += run.status
                }
                lines.append(line.trimmingTrailingSpaces)
            }
            return lines
        }

        /// "1,860,000 of 2,000,000 (93.0%)".
        static func figures(enriched: Int, inScope: Int) -> String {
            let share = NumberText.percent(Self.percent(enriched, of: inScope))
            return "\(NumberText.grouped(enriched)) of \(NumberText.grouped(inScope)) (\(share))"
        }

        /// A share to one decimal, rounded as the headline rounds it (the reported run's point reads as its
        /// headline does).
        static func percent(_ count: Int, of total: Int) -> Double {
            total == 0 ? 0 : (Double(count) * 1000 / Double(total)).rounded() / 10
        }

        /// How many of `width` cells `value` fills on a scale of `scale`.
        static func cells(_ value: Int, of scale: Int, width: Int) -> Int {
            scale <= 0 ? 0 : min(width, max(0, Int((Double(value) / Double(scale) * Double(width)).rounded())))
        }

        /// `2025-03-14T06:00:12.345Z` as `2025-03-14 06:00`; anything else as it is.
        static func minute(_ timestamp: String) -> String {
            guard let parts = Self.utcParts(timestamp) else { return TerminalText.escaped(timestamp) }
            return "\(parts.day) \(parts.time)"
        }

        /// The day and the hour and minute of a UTC timestamp as the daemon writes them.
        static func utcParts(_ timestamp: String) -> (day: String, time: String)? {
            let bytes = Array(timestamp.utf8)
            let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
            guard bytes.count >= 17, timestamp.hasSuffix("Z"), bytes[4] == UInt8(ascii: "-"),
                  bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                  digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) })
            else { return nil }
            return (String(decoding: bytes[0..<10], as: UTF8.self), String(decoding: bytes[11..<16], as: UTF8.self))
        }
    }
}

extension ReportPage {
    /// The card "Enriched customers over time": a column per run (in scope, light; enriched profiles, dark, in
    /// front) over the runs' finish times, the value axis on the left with thousands separators, a few dates
    /// below (the first, the middle, the last: one run or a hundred, they never crowd), then a legend and, folded
    /// away, the table of the runs with every number. Each column is a `g.run` with its raw values in `data-*`.
    static func overTime(_ overTime: OverTime) -> String {
        let points = overTime.points
        let shownRuns = overTime.runs.suffix(OverTime.limit)
        var html = "<section class=\"card\" id=\"over-time\" data-runs=\"\(overTime.runs.count)\" "
            + "data-points=\"\(points.count)\"><h2>Enriched customers over time</h2>\n"
        if points.isEmpty {
            html += "<p class=\"note\">No run has completed yet.</p>\n"
        } else {
            html += Self.overTimeChart(points)
            html += """
                <p class="key"><span class="nowrap"><span class="swatch" style="background:\(Self.enrichedColor)" \
                aria-hidden="true"></span>Enriched profiles</span> <span class="nowrap"><span class="swatch" \
                style="background:\(Self.inScopeColor)" aria-hidden="true"></span>In scope</span></p>

                """
        }
        var notes: [String] = []
        let completed = overTime.runs.filter(\.isComplete).count
        if completed > points.count {
            notes.append("The last \(Self.number(points.count)) of \(Self.number(completed)) completed runs.")
        }
        let incomplete = shownRuns.filter { !$0.isComplete }.count
        if incomplete > 0 {
            notes.append("\(Self.number(incomplete)) failed or cancelled \(incomplete == 1 ? "run is" : "runs are") "
                + "listed below but not drawn: their numbers are missing or partial.")
        }
        if !notes.isEmpty { html += "<p class=\"note\">\(notes.joined(separator: " "))</p>\n" }
        let listed = shownRuns.count == 1 ? "1 run" : shownRuns.count == overTime.runs.count
            ? "All \(Self.number(shownRuns.count)) runs" : "The last \(Self.number(shownRuns.count)) runs"
        html += "<details><summary>\(listed)</summary>"
            + "<div class=\"scroll\"><table id=\"over-time-runs\"><thead><tr><th>Finished (UTC)</th>"
            + "<th>Status</th><th class=\"num\">Enriched</th><th class=\"num\">In scope</th>"
            + "<th class=\"num\">Share</th></tr></thead><tbody>"
        for run in shownRuns {
            html += "<tr data-job=\"\(Self.escape(run.jobId ?? ""))\" data-outcome=\"\(run.outcome.rawValue)\">"
                + "<td class=\"nowrap\">\(Self.escape((run.finishedAt ?? run.dueAt).map(OverTime.minute) ?? "—"))"
                + "</td>"
                + "<td>\(Self.escape(run.status))</td>"
            if run.isComplete, let enriched = run.enrichedProfiles, let inScope = run.inScope {
                html += "<td class=\"num\" data-count=\"\(enriched)\">\(Self.number(enriched))</td>"
                    + "<td class=\"num\" data-count=\"\(inScope)\">\(Self.number(inScope))</td>"
                    + "<td class=\"num\">\(Self.percent(OverTime.percent(enriched, of: inScope)))</td></tr>"
            } else {
                html += "<td class=\"num\">—</td><td class=\"num\">—</td><td class=\"num\">—</td></tr>"
            }
        }
        return html + "</tbody></table></div></details>\n</section>\n"
    }

    static let enrichedColor = "#2563eb"
    static let inScopeColor = "#bfdbfe"

    /// The columns of `points` (at least one).
    ///
    /// The columns are placed in percentages of the chart's width, as the other charts are, so they follow the
    /// card's width; the value axis needs pixels its labels fit in, which no percentage gives on both a phone
    /// and a desktop. So the labels live in the SVG's own left padding (its viewport, where percentages resolve,
    /// is its content box) at negative x, shown by `overflow: visible`: the columns span 0–100% of what is left.
    static func overTimeChart(_ points: [RefreshHistoryEntry]) -> String {
        let top = 8.0, bottom = 140.0, height = 166
        let largest = points.map { max($0.inScope ?? 0, $0.enrichedProfiles ?? 0) }.max() ?? 0
        let scale = Self.niceCeiling(largest)
        // 0, the middle when it is a whole number, the top.
        let ticks = [0] + (scale % 2 == 0 ? [scale / 2] : []) + [scale]
        let labelWidth = ticks.map { Self.labelPixels(Self.number($0)) }.max() ?? 0
        func y(_ value: Int) -> Double { bottom - Double(value) / Double(scale) * (bottom - top) }
        let last = points[points.count - 1]
        let lastWhen = last.finishedAt.map(OverTime.minute) ?? "—"
        let label = "Enriched customers over time: \(Self.number(points.count)) \(points.count == 1 ? "run" : "runs"); "
            + "the last, \(lastWhen) UTC, enriched \(Self.number(last.enrichedProfiles ?? 0)) of "
            + "\(Self.number(last.inScope ?? 0)) profiles "
            + "(\(Self.percent(OverTime.percent(last.enrichedProfiles ?? 0, of: last.inScope ?? 0))))"
        var svg = """
            <svg class="chart timeline" role="img" aria-label="\(Self.escape(label))" width="100%" \
            height="\(height)" font-size="11" fill="#4b5563" style="padding-left:\(labelWidth + 8)px">
            """
        for tick in ticks {
            let line = Self.coordinate(y(tick))
            svg += """
                <line x1="0" x2="100%" y1="\(line)" y2="\(line)" stroke="\(tick == 0 ? "#9ca3af" : "#e5e7eb")" \
                stroke-width="1"/><text class="axis" x="-6" y="\(Self.coordinate(y(tick) + 4))" \
                text-anchor="end" data-value="\(tick)">\(Self.number(tick))</text>
                """
        }
        let slot = 100 / Double(points.count)
        let barWidth = min(slot * 0.72, 10)
        for (index, run) in points.enumerated() {
            let enriched = run.enrichedProfiles ?? 0, inScope = run.inScope ?? 0
            let x = Self.coordinate(Double(index) * slot + (slot - barWidth) / 2)
            let width = Self.coordinate(barWidth)
            let when = run.finishedAt.map(OverTime.minute) ?? "—"
            svg += """
                <g class="run" data-job="\(Self.escape(run.jobId ?? ""))" \
                data-finished="\(Self.escape(run.finishedAt ?? ""))" data-enriched="\(enriched)" \
                data-in-scope="\(inScope)" data-outcome="\(run.outcome.rawValue)"><title>\(Self.escape(when)) UTC: \
                enriched \(Self.number(enriched)) of \(Self.number(inScope)) profiles \
                (\(Self.percent(OverTime.percent(enriched, of: inScope))))</title>\
                <rect class="in-scope" x="\(x)%" y="\(Self.coordinate(y(inScope)))" width="\(width)%" \
                height="\(Self.coordinate(bottom - y(inScope)))" fill="\(Self.inScopeColor)"/>\
                <rect class="enriched" x="\(x)%" y="\(Self.coordinate(y(enriched)))" width="\(width)%" \
                height="\(Self.coordinate(bottom - y(enriched)))" fill="\(Self.enrichedColor)"/></g>
                """
        }
        // The dates, short ("Mar 14", the years in the note below): all of them up to three runs, else the
        // first (from its column's left), the middle and the last (to its column's right), which leaves room
        // between them on a phone. Runs all on one day are told apart by their times.
        let parts = points.map { $0.finishedAt.flatMap(OverTime.utcParts) }
        let days = parts.compactMap { $0?.day }
        let oneDay = Set(days).count == 1 && days.count == parts.count
        let labelled = points.count <= 3 ? Array(points.indices) : [0, (points.count - 1) / 2, points.count - 1]
        for index in labelled {
            let text = parts[index].map { oneDay ? $0.time : Self.monthAndDay($0.day) } ?? "—"
            let center = (Double(index) + 0.5) * slot
            let (x, anchor): (Double, String) = switch index {
            case _ where points.count <= 3: (center, "middle")
            case 0: (0, "start")
            case points.count - 1: (100, "end")
            default: (center, "middle")
            }
            svg += "<text class=\"date\" x=\"\(Self.coordinate(x))%\" y=\"\(Int(bottom) + 17)\" "
                + "text-anchor=\"\(anchor)\">\(Self.escape(text))</text>"
        }
        svg += "</svg>\n"
        if let first = days.first, let last = days.last {
            let span = oneDay ? "On \(first)" : "From \(first) to \(last)"
            svg += "<p class=\"note\" id=\"over-time-span\">\(Self.escape(span)) (UTC).</p>\n"
        }
        return svg
    }

    /// `2025-03-14` as `Mar 14`.
    static func monthAndDay(_ day: String) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let fields = day.split(separator: "-")
        guard fields.count == 3, let month = Int(fields[1]), (1...12).contains(month), let date = Int(fields[2]) else {
            return day
        }
        return "\(months[month - 1]) \(date)"
    }

    /// The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, at least 1: a round top for the value axis.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for tenths in [10, 20, 25, 50] where magnitude * tenths % 10 == 0 && magnitude * tenths / 10 >= value {
                return magnitude * tenths / 10
            }
            magnitude *= 10
        }
    }

    /// A generous width in pixels of `text` (digits and separators) at the chart's 11-pixel font.
    static func labelPixels(_ text: String) -> Int {
        Int(text.reduce(0.0) { width, character in width + (character.isNumber ? 6.6 : 3.6) }.rounded(.up))
    }
}

extension RefreshHistoryEntry {
    /// Whether the run ended with all its numbers: it succeeded, or completed with warnings.
    var isComplete: Bool { self.outcome == .succeeded || self.outcome == .completedWithWarnings }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
